import type { Knex } from 'knex';
import type { UnitRow } from './tree';

/** Queries of the public side. Read-only; nothing here knows about HTTP. */

export interface RegisterState {
  version: number;
  changedAt: Date;
}

export interface PlatformRow {
  key: string;
  name: string;
  enabled: boolean;
  sort_order: number;
  rules: unknown;
}

export interface PresenceRow {
  id: number;
  slug: string;
  name: string;
  description: string;
  url: string;
  platform_key: string;
  org_unit_id: number;
  hannover_de_url: string | null;
  status: 'active' | 'closed';
  central: boolean;
  published_at: Date | null;
  closed_at: Date | null;
  last_confirmed_at: Date | null;
}

const PRESENCE_COLUMNS = [
  'p.id',
  'p.slug',
  'p.name',
  'p.description',
  'p.url',
  'p.platform_key',
  'p.org_unit_id',
  'p.hannover_de_url',
  'p.status',
  'p.central',
  'p.published_at',
  'p.closed_at',
  'p.last_confirmed_at',
];

/** Shorter words are matched by full-text search only (a substring "ab" is everywhere). */
export const MIN_SUBSTRING = 4;

/** Exactly the expression of the GIN index presences_fulltext (migration 0004). */
export const fulltextVector = (alias: string) =>
  `to_tsvector('german'::regconfig, (${alias}.name::text || ' ' || ${alias}.description))`;

// Sort names as German readers expect (DIN 5007-1: "Ärzte" with the A, not after Z) on
// every database collation, including PGlite's "C". A short fold list keeps it cheap.
const FOLD_FROM = 'ÄÖÜäöüßÉéÈèÀàÇç';
const FOLD_TO = 'AOUaousEeEeAaCc';
export const NAME_SORT_KEY = `lower(translate(p.name, '${FOLD_FROM}', '${FOLD_TO}'))`;

/** NOTIFY channel of the register_state trigger (migration 0007). */
export const CHANGE_CHANNEL = 'register_changed';

/** Runs on (nearly) every public request: plain SQL, no query builder (half the CPU time). */
export async function readState(db: Knex): Promise<RegisterState> {
  const result = await db.raw<{ rows: Array<{ version: number | string; changed_at: Date }> }>(
    'SELECT version, changed_at FROM register_state',
  );
  const row = result.rows[0];
  if (!row) throw new Error('register_state is empty (migration 0004 not applied?)');
  return { version: Number(row.version), changedAt: row.changed_at };
}

export async function loadUnits(db: Knex): Promise<UnitRow[]> {
  return db('org_units').select('id', 'code', 'name', 'short_name', 'parent_id', 'hannover_de_url', 'sort_order');
}

export async function loadPlatforms(db: Knex): Promise<PlatformRow[]> {
  return db('platforms').select('key', 'name', 'enabled', 'sort_order', 'rules').orderBy(['sort_order', 'key']);
}

/** Platforms and units that have at least one active presence (the filter choices). */
export async function inUse(db: Knex): Promise<{ platforms: string[]; units: number[] }> {
  const [platforms, units] = await Promise.all([
    db('presences').where({ status: 'active' }).distinct('platform_key') as Promise<Array<{ platform_key: string }>>,
    db('presences').where({ status: 'active' }).distinct('org_unit_id') as Promise<Array<{ org_unit_id: number }>>,
  ]);
  return { platforms: platforms.map((r) => r.platform_key), units: units.map((r) => r.org_unit_id) };
}

/**
 * For each search word, its German tsquery with prefix matching ('Museen' → 'muse':*, which
 * also finds 'museum'), and the units whose name matches it. Words that are only stop words
 * ('der', 'und') come back with an empty query.
 */
export async function analyseTerms(
  db: Knex,
  terms: string[],
): Promise<Array<{ term: string; tsquery: string; unitIds: number[] }>> {
  if (terms.length === 0) return [];
  const rows = (
    await db.raw(
      `SELECT t.term,
              to_tsquery('german', t.term || ':*')::text AS tsquery,
              coalesce((SELECT array_agg(u.id) FROM org_units u
                         WHERE to_tsvector('german', u.name || ' ' || coalesce(u.short_name, '')) @@ to_tsquery('german', t.term || ':*')
                            OR (length(t.term) >= ? AND position(lower(t.term) in lower(u.name || ' ' || coalesce(u.short_name, ''))) > 0)
                            OR lower(u.code) = lower(t.term)), '{}') AS unit_ids
         FROM unnest(?::text[]) WITH ORDINALITY AS t(term, n)
        ORDER BY t.n`,
      [MIN_SUBSTRING, terms],
    )
  ).rows as Array<{ term: string; tsquery: string; unit_ids: number[] | string }>;
  return rows.map((r) => ({ term: r.term, tsquery: r.tsquery, unitIds: parseIntArray(r.unit_ids) }));
}

