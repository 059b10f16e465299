import type { Knex } from 'knex';
import { listUnits, type OrgUnit } from '../../registry/org-units';
import { canonicalise } from '../../registry/canonical';
import { platformRulesSchema, type PlatformRules } from '../../registry/platforms';
import { isHannoverDeUrl } from '../../requests/form';
import type { MessageKey } from '../../i18n/keys';
import type { CsvRecord } from '../csv';
import { isDay } from '../web';
import { LIMITS } from '../../limits';
import { MAX_EDITORS, MIN_EDITORS, type ImportColumn } from './columns';
import type { memoDirectory } from './people';

export interface ImportProblem {
  column: ImportColumn;
  message: MessageKey;
  params?: Record<string, string | number>;
}

export interface Person {
  uid: string;
  name: string;
  email: string | null;
}

/** One row of the CSV, read and checked: what would be created, or why not. */
export interface CheckedRow {
  line: number;
  unitCode: string;
  platform: string;
  name: string;
  url: string;
  description: string;
  hannoverDeUrl: string;
  existingSince: string;
  editorUids: string[];
  authorUid: string;
  problems: ImportProblem[];
  unit?: OrgUnit;
  platformName?: string;
  accountId?: string;
  canonicalUrl?: string;
  editors: Person[];
  author?: Person;
}

const UID = new RegExp(`^[a-z0-9][a-z0-9._-]{0,${LIMITS.uid - 1}}$`);
const PROBLEM_URL: Record<string, MessageKey> = {
  empty: 'admin.import.problem.urlMissing',
  too_long: 'admin.import.problem.url.too_long',
  not_a_url: 'admin.import.problem.url.not_a_url',
  unsupported_scheme: 'admin.import.problem.url.unsupported_scheme',
  host_not_allowed: 'admin.import.problem.url.host_not_allowed',
  not_an_account: 'admin.import.problem.url.not_an_account',
};

/** "2019-05-01" or "01.05.2019" → "2019-05-01"; undefined when it is no date. */
export function readDay(value: string): string | undefined {
  const german = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(value);
  const iso = german ? `${german[3]}-${german[2]?.padStart(2, '0')}-${german[1]?.padStart(2, '0')}` : value;
  return isDay(iso) ? iso : undefined;
}

const accountKey = (platform: string, id: string) => `${platform}\u0000${id.toLowerCase()}`;

/**
 * The dry run: every row checked against the register as it is now (units, enabled
 * platforms, canonical URLs, presences and requests in flight, the directory) and against
 * the other rows. Reads only; the import repeats it inside its transaction.
 */
