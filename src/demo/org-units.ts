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

export async function seedDemoUnits(db: Knex | Knex.Transaction, now = new Date()): Promise<void> {
  for (const [i, u] of DEMO_UNITS.entries()) {
    if (await db('org_units').where({ code: u.code }).first('id')) continue;
    const parent = u.parent ? await db('org_units').where({ code: u.parent }).first('id') : undefined;
    await db('org_units').insert({
      code: u.code,
      name: u.name,
      short_name: u.short ?? null,
      kind: u.kind,
      parent_id: parent?.id ?? null,
      hannover_de_url: u.hannoverDe ?? null,
      sort_order: i,
      created_at: now,
      updated_at: now,
    });
  }
  for (const h of DEMO_HEADS) {
    const unit = await db('org_units').where({ code: h.unit }).first('id');
    await db('org_unit_heads')
      .insert({ org_unit_id: unit.id, uid: h.uid, name: h.name, kind: h.kind })
      .onConflict(['org_unit_id', 'uid'])
      .ignore();
  }
}
