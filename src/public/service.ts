import type { Db } from '../db/knex';
import { matchPlatform, type CanonicalFailureReason } from '../registry/canonical';
import { platformRulesSchema, type PlatformRules } from '../registry/platforms';
import { ResponseCache, VersionReader, VersionedLru } from './cache';
import type { LinkResolver } from './resolve';
import { searchWords, type FieldError, type OverviewQuery } from './schemas';
import * as store from './store';
import { buildUnitTree, type UnitNode, type UnitTree } from './tree';
import { PlatformLookalikes, nonAsciiHandleInPath } from '../reports/lookalike';
import { impostors, publicVerdicts, type CaseRow, type VerdictRow } from '../reports/store';

/** The public register: overview, presence pages, verification and open data. */

export interface PlatformInfo {
  key: string;
  name: string;
  enabled: boolean;
  /** null when the stored rules are invalid: such a platform never matches. */
  rules: PlatformRules | null;
}

/** Everything that changes only with the register version: units, platforms, filter choices. */
export interface Snapshot {
  version: number;
  changedAt: Date;
  units: UnitTree;
  unitOrder: number[];
  platforms: PlatformInfo[];
  platformByKey: Map<string, PlatformInfo>;
  /** Platforms and units (with their ancestors) that have active presences. */
  platformsInUse: Set<string>;
  unitsInUse: Set<number>;
}

export interface UnitInfo {
  code: string;
  name: string;
  path: string[];
  hannoverDeUrl: string | null;
}

export interface PresenceView {
  slug: string;
  name: string;
  description: string;
  url: string;
  /** The account's address as people see it in an app or an address bar ("facebook.com/hannover.de"). */
  address: string;
  platform: { key: string; name: string };
  unit: UnitInfo;
  hannoverDeUrl: string | null;
  status: 'active' | 'closed';
  central: boolean;
  publishedAt: Date | null;
  lastConfirmedAt: Date | null;
  closedAt: Date | null;
}

export interface OverviewGroup {
  unit: UnitInfo;
  presences: PresenceView[];
  /** The group started on the previous page. */
  continued: boolean;
}

export interface OverviewResult {
  total: number;
  page: number;
  pages: number;
  perPage: number;
  from: number;
  to: number;
  central: PresenceView[];
  groups: OverviewGroup[];
}

export type VerifyInvalidReason = Extract<
  CanonicalFailureReason,
  'empty' | 'too_long' | 'not_a_url' | 'unsupported_scheme'
>;
export type VerifyUnknownReason = 'host_not_allowed' | 'not_an_account' | 'not_registered';

/** A registered presence an unknown account looks like (issue 12). */
export interface LookalikeView {
  slug: string;
  name: string;
  url: string;
  address: string;
  status: 'active' | 'closed';
}

/** What a report of this address would be about (not part of the public answer). */
export interface ReportSubject {
  accountId: string;
  url: string;
  lookalikeOf: number[];
}

export type VerifyOutcome =
  | { result: 'invalid'; reason: VerifyInvalidReason }
  | {
      result: 'official' | 'formerly_official';
      platform: { key: string; name: string };
      accountId: string;
      canonicalUrl: string;
      presence: PresenceView;
      officialUntil: Date | null;
    }
  | {
      /** A link of the platform that names no account (a share link): neither official nor not. */
      result: 'unresolvable';
      platform: { key: string; name: string };
      accountId: null;
      canonicalUrl: null;
    }
  | {
      result: 'unknown';
      reason: VerifyUnknownReason;
      platform: { key: string; name: string } | null;
      accountId: string | null;
      canonicalUrl: string | null;
      /** Registered presences of the same platform this account imitates (empty: none). */
      lookalikeOf: LookalikeView[];
      report?: ReportSubject;
    }
  | {
      /** The press office confirmed this account as a fake (src/reports). */
      result: 'impostor';
      platform: { key: string; name: string };
      accountId: string;
      canonicalUrl: string | null;
      warnedSince: Date;
      reportedToPlatformOn: string | null;
      report: ReportSubject;
    };

/** Per register version: the look-alike index and the press office's verdicts. */
interface AccountNotes {
  lookalikes: PlatformLookalikes<{ id: number; view: LookalikeView }>;
  verdicts: Map<string, VerdictRow>;
}

const UNKNOWN_UNIT: UnitInfo = { code: '', name: '', path: [], hannoverDeUrl: null };