export async function checkImport(
  db: Knex | Knex.Transaction,
  directory: ReturnType<typeof memoDirectory>,
  records: CsvRecord[],
  now: Date,
): Promise<CheckedRow[]> {
  const units = new Map((await listUnits(db, { includeRetired: true })).map((u) => [u.code, u]));
  const platformRows: Array<{ key: string; name: string; enabled: boolean; rules: unknown }> = await db(
    'platforms',
  ).select('key', 'name', 'enabled', 'rules');
  const platforms = new Map<string, { name: string; enabled: boolean; rules: PlatformRules }>(
    platformRows.map((p) => [p.key, { name: p.name, enabled: p.enabled, rules: platformRulesSchema.parse(p.rules) }]),
  );
  const registered = new Map<string, { id: number; name: string }>();
  for (const p of await db('presences').select<
    Array<{ id: number; name: string; platform_key: string; account_id: string }>
  >('id', 'name', 'platform_key', 'account_id')) {
    registered.set(accountKey(p.platform_key, p.account_id), { id: p.id, name: p.name });
  }
  const inFlight = new Map<string, number>();
  const open: Array<{ id: number; platform: string | null; url: string | null }> = await db('requests')
    .whereIn('status', ['in_review', 'returned'])
    .select('id', db.raw("data->>'platform' as platform"), db.raw("data->>'url' as url"));
  for (const r of open) {
    const rules = r.platform ? platforms.get(r.platform)?.rules : undefined;
    const c = rules && r.url ? canonicalise(r.url, rules) : undefined;
    if (r.platform && c?.ok && !inFlight.has(accountKey(r.platform, c.id)))
      inFlight.set(accountKey(r.platform, c.id), r.id);
  }

  const rows: CheckedRow[] = records.map((record) => {
    const c = record.cells;
    return {
      line: record.line,
      unitCode: c.unit_code ?? '',
      platform: (c.platform ?? '').toLowerCase(),
      name: c.name ?? '',
      url: c.url ?? '',
      description: (c.description ?? '').replace(/\r\n?/g, '\n'),
      hannoverDeUrl: c.hannover_de_url ?? '',
      existingSince: c.existing_since ?? '',
      editorUids: (c.editors ?? '')
        .toLowerCase()
        .split(/[\s|,;]+/)
        .filter((u) => u !== ''),
      authorUid: (c.author ?? '').toLowerCase(),
      problems: [],
      editors: [],
    };
  });

  const uids = new Set<string>();
  for (const r of rows) {
    for (const uid of r.editorUids) if (UID.test(uid)) uids.add(uid);
    if (r.authorUid && UID.test(r.authorUid)) uids.add(r.authorUid);
  }
  const people = await directory.lookupAll(uids);
  const person = (uid: string): Person | undefined => {
    const p = people.get(uid);
    return p ? { uid: p.uid, name: p.name, email: p.email ?? null } : undefined;
  };

  const seen = new Map<string, number>();
  const today = now.toISOString().slice(0, 10);
  for (const row of rows) {
    const problem = (column: ImportColumn, message: MessageKey, params?: Record<string, string | number>) =>
      row.problems.push({ column, message, ...(params ? { params } : {}) });

    if (!row.unitCode) problem('unit_code', 'admin.import.problem.unitMissing');
    else {
      const unit = units.get(row.unitCode);
      if (!unit) problem('unit_code', 'admin.import.problem.unitUnknown', { code: row.unitCode });
      else if (unit.retired_at) problem('unit_code', 'admin.import.problem.unitRetired', { name: unit.name });
      else row.unit = unit;
    }

    const platform = row.platform ? platforms.get(row.platform) : undefined;
    if (!row.platform) problem('platform', 'admin.import.problem.platformMissing');
    else if (!platform)
      problem('platform', 'admin.import.problem.platformUnknown', {
        key: row.platform,
        known: [...platforms.keys()].join(', '),
      });
    else {
      row.platformName = platform.name;
      if (!platform.enabled) problem('platform', 'admin.import.problem.platformDisabled', { name: platform.name });
    }

    if (!row.name) problem('name', 'admin.import.problem.nameMissing');
    else if (row.name.length > LIMITS.name) problem('name', 'admin.error.tooLong', { max: LIMITS.name });

    if (!row.url) problem('url', 'admin.import.problem.urlMissing');
    else if (platform) {
      const canonical = canonicalise(row.url, platform.rules);
      if (!canonical.ok)
        problem('url', PROBLEM_URL[canonical.reason] ?? 'admin.import.problem.url.not_an_account', {
          platform: platform.name,
        });
      // the register stores the canonical form: it must fit its columns
      else if (canonical.id.length > LIMITS.accountId || canonical.url.length > LIMITS.url)
        problem('url', 'admin.error.tooLong', { max: LIMITS.url });
      else {
        row.accountId = canonical.id;
        row.canonicalUrl = canonical.url;
        const key = accountKey(row.platform, canonical.id);
        const presence = registered.get(key);
        const request = inFlight.get(key);
        const earlier = seen.get(key);
        if (presence) problem('url', 'admin.import.problem.urlRegistered', { name: presence.name, id: presence.id });
        else if (request !== undefined) problem('url', 'admin.import.problem.urlInFlight', { id: request });
        else if (earlier !== undefined) problem('url', 'admin.import.problem.duplicateRow', { line: earlier });
        else seen.set(key, row.line);
      }
    }
    if (row.url.length > LIMITS.url) problem('url', 'admin.error.tooLong', { max: LIMITS.url });

    if (row.description.length > LIMITS.longText)
      problem('description', 'admin.error.tooLong', { max: LIMITS.longText });
    if (row.hannoverDeUrl && (row.hannoverDeUrl.length > LIMITS.url || !isHannoverDeUrl(row.hannoverDeUrl))) {
      problem('hannover_de_url', 'admin.import.problem.hannoverDe');
    }
    if (row.existingSince) {
      const day = readDay(row.existingSince);
      if (!day) problem('existing_since', 'admin.import.problem.date');
      else if (day > today) problem('existing_since', 'admin.import.problem.dateFuture');
      else row.existingSince = day;
    }

    if (row.editorUids.length < MIN_EDITORS)
      problem('editors', 'admin.import.problem.editorsTooFew', { min: MIN_EDITORS });
    else if (row.editorUids.length > MAX_EDITORS)
      problem('editors', 'admin.import.problem.editorsTooMany', { max: MAX_EDITORS });
    else {
      // a person named twice is named, as the directory knows them
      const twice = row.editorUids.find((uid, i) => row.editorUids.indexOf(uid) < i);
      if (twice !== undefined)
        problem('editors', 'admin.import.problem.editorsDuplicate', { name: person(twice)?.name ?? twice });
    }
    for (const uid of row.editorUids) {
      if (!UID.test(uid)) problem('editors', 'admin.error.uidInvalid');
      else {
        const p = person(uid);
        if (!p) problem('editors', 'admin.import.problem.editorUnknown', { uid });
        else row.editors.push(p);
      }
    }
    if (row.authorUid) {
      const p = UID.test(row.authorUid) ? person(row.authorUid) : undefined;
      if (!p) problem('author', 'admin.import.problem.authorUnknown', { uid: row.authorUid });
      else row.author = p;
    }
  }
  return rows;
}
