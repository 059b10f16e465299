import type { Knex } from 'knex';

/**
 * A small register for the public-side tests: a unit tree, presences on several platforms
 * (one on a disabled platform), a closed presence and one whose editors typed HTML,
 * formulas, quotes, commas, umlauts and line breaks.
 */
export const HOSTILE_NAME = '<script>alert("name")</script> Bühne & "Theater", Hannover';
export const HOSTILE_DESCRIPTION =
  '=HYPERLINK("http://evil.example/","klick"),\nzweite Zeile mit "Anführungszeichen"; <img src=x onerror=alert(1)> Größe';

export interface UnitSpec {
  code: string;
  name: string;
  kind: string;
  parent?: string;
  sort?: number;
  hannoverDe?: string;
}

export const UNITS: UnitSpec[] = [
  { code: 'D3', name: 'Dezernat III – Kultur und Bildung', kind: 'dezernat', sort: 3 },
  {
    code: '41',
    name: 'Fachbereich Kultur',
    kind: 'fachbereich',
    parent: 'D3',
    hannoverDe: 'https://www.hannover.de/Kultur-Freizeit',
  },
  {
    code: '41.2',
    name: 'Museen für Kulturgeschichte',
    kind: 'bereich',
    parent: '41',
    sort: 2,
    hannoverDe: 'https://www.hannover.de/Museen',
  },
  { code: '41.3', name: 'Stadtbibliothek', kind: 'einrichtung', parent: '41', sort: 3 },
  { code: 'D5', name: 'Dezernat V – Umwelt', kind: 'dezernat', sort: 5 },
  { code: '67', name: 'Fachbereich Umwelt und Stadtgrün', kind: 'fachbereich', parent: 'D5' },
  { code: '37', name: 'Feuerwehr Hannover', kind: 'fachbereich', sort: 4 },
];

export interface PresenceSpec {
  slug: string;
  platform: string;
  accountId: string;
  url: string;
  name: string;
  description?: string;
  unit: string;
  status?: 'active' | 'closed';
  closedAt?: Date;
  publishedAt?: Date;
  lastConfirmedAt?: Date | null;
  hannoverDe?: string | null;
}

export const PRESENCES: PresenceSpec[] = [
  {
    slug: 'sprengel-museum-facebook',
    platform: 'facebook',
    accountId: 'sprengelmuseum',
    url: 'https://www.facebook.com/sprengelmuseum',
    name: 'Sprengel Museum Hannover',
    description: 'Das Museum für Kunst des 20. und 21. Jahrhunderts am Maschsee.',
    unit: '41.2',
    publishedAt: new Date('2025-01-10T09:00:00Z'),
  },
  {
    slug: 'museum-august-kestner-instagram',
    platform: 'instagram', // disabled platform: still listed and verifiable
    accountId: 'museumaugustkestner',
    url: 'https://www.instagram.com/museumaugustkestner/',
    name: 'Museum August Kestner',
    description: 'Angewandte Kunst und Design aus fünf Jahrtausenden.',
    unit: '41.2',
    publishedAt: new Date('2025-02-10T09:00:00Z'),
  },
  {
    slug: 'stadtbibliothek-facebook',
    platform: 'facebook',
    accountId: 'id:100064123456789',
    url: 'https://www.facebook.com/profile.php?id=100064123456789',
    name: 'Stadtbibliothek Hannover',
    description: 'Bücher, Medien und Veranstaltungen in 17 Stadtteilbibliotheken.',
    unit: '41.3',
    publishedAt: new Date('2025-03-10T09:00:00Z'),
  },
  {
    slug: 'kulturbuero-youtube',
    platform: 'youtube',
    accountId: '@kulturbuero',
    url: 'https://www.youtube.com/@kulturbuero',
    name: 'Kulturbüro Hannover',
    description: 'Videos aus der freien Kulturszene.',
    unit: '41',
    publishedAt: new Date('2025-04-10T09:00:00Z'),
    hannoverDe: null,
  },
  {
    // in a unit whose name says nothing about museums: only full-text search finds it
    slug: 'historisches-museum-facebook',
    platform: 'facebook',
    accountId: 'historischesmuseumhannover',
    url: 'https://www.facebook.com/historischesmuseumhannover',
    name: 'Historisches Museum Hannover',
    description: 'Stadtgeschichte zum Anfassen.',
    unit: '41',
    publishedAt: new Date('2025-04-20T09:00:00Z'),
  },
  {
    slug: 'feuerwehr-hannover-x',
    platform: 'x',
    accountId: 'feuerwehrh',
    url: 'https://x.com/FeuerwehrH',
    name: 'Feuerwehr Hannover',
    description: 'Einsätze, Warnungen und Tipps zum Brandschutz.',
    unit: '37',
    publishedAt: new Date('2025-05-10T09:00:00Z'),
  },
  {
    slug: 'altes-stadtgruen-facebook',
    platform: 'facebook',
    accountId: 'altesstadtgruen',
    url: 'https://www.facebook.com/altesstadtgruen',
    name: 'Stadtgrün Hannover (alt)',
    description: 'Frühere Seite des Fachbereichs.',
    unit: '67',
    status: 'closed',
    closedAt: new Date('2025-03-31T10:00:00Z'),
    publishedAt: new Date('2020-01-01T09:00:00Z'),
  },
  {
    slug: 'buehne-facebook',
    platform: 'facebook',
    accountId: 'buehnehannover',
    url: 'https://www.facebook.com/buehnehannover',
    name: HOSTILE_NAME,
    description: HOSTILE_DESCRIPTION,
    unit: '41',
    publishedAt: new Date('2025-06-10T09:00:00Z'),
  },
];

export const ACTIVE_SLUGS = [
  'hannover-de-facebook',
  ...PRESENCES.filter((p) => p.status !== 'closed').map((p) => p.slug),
];

export async function insertUnits(db: Knex, units: UnitSpec[] = UNITS): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const u of await db('org_units').select('id', 'code')) ids.set(u.code, u.id);
  for (const u of units) {
    const [row] = await db('org_units')
      .insert({
        code: u.code,
        name: u.name,
        kind: u.kind,
        parent_id: u.parent ? ids.get(u.parent) : null,
        sort_order: u.sort ?? 0,
        hannover_de_url: u.hannoverDe ?? null,
      })
      .returning('id');
    ids.set(u.code, row.id);
  }
  return ids;
}

export async function insertPresence(db: Knex, units: Map<string, number>, p: PresenceSpec): Promise<number> {
  const unitId = units.get(p.unit);
  if (unitId === undefined) throw new Error(`unknown unit ${p.unit}`);
  const [row] = await db('presences')
    .insert({
      slug: p.slug,
      platform_key: p.platform,
      account_id: p.accountId,
      url: p.url,
      name: p.name,
      description: p.description ?? '',
      org_unit_id: unitId,
      hannover_de_url:
        p.hannoverDe === undefined ? `https://www.hannover.de/${encodeURIComponent(p.slug)}` : p.hannoverDe,
      status: p.status ?? 'active',
      central: false,
      published_at: p.publishedAt ?? new Date('2025-01-01T00:00:00Z'),
      closed_at: p.closedAt ?? null,
      last_confirmed_at: p.lastConfirmedAt === undefined ? new Date('2026-01-15T09:00:00Z') : p.lastConfirmedAt,
    })
    .returning('id');
  return row.id;
}

export async function seedRegister(db: Knex): Promise<Map<string, number>> {
  const units = await insertUnits(db);
  for (const p of PRESENCES) await insertPresence(db, units, p);
  return units;
}
