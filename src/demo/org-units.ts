import type { Knex } from 'knex';

/**
 * A realistic excerpt of the city's organisation for the demo and the tests. Real
 * installations import their tree (administration, CSV import).
 */
export const DEMO_UNITS: Array<{
  code: string;
  name: string;
  short?: string;
  kind: string;
  parent?: string;
  hannoverDe?: string;
}> = [
  { code: 'OB', name: 'Dezernat des Oberbürgermeisters', kind: 'dezernat' },
  { code: '18', name: 'Fachbereich Personal und Organisation', kind: 'fachbereich', parent: 'OB' },
  {
    code: '18.62',
    name: 'Presse- und Informationsamt',
    kind: 'amt',
    parent: 'OB',
    hannoverDe:
      'https://www.hannover.de/Leben-in-der-Region-Hannover/Politik/Verwaltungen-Kommunen/Die-Verwaltung-der-Landeshauptstadt-Hannover',
  },
  { code: '18.DS', name: 'Datenschutz', kind: 'stelle', parent: 'OB' },
  { code: '18.IT', name: 'Betrieb Social-Media-Register', kind: 'stelle', parent: '18' },
  { code: 'GPR', name: 'Gesamtpersonalrat', kind: 'stelle' },
  { code: 'II', name: 'Dezernat für Sicherheit und Ordnung', kind: 'dezernat' },
  {
    code: '37',
    name: 'Feuerwehr Hannover',
    short: 'Feuerwehr',
    kind: 'fachbereich',
    parent: 'II',
    hannoverDe:
      'https://www.hannover.de/Leben-in-der-Region-Hannover/Verwaltungen-Kommunen/Die-Verwaltung-der-Landeshauptstadt-Hannover/Feuerwehr',
  },
  { code: 'III', name: 'Wirtschafts- und Umweltdezernat', kind: 'dezernat' },
  {
    code: '67',
    name: 'Fachbereich Umwelt und Stadtgrün',
    kind: 'fachbereich',
    parent: 'III',
    hannoverDe: 'https://www.hannover.de/Leben-in-der-Region-Hannover/Umwelt-Nachhaltigkeit',
  },
  {
    code: '67.4',
    name: 'Herrenhäuser Gärten',
    kind: 'betrieb',
    parent: '67',
    hannoverDe: 'https://www.hannover.de/Herrenhausen',
  },
  { code: 'IV', name: 'Kultur- und Bildungsdezernat', kind: 'dezernat' },
  {
    code: '41',
    name: 'Fachbereich Kultur',
    kind: 'fachbereich',
    parent: 'IV',
    hannoverDe: 'https://www.hannover.de/Kultur-Freizeit',
  },
  {
    code: '41.2',
    name: 'Museen für Kulturgeschichte',
    kind: 'bereich',
    parent: '41',
    hannoverDe: 'https://www.hannover.de/Kultur-Freizeit/Museen-Ausstellungen',
  },
  {
    code: '41.4',
    name: 'Sprengel Museum Hannover',
    kind: 'einrichtung',
    parent: '41',
    hannoverDe: 'https://www.hannover.de/Kultur-Freizeit/Museen-Ausstellungen',
  },
  {
    code: '42',
    name: 'Stadtbibliothek Hannover',
    kind: 'fachbereich',
    parent: 'IV',
    hannoverDe: 'https://www.hannover.de/Kultur-Freizeit/Bibliotheken-Archive',
  },
  {
    code: '40',
    name: 'Fachbereich Schule',
    kind: 'fachbereich',
    parent: 'IV',
    hannoverDe: 'https://www.hannover.de/Leben-in-der-Region-Hannover/Bildung',
  },
];

/** Heads of units in the demo: the demo user "leitung" heads Fachbereich Kultur. */
export const DEMO_HEADS: Array<{ unit: string; uid: string; name: string; kind: 'head' | 'deputy' }> = [
  { unit: '41', uid: 'leitung', name: 'Dr. Andrea Lange', kind: 'head' },
];

/**
 * Writes the demo units that are not there yet (by code) and the demo heads. A handful of
 * statements instead of three per unit (this runs at every fresh start of the demo): the units
 * go in with one INSERT in list order – so their ids follow the list as before – and get their
 * parents with one UPDATE.
 */
export async function seedDemoUnits(db: Knex | Knex.Transaction, now = new Date()): Promise<void> {
  const ids = new Map<string, number>();
  const existing: Array<{ id: number; code: string }> = await db('org_units')
    .whereIn(
      'code',
      DEMO_UNITS.map((u) => u.code),
    )
    .select('id', 'code');
  for (const row of existing) ids.set(row.code, row.id);
  const missing = [...DEMO_UNITS.entries()].filter(([, u]) => !ids.has(u.code));
  if (missing.length > 0) {
    const inserted: Array<{ id: number; code: string }> = await db('org_units')
      .insert(
        missing.map(([i, u]) => ({
          code: u.code,
          name: u.name,
          short_name: u.short ?? null,
          kind: u.kind,
          parent_id: null,
          hannover_de_url: u.hannoverDe ?? null,
          sort_order: i,
          created_at: now,
          updated_at: now,
        })),
      )
      .returning(['id', 'code']);
    for (const row of inserted) ids.set(row.code, row.id);
    // a parent outside the demo list is looked up as before; one that is nowhere stays empty
    const outside = missing.map(([, u]) => u.parent).filter((p): p is string => !!p && !ids.has(p));
    if (outside.length > 0) {
      const rows: Array<{ id: number; code: string }> = await db('org_units')
        .whereIn('code', outside)
        .select('id', 'code');
      for (const row of rows) ids.set(row.code, row.id);
    }
    const parents = missing.flatMap(([, u]) => {
      const parent = u.parent === undefined ? undefined : ids.get(u.parent);
      return parent === undefined ? [] : [[ids.get(u.code) as number, parent] as const];
    });
    if (parents.length > 0) {
      await db.raw(
        `UPDATE org_units SET parent_id = v.parent FROM (VALUES ${parents.map(() => '(?::int, ?::int)').join(', ')}) AS v(id, parent) WHERE org_units.id = v.id`,
        parents.flat(),
      );
    }
  }
  const heads = DEMO_HEADS.flatMap((h) => {
    const unit = ids.get(h.unit);
    return unit === undefined ? [] : [{ org_unit_id: unit, uid: h.uid, name: h.name, kind: h.kind }];
  });
  if (heads.length > 0) await db('org_unit_heads').insert(heads).onConflict(['org_unit_id', 'uid']).ignore();
}
