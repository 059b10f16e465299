import type { Knex } from 'knex';

/**
 * Short and mobile hosts, and the links that name no account ("unresolvable": share links of
 * the apps' "Link kopieren", short video links), for the platforms of the catalogue in
 * databases created before they were part of DEFAULT_PLATFORMS (src/registry/platforms.ts,
 * which migration 0003 seeds on new databases). Frozen here so this migration always does
 * the same. Rules an administrator changed are respected: a host is only added when no
 * platform lists it yet, and "unresolvable" only when the platform has none.
 */
const ADDITIONS: Record<string, { hosts: string[]; unresolvable: Array<{ path: string; hosts?: string[] }> }> = {
  facebook: {
    hosts: ['touch.facebook.com', 'fb.me', 'fb.watch'],
    unresolvable: [
      { path: '/share(?:/.*)?' },
      { path: '/(?:watch|reel|story\\.php|permalink\\.php|photo\\.php|video\\.php)(?:/.*)?' },
      { path: '/.+', hosts: ['fb.watch'] },
      { path: '/[a-z]/.+', hosts: ['fb.me'] },
    ],
  },
  instagram: {
    hosts: ['m.instagram.com', 'instagr.am', 'www.instagr.am'],
    unresolvable: [{ path: '/(?:p|reel|reels|tv|stories|share|s)/.+' }],
  },
  youtube: {
    hosts: ['youtu.be'],
    unresolvable: [
      { path: '/.+', hosts: ['youtu.be'] },
      { path: '/(?:watch|shorts/[^/]+|live/[^/]+|embed/[^/]+)(?:/.*)?' },
    ],
  },
  x: {
    hosts: ['mobile.x.com', 't.co'],
    unresolvable: [{ path: '/.+', hosts: ['t.co'] }],
  },
};

interface StoredRules {
  hosts: string[];
  unresolvable?: Array<{ path: string; hosts?: string[] }>;
  [key: string]: unknown;
}

const read = (rules: unknown): StoredRules => (typeof rules === 'string' ? JSON.parse(rules) : rules) as StoredRules;

export async function up(knex: Knex): Promise<void> {
  const rows: Array<{ key: string; rules: unknown }> = await knex('platforms').select('key', 'rules').orderBy('key');
  const listed = new Set(rows.flatMap((r) => read(r.rules).hosts ?? []));
  for (const row of rows) {
    const add = ADDITIONS[row.key];
    if (!add) continue;
    const rules = read(row.rules);
    if (!Array.isArray(rules.hosts)) continue;
    const hosts = [...rules.hosts];
    for (const host of add.hosts) {
      if (listed.has(host)) continue;
      hosts.push(host);
      listed.add(host);
    }
    const next: StoredRules = { ...rules, hosts };
    if (rules.unresolvable === undefined) {
      // a host-bound rule only where this platform lists the host
      next.unresolvable = add.unresolvable.filter((u) => !u.hosts || u.hosts.every((h) => hosts.includes(h)));
    }
    if (JSON.stringify(next) !== JSON.stringify(rules)) {
      await knex('platforms')
        .where({ key: row.key })
        .update({ rules: JSON.stringify(next) });
    }
  }
}

export async function down(knex: Knex): Promise<void> {
  const rows: Array<{ key: string; rules: unknown }> = await knex('platforms').select('key', 'rules').orderBy('key');
  for (const row of rows) {
    const add = ADDITIONS[row.key];
    if (!add) continue;
    const rules = read(row.rules);
    const next: StoredRules = { ...rules, hosts: (rules.hosts ?? []).filter((h) => !add.hosts.includes(h)) };
    if (JSON.stringify(rules.unresolvable) === JSON.stringify(add.unresolvable)) delete next.unresolvable;
    if (JSON.stringify(next) !== JSON.stringify(rules)) {
      await knex('platforms')
        .where({ key: row.key })
        .update({ rules: JSON.stringify(next) });
    }
  }
}