/** pg returns int[] as an array; be tolerant of the text form '{1,2}'. */
function parseIntArray(v: number[] | string | null): number[] {
  if (Array.isArray(v)) return v.map(Number);
  if (typeof v === 'string') return v.replace(/[{}]/g, '').split(',').filter(Boolean).map(Number);
  return [];
}

export interface PresenceFilter {
  platform?: string;
  unitIds?: number[];
  /** All must match: the word's tsquery (stemmed prefix), a unit or a platform. */
  terms?: Array<{ word: string; hasLexemes: boolean; unitIds: number[]; platforms: string[] }>;
}

function activeQuery(db: Knex, filter: PresenceFilter) {
  const q = db('presences as p').where('p.status', 'active');
  if (filter.platform !== undefined) q.where('p.platform_key', filter.platform);
  if (filter.unitIds !== undefined) q.whereRaw('p.org_unit_id = ANY(?::int[])', [filter.unitIds]);
  for (const term of filter.terms ?? []) {
    q.where((w) => {
      w.whereRaw('false');
      // `word` holds letters and digits only (schemas.searchWords): safe inside a tsquery
      // as a sub-select, so that the GIN index answers it even next to the OR-ed conditions
      if (term.hasLexemes) {
        w.orWhereRaw(`p.id IN (SELECT f.id FROM presences f WHERE ${fulltextVector('f')} @@ to_tsquery('german', ?))`, [
          `${term.word}:*`,
        ]);
      }
      // German compounds: "Bibliothek" must also find "Stadtbibliothek", which no stemmer splits
      if (term.word.length >= MIN_SUBSTRING)
        w.orWhereRaw("position(? in lower(p.name::text || ' ' || p.description)) > 0", [term.word]);
      if (term.unitIds.length > 0) w.orWhereRaw('p.org_unit_id = ANY(?::int[])', [term.unitIds]);
      if (term.platforms.length > 0) w.orWhereRaw('p.platform_key = ANY(?::text[])', [term.platforms]);
    });
  }
  return q;
}

export async function countActive(db: Knex, filter: PresenceFilter): Promise<number> {
  const row = (await activeQuery(db, filter).count({ n: '*' }).first()) as { n: number | string } | undefined;
  return Number(row?.n ?? 0);
}

/**
 * Active presences in overview order: the central presence first, then by the unit's
 * position in the tree (`unitOrder`: unit ids in depth-first order), then by name.
 */
export async function listActive(
  db: Knex,
  filter: PresenceFilter,
  unitOrder: number[],
  page?: { limit: number; offset: number },
): Promise<PresenceRow[]> {
  const q = activeQuery(db, filter)
    .select(PRESENCE_COLUMNS)
    .joinRaw('LEFT JOIN unnest(?::int[]) WITH ORDINALITY AS o(unit_id, ord) ON o.unit_id = p.org_unit_id', [unitOrder])
    .orderByRaw(`p.central DESC, coalesce(o.ord, 2147483647), ${NAME_SORT_KEY}, p.id`);
  if (page) q.limit(page.limit).offset(page.offset);
  return q;
}

/** The most recently published active presences, newest first (the Atom feed). */
export async function newestPublished(db: Knex, limit: number): Promise<PresenceRow[]> {
  return db('presences as p')
    .where('p.status', 'active')
    .whereNotNull('p.published_at')
    .select(PRESENCE_COLUMNS)
    .orderBy([
      { column: 'p.published_at', order: 'desc' },
      { column: 'p.id', order: 'desc' },
    ])
    .limit(limit);
}

export async function presenceBySlug(db: Knex, slug: string): Promise<PresenceRow | undefined> {
  return db('presences as p').where('p.slug', slug).first(PRESENCE_COLUMNS) as Promise<PresenceRow | undefined>;
}

export async function presenceByAccount(
  db: Knex,
  platformKey: string,
  accountId: string,
): Promise<PresenceRow | undefined> {
  return db('presences as p')
    .where('p.platform_key', platformKey)
    .whereRaw('lower(p.account_id) = lower(?)', [accountId])
    .orderByRaw("(p.status = 'active') DESC, p.closed_at DESC NULLS LAST")
    .first(PRESENCE_COLUMNS) as Promise<PresenceRow | undefined>;
}

/** When the first presence was published (closed ones included): the start of the open data. */
export async function firstPublished(db: Knex): Promise<Date | undefined> {
  const row = (await db('presences').min({ first: 'published_at' }).first()) as
    { first: Date | string | null } | undefined;
  return row?.first ? new Date(row.first) : undefined;
}

/** Every presence's account (closed ones too): what the look-alike check compares with. */
export interface AccountRow {
  id: number;
  slug: string;
  name: string;
  url: string;
  platform_key: string;
  account_id: string;
  status: 'active' | 'closed';
}

export async function registeredAccounts(db: Knex): Promise<AccountRow[]> {
  return db('presences')
    .select('id', 'slug', 'name', 'url', 'platform_key', 'account_id', 'status')
    .orderByRaw("(status = 'active') DESC, id");
}
