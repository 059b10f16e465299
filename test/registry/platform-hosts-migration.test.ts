import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { up } from '../../migrations/20261201_0010_platform_short_hosts';
import { canonicalise } from '../../src/registry/canonical';
import { DEFAULT_PLATFORMS, platformRulesSchema, type PlatformRules } from '../../src/registry/platforms';

/**
 * Migration 0010 brings the short and mobile hosts and the "unresolvable" link forms to
 * databases whose platform rules were seeded before they existed (migration 0003 seeds the
 * catalogue as it was then), without overriding what an administrator changed.
 */
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

const NEW_HOSTS = [
  'touch.facebook.com',
  'fb.me',
  'fb.watch',
  'm.instagram.com',
  'instagr.am',
  'www.instagr.am',
  'youtu.be',
  'mobile.x.com',
  't.co',
];

/** The rules as migration 0003 stored them before this change. */
function before(rules: PlatformRules): Record<string, unknown> {
  const { unresolvable: _u, ...rest } = rules;
  return { ...rest, hosts: rules.hosts.filter((h) => !NEW_HOSTS.includes(h)) };
}

async function rulesOf(key: string): Promise<PlatformRules> {
  const row = await database.db('platforms').where({ key }).first('rules');
  return platformRulesSchema.parse(typeof row.rules === 'string' ? JSON.parse(row.rules) : row.rules);
}

async function store(key: string, rules: Record<string, unknown>) {
  await database
    .db('platforms')
    .where({ key })
    .update({ rules: JSON.stringify(rules) });
}

describe('migration 0010: short and mobile hosts for existing databases', () => {
  it('adds the hosts and link forms of the catalogue to rules stored without them', async () => {
    for (const p of DEFAULT_PLATFORMS) await store(p.key, before(p.rules));
    expect(canonicalise('https://fb.me/hannover.de', await rulesOf('facebook'))).toEqual({
      ok: false,
      reason: 'host_not_allowed',
    });

    await up(database.db);
    await up(database.db); // a second run changes nothing

    for (const p of DEFAULT_PLATFORMS) {
      const stored = await rulesOf(p.key);
      expect([...stored.hosts].sort(), p.key).toEqual([...p.rules.hosts].sort());
      expect(stored.unresolvable, p.key).toEqual(p.rules.unresolvable);
      expect(new Set(stored.hosts).size, `${p.key}: no host twice`).toBe(stored.hosts.length);
    }
    const facebook = await rulesOf('facebook');
    expect(canonicalise('https://fb.me/hannover.de', facebook)).toMatchObject({ ok: true, id: 'hannover.de' });
    expect(canonicalise('https://www.facebook.com/share/1AbCdEfGhI/', facebook)).toEqual({
      ok: false,
      reason: 'unresolvable',
    });
  });

  it("keeps an administrator's own rules and never lists a host on two platforms", async () => {
    const x = DEFAULT_PLATFORMS.find((p) => p.key === 'x')!;
    const youtube = DEFAULT_PLATFORMS.find((p) => p.key === 'youtube')!;
    // an administrator decided: no unresolvable links on X; and put youtu.be on another platform
    await store('x', { ...before(x.rules), unresolvable: [] });
    await store('youtube', before(youtube.rules));
    await database.db('platforms').insert({
      key: 'kurzlinks',
      name: 'Kurzlinks',
      enabled: false,
      sort_order: 90,
      rules: JSON.stringify({
        hosts: ['youtu.be'],
        patterns: [{ path: '/([a-z]+)', idTemplate: '{1}' }],
        reservedFirstSegments: [],
        canonicalUrlTemplate: 'https://youtu.be/{id}',
      }),
    });

    await up(database.db);

    const storedX = await rulesOf('x');
    expect(storedX.unresolvable).toEqual([]);
    expect(storedX.hosts).toEqual(expect.arrayContaining(['mobile.x.com', 't.co']));
    const storedYoutube = await rulesOf('youtube');
    expect(storedYoutube.hosts).not.toContain('youtu.be');
    // the rule bound to youtu.be is left out; the one for every host stays
    expect(storedYoutube.unresolvable).toEqual(youtube.rules.unresolvable?.filter((u) => !u.hosts));
  });
});
