import type { Knex } from 'knex';
import type { SessionUser } from '../../directory/user';
import { recordHistory } from '../../audit/history';
import { canonicalise, type CanonicalResult } from '../../registry/canonical';
import { parsePlatformRules, platformRulesSchema, type PlatformRules } from '../../registry/platforms';
import type { FieldError } from '../../web/forms';
import { error } from '../web';

export interface PlatformRow {
  key: string;
  name: string;
  enabled: boolean;
  sort_order: number;
  rules: PlatformRules;
}

/** The rules without the host list, as the JSON field shows them (hosts have their own field). */
export function rulesWithoutHosts(rules: PlatformRules): string {
  const { hosts: _hosts, ...rest } = rules;
  return JSON.stringify(rest, null, 2);
}

export const hostsText = (rules: PlatformRules) => rules.hosts.join('\n');

/**
 * Reads the host list (one per line) and the rules (JSON) as typed and validates them with
 * the platform schema. Host problems are shown at the host list, everything else at the rules.
 */
export function readRules(
  hosts: string,
  json: string,
): { ok: true; rules: PlatformRules } | { ok: false; errors: FieldError[] } {
  const hostList = hosts
    .split(/[\n,]+/)
    .map((h) => h.trim())
    .filter((h) => h !== '');
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (e) {
    return { ok: false, errors: [error('regeln', 'admin.platforms.error.json', { detail: (e as Error).message })] };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, errors: [error('regeln', 'admin.platforms.error.notObject')] };
  }
  if ('hosts' in parsed) return { ok: false, errors: [error('regeln', 'admin.platforms.error.hostsInRules')] };
  const result = parsePlatformRules({ ...parsed, hosts: hostList });
  if (result.ok) return result;
  return {
    ok: false,
    errors: result.errors.map((detail) =>
      error(/^hosts\b/.test(detail) ? 'hosts' : 'regeln', 'admin.platforms.error.rule', { detail }),
    ),
  };
}

/** Presences this platform's new rules would read differently (another id, or no account). */
export async function affectedPresences(db: Knex | Knex.Transaction, key: string, rules: PlatformRules) {
  const presences: Array<{ id: number; name: string; url: string; account_id: string }> = await db('presences')
    .where({ platform_key: key })
    .select('id', 'name', 'url', 'account_id')
    .orderBy('id');
  return presences.filter((p) => {
    const c = canonicalise(p.url, rules);
    return !c.ok || c.id !== p.account_id.toLowerCase();
  });
}

export function preview(rules: PlatformRules, sample: string): CanonicalResult {
  return canonicalise(sample, rules);
}

/** A platforms row as stored (rules are jsonb, read through the platform schema). */
interface StoredPlatform {
  key: string;
  name: string;
  enabled: boolean;
  sort_order: number;
  rules: unknown;
}

/**
 * Opens or closes a platform to new requests inside the caller's transaction (the platforms
 * page, and a platform re-assessment that closes it meanwhile); `comment` says why.
 * False when there is no such platform; a platform already in that state is left alone.
 */
export async function setPlatformEnabled(
  trx: Knex.Transaction,
  actor: Pick<SessionUser, 'uid' | 'name'>,
  key: string,
  enabled: boolean,
  now: Date,
  comment?: string,
): Promise<boolean> {
  const row = await trx<StoredPlatform>('platforms').where({ key }).forUpdate().first('key', 'enabled');
  if (!row) return false;
  if (row.enabled === enabled) return true;
  await trx('platforms').where({ key }).update({ enabled, updated_at: now });
  await recordHistory(trx, {
    at: now,
    actorUid: actor.uid,
    actorName: actor.name,
    action: enabled ? 'platform.enabled' : 'platform.disabled',
    entityType: 'platform',
    entityId: key,
    comment: comment ?? null,
    changes: { enabled: { before: row.enabled, after: enabled } },
  });
  return true;
}

export function createPlatformService(deps: { db: Knex; clock: () => Date }) {
  const { db, clock } = deps;
  const parse = (row: { rules: unknown }) => platformRulesSchema.parse(row.rules);

  return {
    /** The presences the rules as typed would read differently (the preview's warning). */
    affected: (key: string, rules: PlatformRules) => affectedPresences(db, key, rules),

    async list(): Promise<Array<PlatformRow & { presences: number; active: number }>> {
      const rows = await db<StoredPlatform>('platforms').orderBy([{ column: 'sort_order' }, { column: 'key' }]);
      const counts: Array<{ platform_key: string; status: string; n: number }> = await db('presences')
        .groupBy('platform_key', 'status')
        .select('platform_key', 'status')
        .count({ n: '*' });
      return rows.map((r) => ({
        ...r,
        rules: parse(r),
        presences: counts.filter((c) => c.platform_key === r.key).reduce((s, c) => s + Number(c.n), 0),
        active: Number(counts.find((c) => c.platform_key === r.key && c.status === 'active')?.n ?? 0),
      }));
    },

    async get(key: string): Promise<PlatformRow | undefined> {
      const row = await db<StoredPlatform>('platforms').where({ key }).first();
      return row ? { ...row, rules: parse(row) } : undefined;
    },

    /** Disabling stops new requests; existing presences stay as they are. */
    async setEnabled(actor: SessionUser, key: string, enabled: boolean): Promise<boolean> {
      const now = clock();
      return db.transaction((trx) => setPlatformEnabled(trx, actor, key, enabled, now));
    },

    /** Saves new rules; refuses when they would misread registered presences, unless forced. */
    async saveRules(
      actor: SessionUser,
      key: string,
      rules: PlatformRules,
      force: boolean,
    ): Promise<{ ok: true } | { ok: false; affected: Array<{ id: number; name: string; url: string }> } | undefined> {
      const now = clock();
      return db.transaction(async (trx) => {
        const row = await trx<StoredPlatform>('platforms').where({ key }).forUpdate().first();
        if (!row) return undefined;
        const affected = await affectedPresences(trx, key, rules);
        if (affected.length > 0 && !force) return { ok: false, affected };
        const before = parse(row);
        if (JSON.stringify(before) === JSON.stringify(rules)) return { ok: true };
        await trx('platforms')
          .where({ key })
          .update({ rules: JSON.stringify(rules), updated_at: now });
        const changes: Record<string, { before: unknown; after: unknown }> = {};
        if (JSON.stringify(before.hosts) !== JSON.stringify(rules.hosts))
          changes.hosts = { before: before.hosts, after: rules.hosts };
        const { hosts: _b, ...restBefore } = before;
        const { hosts: _a, ...restAfter } = rules;
        if (JSON.stringify(restBefore) !== JSON.stringify(restAfter))
          changes.rules = { before: restBefore, after: restAfter };
        await recordHistory(trx, {
          at: now,
          actorUid: actor.uid,
          actorName: actor.name,
          action: 'platform.rules_changed',
          entityType: 'platform',
          entityId: key,
          comment: affected.length
            ? `${affected.length} presence(s) read differently: ${affected.map((a) => a.id).join(', ')}`
            : null,
          changes,
        });
        return { ok: true };
      });
    },
  };
}

export type PlatformService = ReturnType<typeof createPlatformService>;