/** Only http(s) URLs ever become links, whatever is in the database. */
export function safeHttpUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  return /^https?:\/\/[^\s<>"]+$/i.test(url) ? url : null;
}

/** "https://www.facebook.com/hannover.de/" → "facebook.com/hannover.de": short enough to compare at a glance. */
export function displayAddress(url: string): string {
  return url
    .replace(/^https?:\/\//i, '')
    .replace(/^www\./i, '')
    .replace(/\/+$/, '');
}

export class PublicService {
  readonly versions: VersionReader;
  readonly cache: ResponseCache;
  /** The verification's account lookups (null: not registered), per register version. */
  readonly accounts: VersionedLru<store.PresenceRow | null>;
  private snapshotPromise: Promise<Snapshot> | undefined;
  private notes: { version: number; promise: Promise<AccountNotes> } | undefined;
  private snapshotVersion = -1;
  /** Follows share links on the platforms' own hosts (VERIFY_RESOLVE_LINKS); undefined: off. */
  private readonly resolver: LinkResolver | undefined;

  constructor(
    private readonly db: Db,
    options: { cacheEntries?: number; cacheBytes?: number; accountEntries?: number; resolver?: LinkResolver } = {},
  ) {
    this.resolver = options.resolver;
    this.accounts = new VersionedLru(options.accountEntries ?? 5000);
    this.versions = new VersionReader(() => store.readState(db));
    this.cache = new ResponseCache(options.cacheEntries, options.cacheBytes);
    this.listenForChanges();
  }

  /**
   * The embedded database (PGlite) runs inside this process only, so its NOTIFY at commit
   * reaches every reader that could exist: listen, and skip the per-request version query.
   * PostgreSQL keeps the per-request query, which sees commits of every instance.
   */
  private listenForChanges(): void {
    const pglite = (this.db.client as { pglite?: { listen?: (channel: string, cb: () => void) => Promise<unknown> } })
      .pglite;
    if (typeof pglite?.listen !== 'function') return;
    // NOTIFY register_changed comes from the trigger of migration 0007. LISTEN goes to PGlite
    // directly, not through knex's connection, so it may land inside someone else's open
    // transaction and vanish with its ROLLBACK: only trust it once the database says so (the
    // check waits for any open transaction to end). Otherwise: a version query per request.
    pglite
      .listen(store.CHANGE_CHANNEL, () => this.versions.changed())
      .then(() => this.db.raw('SELECT 1 FROM pg_listening_channels() c WHERE c = ?', [store.CHANGE_CHANNEL]))
      .then(
        (result: { rows: unknown[] }) => {
          if (result.rows.length > 0) this.versions.enablePush();
        },
        () => undefined,
      );
  }

  state(): Promise<store.RegisterState> {
    return this.versions.current();
  }

  /** When the first presence was published (the open-data catalogue's "issued"). */
  firstPublished(): Promise<Date | undefined> {
    return store.firstPublished(this.db);
  }

  /** Units and platforms of this register version, loaded once per version. */
  snapshot(state: store.RegisterState): Promise<Snapshot> {
    if (this.snapshotPromise === undefined || state.version > this.snapshotVersion) {
      this.snapshotVersion = state.version;
      const p = this.loadSnapshot(state);
      this.snapshotPromise = p;
      p.catch(() => {
        if (this.snapshotPromise === p) this.snapshotPromise = undefined;
      });
    }
    return this.snapshotPromise;
  }

  private async loadSnapshot(state: store.RegisterState): Promise<Snapshot> {
    const [unitRows, platformRows, used] = await Promise.all([
      store.loadUnits(this.db),
      store.loadPlatforms(this.db),
      store.inUse(this.db),
    ]);
    const units = buildUnitTree(unitRows);
    const platforms = platformRows.map((p): PlatformInfo => {
      const rules = platformRulesSchema.safeParse(typeof p.rules === 'string' ? JSON.parse(p.rules) : p.rules);
      return { key: p.key, name: p.name, enabled: p.enabled, rules: rules.success ? rules.data : null };
    });
    const unitsInUse = new Set<number>();
    for (const id of used.units) {
      // a unit is a useful filter when it or any unit below it has presences
      for (const node of units.ordered) if (node.subtree.includes(id)) unitsInUse.add(node.id);
    }
    return {
      version: state.version,
      changedAt: state.changedAt,
      units,
      unitOrder: units.ordered.map((u) => u.id),
      platforms,
      platformByKey: new Map(platforms.map((p) => [p.key, p])),
      platformsInUse: new Set(used.platforms),
      unitsInUse,
    };
  }

  unitInfo(snap: Snapshot, node: UnitNode | undefined): UnitInfo {
    if (!node) return UNKNOWN_UNIT;
    return { code: node.code, name: node.name, path: node.path, hannoverDeUrl: safeHttpUrl(node.hannoverDeUrl) };
  }

  toView(snap: Snapshot, row: store.PresenceRow): PresenceView {
    const platform = snap.platformByKey.get(row.platform_key);
    const unit = this.unitInfo(snap, snap.units.byId.get(row.org_unit_id));
    return {
      slug: row.slug,
      name: row.name,
      description: row.description,
      url: safeHttpUrl(row.url) ?? '',
      address: displayAddress(safeHttpUrl(row.url) ?? ''),
      platform: { key: row.platform_key, name: platform?.name ?? row.platform_key },
      unit,
      hannoverDeUrl: safeHttpUrl(row.hannover_de_url) ?? unit.hannoverDeUrl,
      status: row.status,
      central: row.central,
      publishedAt: row.published_at,
      lastConfirmedAt: row.last_confirmed_at,
      closedAt: row.closed_at,
    };
  }

  /** Checks the query against the register; returns the database filter or field errors. */
  async resolveFilter(
    snap: Snapshot,
    query: Pick<OverviewQuery, 'q' | 'plattform' | 'bereich'>,
  ): Promise<{ ok: true; filter: store.PresenceFilter } | { ok: false; errors: FieldError[] }> {
    const errors: FieldError[] = [];
    const filter: store.PresenceFilter = {};
    if (query.plattform !== undefined) {
      if (snap.platformByKey.has(query.plattform)) filter.platform = query.plattform;
      else errors.push({ field: 'plattform', message: 'public.error.platformUnknown' });
    }
    if (query.bereich !== undefined) {
      const unit = snap.units.byCode.get(query.bereich);
      if (unit) filter.unitIds = unit.subtree;
      else errors.push({ field: 'bereich', message: 'public.error.unitUnknown' });
    }
    if (errors.length > 0) return { ok: false, errors };
    const words = searchWords(query.q);
    if (words.length > 0) {
      const analysed = await store.analyseTerms(this.db, words);
      filter.terms = analysed
        // stop words ("der", "und") match nothing on their own: leave them out
        .filter((a) => a.tsquery !== '' || a.unitIds.length > 0)
        .map((a) => {
          const unitIds = new Set<number>();
          for (const id of a.unitIds) for (const sub of snap.units.byId.get(id)?.subtree ?? [id]) unitIds.add(sub);
          const platforms = snap.platforms
            .filter((p) => p.key.startsWith(a.term) || p.name.toLowerCase().startsWith(a.term))
            .map((p) => p.key);
          return { word: a.term, hasLexemes: a.tsquery !== '', unitIds: [...unitIds], platforms };
        });
    }
    return { ok: true, filter };
  }

  /** One page of the overview, grouped by unit; the central presence comes first. */
  async overview(
    snap: Snapshot,
    filter: store.PresenceFilter,
    page: number,
    perPage: number,
  ): Promise<{ ok: true; result: OverviewResult } | { ok: false; pages: number }> {
    const total = await store.countActive(this.db, filter);
    const pages = Math.max(1, Math.ceil(total / perPage));
    if (page > pages) return { ok: false, pages };
    const offset = (page - 1) * perPage;
    // one row more in front: the last entry of the previous page tells whether the first
    // group here continues from there
    const rows = await store.listActive(this.db, filter, snap.unitOrder, {
      offset: Math.max(0, offset - 1),
      limit: perPage + (offset > 0 ? 1 : 0),
    });
    const previous = offset > 0 ? rows.shift() : undefined;
    const entries = rows.map((r) => this.toView(snap, r));

    const central: PresenceView[] = [];
    const groups: OverviewGroup[] = [];
    let lastUnitId: number | undefined = previous && !previous.central ? previous.org_unit_id : undefined;
    rows.forEach((row, i) => {
      const view = entries[i] as PresenceView;
      if (row.central) {
        central.push(view);
        return;
      }
      const current = groups[groups.length - 1];
      if (current && lastUnitId === row.org_unit_id) current.presences.push(view);
      else {
        groups.push({
          unit: view.unit,
          presences: [view],
          continued: groups.length === 0 && lastUnitId === row.org_unit_id,
        });
      }
      lastUnitId = row.org_unit_id;
    });
    return {
      ok: true,
      result: {
        total,
        page,
        pages,
        perPage,
        from: total === 0 ? 0 : offset + 1,
        to: offset + entries.length,
        central,
        groups,
      },
    };
  }

  /** Every active presence (open data, embed), in overview order. */
  async allActive(snap: Snapshot, filter: store.PresenceFilter = {}): Promise<PresenceView[]> {
    const rows = await store.listActive(this.db, filter, snap.unitOrder);
    return rows.map((r) => this.toView(snap, r));
  }

  /** Groups a list in overview order by unit (central presences separately). */
  group(list: PresenceView[]): { central: PresenceView[]; groups: OverviewGroup[] } {
    const central: PresenceView[] = [];
    const groups: OverviewGroup[] = [];
    for (const p of list) {
      if (p.central) {
        central.push(p);
        continue;
      }
      const current = groups[groups.length - 1];
      if (current && current.unit.code === p.unit.code) current.presences.push(p);
      else groups.push({ unit: p.unit, presences: [p], continued: false });
    }
    return { central, groups };
  }

  async newest(snap: Snapshot, limit: number): Promise<PresenceView[]> {
    return (await store.newestPublished(this.db, limit)).map((r) => this.toView(snap, r));
  }

  /** Confirmed fake accounts, newest warning first (the Atom feed). */
  warnings(limit: number): Promise<CaseRow[]> {
    return impostors(this.db, limit);
  }

  async presence(snap: Snapshot, slug: string): Promise<PresenceView | undefined> {
    const row = await store.presenceBySlug(this.db, slug);
    return row ? this.toView(snap, row) : undefined;
  }

  /**
   * Whether a search text is a web address to check rather than words to search: it starts
   * with http(s):// or its host is one of a platform's hosts ("facebook.com/…", "fb.me/…").
   * "hannover.de" alone stays a search.
   */
  isAddress(snap: Snapshot, text: string): boolean {
    if (/^https?:\/\//i.test(text)) return true;
    if (/\s/.test(text)) return false;
    const platforms = snap.platforms.flatMap((p) => (p.rules ? [{ key: p.key, rules: p.rules }] : []));
    const match = matchPlatform(text, platforms);
    return match.ok || match.platform !== undefined;
  }

  /**
   * The presence of a canonical account, asked once per register version: the key is the
   * platform and the canonical id (what every spelling of the address reduces to). The row is
   * read after the snapshot's version was, so it is never older than the version it is kept for.
   */
  private async presenceByAccount(
    snap: Snapshot,
    platform: string,
    accountId: string,
  ): Promise<store.PresenceRow | null> {
    const key = `${platform}\u0000${accountId}`;
    const cached = this.accounts.get(snap.version, key);
    if (cached !== undefined) return cached;
    const row = (await store.presenceByAccount(this.db, platform, accountId)) ?? null;
    this.accounts.set(snap.version, key, row);
    return row;
  }

  /**
   * The look-alike index (every presence's account, per platform) and the verdicts, built once
   * per register version: a confirmed impostor or a changed presence moves the version.
   */
  private accountNotes(snap: Snapshot): Promise<AccountNotes> {
    if (this.notes === undefined || snap.version > this.notes.version) {
      const promise = (async (): Promise<AccountNotes> => {
        const [accounts, verdicts] = await Promise.all([store.registeredAccounts(this.db), publicVerdicts(this.db)]);
        const lookalikes = new PlatformLookalikes(
          accounts.map((a) => ({
            platform: a.platform_key,
            accountId: a.account_id,
            value: {
              id: a.id,
              view: {
                slug: a.slug,
                name: a.name,
                url: safeHttpUrl(a.url) ?? '',
                address: displayAddress(safeHttpUrl(a.url) ?? ''),
                status: a.status,
              },
            },
          })),
        );
        return {
          lookalikes,
          verdicts: new Map(verdicts.map((v) => [`${v.platform_key}\u0000${v.account_id.toLowerCase()}`, v])),
        };
      })();
      this.notes = { version: snap.version, promise };
      promise.catch(() => {
        if (this.notes?.promise === promise) this.notes = undefined;
      });
    }
    return this.notes.promise;
  }

  /**
   * An account that is not registered: a confirmed impostor, or unknown with the presences it
   * imitates — unless the press office found it is ours or unrelated (no warning then).
   */
  private async unregistered(
    snap: Snapshot,
    platform: { key: string; name: string },
    accountId: string,
    url: string,
    unknown: Omit<Extract<VerifyOutcome, { result: 'unknown' }>, 'lookalikeOf' | 'report'>,
  ): Promise<VerifyOutcome> {
    const notes = await this.accountNotes(snap);
    const verdict = notes.verdicts.get(`${platform.key}\u0000${accountId.toLowerCase()}`);
    const matches = verdict ? [] : notes.lookalikes.match(platform.key, accountId);
    const report = { accountId, url, lookalikeOf: matches.map((m) => m.value.id) };
    if (verdict?.state === 'impostor') {
      return {
        result: 'impostor',
        platform,
        accountId,
        canonicalUrl: unknown.canonicalUrl,
        warnedSince: verdict.confirmed_at ?? snap.changedAt,
        reportedToPlatformOn: verdict.reported_to_platform_on,
        report,
      };
    }
    return { ...unknown, lookalikeOf: matches.map((m) => m.value.view), report };
  }

  /**
   * "Is this account official?" Every platform's rules take part, including disabled
   * platforms: a presence registered before its platform was switched off is still official.
   */
  async verify(snap: Snapshot, input: string): Promise<VerifyOutcome> {
    const platforms = snap.platforms.flatMap((p) => (p.rules ? [{ key: p.key, rules: p.rules }] : []));
    let match = matchPlatform(input, platforms);
    if (!match.ok && match.reason === 'unresolvable' && match.platform !== undefined && this.resolver) {
      // only redirects to an account, or to another unresolvable link, on the same platform's hosts
      const platform = match.platform;
      const resolved = await this.resolver.resolve(input, (url) => {
        const next = matchPlatform(url, platforms);
        if (next.platform !== platform) return 'stop';
        if (next.ok) return 'done';
        return next.reason === 'unresolvable' ? 'follow' : 'stop';
      });
      if (resolved !== null) match = matchPlatform(resolved, platforms);
    }
    if (!match.ok) {
      if (match.reason === 'unresolvable' && match.platform !== undefined) {
        const platform = snap.platformByKey.get(match.platform);
        return {
          result: 'unresolvable',
          platform: { key: match.platform, name: platform?.name ?? match.platform },
          accountId: null,
          canonicalUrl: null,
        };
      }
      if (match.reason === 'host_not_allowed' || match.reason === 'not_an_account') {
        const platform = match.platform ? snap.platformByKey.get(match.platform) : undefined;
        const unknown = {
          result: 'unknown' as const,
          reason: match.reason,
          platform: platform ? { key: platform.key, name: platform.name } : null,
          accountId: null,
          canonicalUrl: null,
        };
        // a name the platform's rules refuse only for its letters: the homoglyph case
        const handle = platform && match.reason === 'not_an_account' ? nonAsciiHandleInPath(input) : null;
        if (platform && handle) {
          const url = `https://${new URL(/^https?:\/\//i.test(input.trim()) ? input.trim() : `https://${input.trim()}`).host}/${handle}`;
          return this.unregistered(snap, { key: platform.key, name: platform.name }, handle, url, unknown);
        }
        return { ...unknown, lookalikeOf: [] };
      }
      if (match.reason === 'unresolvable')
        return {
          result: 'unknown',
          reason: 'not_an_account',
          platform: null,
          accountId: null,
          canonicalUrl: null,
          lookalikeOf: [],
        };
      return { result: 'invalid', reason: match.reason };
    }
    const platformInfo = snap.platformByKey.get(match.platform);
    const platform = { key: match.platform, name: platformInfo?.name ?? match.platform };
    const row = await this.presenceByAccount(snap, match.platform, match.id);
    if (!row) {
      return this.unregistered(snap, platform, match.id, match.url, {
        result: 'unknown',
        reason: 'not_registered',
        platform,
        accountId: match.id,
        canonicalUrl: match.url,
      });
    }
    const presence = this.toView(snap, row);
    return {
      result: row.status === 'active' ? 'official' : 'formerly_official',
      platform,
      accountId: match.id,
      canonicalUrl: match.url,
      presence,
      officialUntil: row.status === 'active' ? null : row.closed_at,
    };
  }
}
