import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import type { Express } from 'express';
import { createTestContext, type TestContext } from '../helpers/app';
import { backendName } from '../helpers/env';
import { createTestDatabase } from '../helpers/db';
import { createApp } from '../../src/app';
import { buildContainer } from '../../src/container';
import { connectPostgres, type Database } from '../../src/db/knex';
import { LruCache, VersionReader, VersionedLru, etagFor } from '../../src/public/cache';
import { PublicService } from '../../src/public/service';
import { readState } from '../../src/public/store';
import { insertPresence, seedRegister } from './fixtures';

let ctx: TestContext;
let units: Map<string, number>;
/** A second instance: on PostgreSQL with its own connection pool, like a second process. */
let second: { app: Express; database?: Database };

beforeAll(async () => {
  ctx = await createTestContext();
  units = await seedRegister(ctx.database.db);
  if (ctx.database.url) {
    const database = connectPostgres(ctx.database.url, 2);
    second = { app: createApp(ctx.config, buildContainer({ ...ctx.services, db: database.db })), database };
  } else {
    second = { app: createApp(ctx.config, buildContainer(ctx.services)) };
  }
});
afterAll(async () => {
  await second.database?.close();
  await ctx.close();
});

let n = 0;
const publish = async (name: string) => {
  n += 1;
  await insertPresence(ctx.database.db, units, {
    slug: `neu-${n}-facebook`,
    platform: 'facebook',
    accountId: `neu${n}`,
    url: `https://www.facebook.com/neu${n}`,
    name,
    unit: '37',
  });
};

describe('conditional requests', () => {
  it('sends ETag, Last-Modified and Cache-Control for a proxy, and 304 for an unchanged overview', async () => {
    const first = await request(ctx.app).get('/').expect(200);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"v\d+-[A-Za-z0-9_-]{22}"$/);
    expect(first.headers['last-modified']).toMatch(/GMT$/);
    expect(first.headers['cache-control']).toBe('public, max-age=60');

    const again = await request(ctx.app).get('/').set('If-None-Match', etag).expect(304);
    expect(again.text).toBe('');
    expect(again.headers.etag).toBe(etag);
    await request(ctx.app).get('/').set('If-None-Match', `W/${etag}`).expect(304);
    await request(ctx.app).get('/').set('If-None-Match', `"other", ${etag}`).expect(304);
    await request(ctx.app).get('/').set('If-None-Match', '"v1-stale"').expect(200);
    await request(ctx.app)
      .get('/')
      .set('If-Modified-Since', first.headers['last-modified'] as string)
      .expect(304);
    await request(ctx.app).get('/').set('If-Modified-Since', 'Thu, 01 Jan 2015 00:00:00 GMT').expect(200);
  });

  it('uses a different ETag for each language and query, and the same bytes on every instance', async () => {
    const tags = await Promise.all(
      ['/', '/en', '/?q=Museum', '/?plattform=facebook'].map(async (p) => (await request(ctx.app).get(p)).headers.etag),
    );
    expect(new Set(tags).size).toBe(4);
    const a = await request(ctx.app).get('/?q=Museum');
    const b = await request(second.app).get('/?q=Museum');
    expect(b.headers.etag).toBe(a.headers.etag);
    await request(second.app)
      .get('/?q=Museum')
      .set('If-None-Match', a.headers.etag as string)
      .expect(304);
  });

  it.each(['/angebote.json', '/angebote.csv', '/angebote.atom', '/einbetten', '/angebote/sprengel-museum-facebook'])(
    '%s answers 304 when unchanged',
    async (path) => {
      const res = await request(ctx.app).get(path).expect(200);
      await request(ctx.app)
        .get(path)
        .set('If-None-Match', res.headers.etag as string)
        .expect(304);
    },
  );

  it('never answers 304 or caches a refused query', async () => {
    const res = await request(ctx.app).get('/?seite=abc').expect(400);
    expect(res.headers['cache-control']).toBe('no-store');
    await request(ctx.app)
      .get('/?seite=abc')
      .set('If-None-Match', (res.headers.etag as string) ?? '*')
      .expect(400);
    await request(ctx.app).get('/?seite=9').set('If-None-Match', '*').expect(404);
  });
});

describe('invalidation across instances', () => {
  it('shows a publication made elsewhere on the next request of every instance', async () => {
    const before1 = await request(ctx.app).get('/').expect(200);
    const before2 = await request(second.app).get('/').expect(200);
    expect(before1.text).not.toContain('Neu veröffentlicht');
    expect(before2.text).not.toContain('Neu veröffentlicht');

    await publish('Neu veröffentlicht');

    const after2 = await request(second.app)
      .get('/')
      .set('If-None-Match', before2.headers.etag as string)
      .expect(200);
    expect(after2.text).toContain('Neu veröffentlicht');
    expect(after2.headers.etag).not.toBe(before2.headers.etag);
    const after1 = await request(ctx.app).get('/').expect(200);
    expect(after1.text).toContain('Neu veröffentlicht');
    const json = await request(second.app).get('/angebote.json').expect(200);
    expect(json.text).toContain('Neu veröffentlicht');
  });

  it('shows a closure on the next request', async () => {
    await publish('Bald geschlossen');
    const slug = `neu-${n}-facebook`;
    expect((await request(second.app).get('/')).text).toContain('Bald geschlossen');
    await ctx.database
      .db('presences')
      .where({ slug })
      .update({ status: 'closed', closed_at: new Date('2026-02-01T12:00:00Z') });
    expect((await request(second.app).get('/')).text).not.toContain('Bald geschlossen');
    expect((await request(second.app).get(`/angebote/${slug}`).expect(200)).text).toContain(
      'offiziell bis zum 1. Februar 2026',
    );
  });

  it('shows a deletion on the next request', async () => {
    await publish('Gleich gelöscht');
    expect((await request(ctx.app).get('/')).text).toContain('Gleich gelöscht');
    await ctx.database
      .db('presences')
      .where({ slug: `neu-${n}-facebook` })
      .delete();
    expect((await request(ctx.app).get('/')).text).not.toContain('Gleich gelöscht');
    expect((await request(second.app).get('/')).text).not.toContain('Gleich gelöscht');
  });

  it('follows changes of units and platforms too', async () => {
    await ctx.database.db('org_units').where({ code: '37' }).update({ name: 'Feuerwehr und Rettungsdienst' });
    expect((await request(second.app).get('/')).text).toContain('Feuerwehr und Rettungsdienst');
    await ctx.database.db('platforms').where({ key: 'x' }).update({ name: 'X (vormals Twitter)' });
    expect((await request(second.app).get('/')).text).toContain('X (vormals Twitter)');
  });
});

describe('verification answers (/pruefen.json, /pruefen), cached per register version', () => {
  const verdict = async (app: Express, url: string) =>
    ((await request(app).get('/pruefen.json').query({ url }).expect(200)).body as { result: string }).result;

  it('a publication and a closing change the verdict at once, on every instance', async () => {
    const account = `https://www.facebook.com/neu${n + 1}`;
    // both instances have answered (and kept) "not registered" for this account
    expect(await verdict(ctx.app, account)).toBe('unknown');
    expect(await verdict(second.app, account)).toBe('unknown');
    expect(await verdict(second.app, `facebook.com/neu${n + 1}/?ref=x`)).toBe('unknown');

    await publish('Gerade geprüft');
    expect(await verdict(second.app, account)).toBe('official');
    expect(await verdict(ctx.app, `facebook.com/neu${n}/?ref=x`)).toBe('official');
    expect((await request(second.app).get('/pruefen').query({ url: account }).expect(200)).text).toContain(
      'Gerade geprüft',
    );

    await ctx.database
      .db('presences')
      .where({ slug: `neu-${n}-facebook` })
      .update({ status: 'closed', closed_at: new Date('2026-03-01T12:00:00Z') });
    expect(await verdict(second.app, account)).toBe('formerly_official');
    expect(await verdict(ctx.app, account)).toBe('formerly_official');
  });

  it('looks an account up once per register version, however the address is written', async () => {
    let lookups = 0;
    const count = (q: { sql: string }) => {
      if (q.sql.includes('account_id')) lookups += 1;
    };
    await publish('Einmal nachgeschlagen');
    const written = [
      `https://www.facebook.com/neu${n}`,
      `facebook.com/neu${n}`,
      `http://m.facebook.com/neu${n}/?utm_source=x`,
      `www.facebook.com/neu${n}/`,
    ];
    ctx.database.db.on('query', count);
    try {
      for (const url of written) expect(await verdict(ctx.app, url)).toBe('official');
      expect(lookups).toBe(1);
      await ctx.database.db('org_units').where({ code: '41' }).update({ name: 'Fachbereich Kultur (neuer)' });
      expect(await verdict(ctx.app, written[0] as string)).toBe('official');
      expect(lookups).toBe(2);
    } finally {
      ctx.database.db.removeListener('query', count);
    }
  });

  it('never keeps more accounts than its bound', async () => {
    const service = new PublicService(ctx.database.db, { accountEntries: 3 });
    const state = await service.state();
    const snap = await service.snapshot(state);
    for (let i = 0; i < 10; i++) {
      const outcome = await service.verify(snap, `https://www.facebook.com/unbekannt${i}`);
      expect(outcome.result).toBe('unknown');
      expect(service.accounts.size).toBeLessThanOrEqual(3);
    }
    expect(service.accounts.size).toBe(3);
    expect((await service.verify(snap, 'https://www.facebook.com/hannover.de')).result).toBe('official');
    expect(service.accounts.size).toBe(3);
  });
});

describe('VersionedLru', () => {
  it('evicts the least recently used entry beyond its bound, and empties itself for a newer version', () => {
    const lru = new VersionedLru<string | null>(2);
    expect(lru.get(1, 'a')).toBeUndefined();
    lru.set(1, 'a', 'A');
    lru.set(1, 'b', null);
    expect(lru.get(1, 'a')).toBe('A'); // a is now the most recently used
    lru.set(1, 'c', 'C');
    expect(lru.size).toBe(2);
    expect(lru.get(1, 'b')).toBeUndefined();
    expect(lru.get(1, 'c')).toBe('C');
    lru.set(0, 'old', 'read for an older version'); // never kept
    expect(lru.get(1, 'old')).toBeUndefined();
    expect(lru.get(2, 'a')).toBeUndefined();
    expect(lru.size).toBe(0);
    expect(lru.get(1, 'c')).toBeUndefined(); // an older version finds nothing
  });
});

describe('asking the database for the register version', () => {
  // PGlite lives in this process only: NOTIFY from the trigger (migration 0007) tells the cache
  // about every commit, so cached pages need no query. PostgreSQL may have other instances
  // writing, so every request asks (concurrent requests share one query).
  const embedded = backendName !== 'postgres';
  it(
    embedded
      ? 'embedded: answers cached pages without asking, and still sees every commit'
      : 'PostgreSQL: asks once per request, and sees every commit',
    async () => {
      let versionQueries = 0;
      const count = (q: { sql: string }) => {
        if (q.sql.includes('register_state')) versionQueries += 1;
      };
      await request(ctx.app).get('/').expect(200);
      await new Promise((r) => setTimeout(r, 50)); // LISTEN is in place
      await request(ctx.app).get('/').expect(200);
      ctx.database.db.on('query', count);
      try {
        for (let i = 0; i < 5; i++) await request(ctx.app).get('/').expect(200);
        expect(versionQueries).toBe(embedded ? 0 : 5);
        await ctx.database.db.transaction(async (trx) => {
          await trx('org_units').where({ code: '41' }).update({ name: 'Fachbereich Kultur (neu)' });
        });
        expect((await request(ctx.app).get('/')).text).toContain('Fachbereich Kultur (neu)');
        expect(versionQueries).toBe(embedded ? 1 : 6);
      } finally {
        ctx.database.db.removeListener('query', count);
      }
    },
  );
});

describe('the first instance starting while another transaction is open', () => {
  // On the embedded database LISTEN goes to PGlite directly and can land inside someone else's
  // open transaction; a ROLLBACK then silently undoes it. The cache must notice and keep asking
  // the database instead of serving the old register forever. (PostgreSQL always asks.)
  it('still shows the next change after that transaction rolled back', async () => {
    const fresh = await createTestDatabase(); // nobody listens on this one yet
    try {
      const freshUnits = await seedRegister(fresh.db);
      const trx = await fresh.db.transaction();
      await trx('org_units').where({ code: '37' }).update({ name: 'wird zurückgerollt' });
      const app = createApp(ctx.config, buildContainer({ ...ctx.services, db: fresh.db }));
      await new Promise((r) => setTimeout(r, 50)); // the instance has sent LISTEN
      await trx.rollback();
      await request(app).get('/').expect(200);
      await new Promise((r) => setTimeout(r, 50));
      await request(app).get('/').expect(200);
      await insertPresence(fresh.db, freshUnits, {
        slug: 'nach-rollback-facebook',
        platform: 'facebook',
        accountId: 'nachrollback',
        url: 'https://www.facebook.com/nachrollback',
        name: 'Nach dem Rollback',
        unit: '37',
      });
      const page = await request(app).get('/').expect(200);
      expect(page.text).toContain('Nach dem Rollback');
      expect(page.text).not.toContain('wird zurückgerollt');
    } finally {
      await fresh.close();
    }
  });
});

describe('register version (migration 0004)', () => {
  const version = async () => (await readState(ctx.database.db)).version;

  it('goes up with every statement that changes presences, units or platforms', async () => {
    const v0 = await version();
    await publish('Zähler');
    const v1 = await version();
    expect(v1).toBeGreaterThan(v0);
    await ctx.database
      .db('presences')
      .where({ slug: `neu-${n}-facebook` })
      .delete();
    expect(await version()).toBeGreaterThan(v1);
  });

  it('stays put for statements that change nothing and for editor lists (never public)', async () => {
    const v0 = await version();
    await ctx.database.db('presences').where({ slug: 'gibt-es-nicht' }).update({ review_overdue: true });
    await ctx.database.db('org_units').where({ code: 'gibt-es-nicht' }).delete();
    const [presence] = await ctx.database.db('presences').select('id').limit(1);
    await ctx.database
      .db('presence_editors')
      .insert({ presence_id: presence.id, uid: 'kim', name: 'Kim Nowak', position: 0 });
    expect(await version()).toBe(v0);
  });

  it('rolls back with the transaction that changed the register', async () => {
    const v0 = await version();
    await ctx.database.db
      .transaction(async (trx) => {
        await trx('platforms').where({ key: 'x' }).update({ name: 'X' });
        throw new Error('abort');
      })
      .catch(() => undefined);
    expect(await version()).toBe(v0);
  });
});

describe('LruCache', () => {
  const entry = (size: number) => ({ body: Buffer.alloc(size) });

  it('evicts the least recently used entry beyond its entry limit', () => {
    const lru = new LruCache<{ body: Buffer }>(2, 1000);
    lru.set('a', entry(1));
    lru.set('b', entry(1));
    lru.get('a');
    lru.set('c', entry(1));
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')).toBeDefined();
    expect(lru.get('c')).toBeDefined();
    expect(lru.size).toBe(2);
  });

  it('stays within its byte limit and never keeps a body larger than the limit', () => {
    const lru = new LruCache<{ body: Buffer }>(100, 10);
    lru.set('a', entry(4));
    lru.set('b', entry(4));
    lru.set('c', entry(4));
    expect(lru.get('a')).toBeUndefined();
    expect(lru.size).toBe(2);
    lru.set('huge', entry(11));
    expect(lru.get('huge')).toBeUndefined();
  });
});

describe('VersionReader', () => {
  it('shares a read only among requests that arrived before it started', async () => {
    let reads = 0;
    const pending: Array<() => void> = [];
    const reader = new VersionReader(
      () =>
        new Promise((resolve) => {
          reads += 1;
          const version = reads;
          pending.push(() => resolve({ version, changedAt: new Date() }));
        }),
    );
    const a = reader.current(); // starts read 1
    const b = reader.current(); // read 1 is already running: waits for read 2
    const c = reader.current(); // shares read 2
    expect(reads).toBe(1);
    pending.shift()?.();
    expect((await a).version).toBe(1);
    await new Promise((r) => setImmediate(r));
    expect(reads).toBe(2);
    pending.shift()?.();
    expect((await b).version).toBe(2);
    expect((await c).version).toBe(2);
  });

  it('lets the next request try again after a failed read', async () => {
    let fail = true;
    const reader = new VersionReader(async () => {
      if (fail) throw new Error('database down');
      return { version: 7, changedAt: new Date() };
    });
    await expect(reader.current()).rejects.toThrow('database down');
    fail = false;
    expect((await reader.current()).version).toBe(7);
  });

  it('in push mode keeps the last version until the database reports a change', async () => {
    let reads = 0;
    const reader = new VersionReader(async () => ({ version: ++reads, changedAt: new Date() }));
    reader.enablePush();
    expect((await reader.current()).version).toBe(1);
    expect((await reader.current()).version).toBe(1);
    expect(reads).toBe(1);
    reader.changed();
    expect((await reader.current()).version).toBe(2);
    expect((await reader.current()).version).toBe(2);
    expect(reads).toBe(2);
  });

  it('in push mode never keeps a read that overlapped a change', async () => {
    let release: (() => void) | undefined;
    let reads = 0;
    const reader = new VersionReader(
      () =>
        new Promise((resolve) => {
          reads += 1;
          const version = reads;
          release = () => resolve({ version, changedAt: new Date() });
        }),
    );
    reader.enablePush();
    const first = reader.current();
    reader.changed(); // a commit while the read was running
    release?.();
    expect((await first).version).toBe(1);
    const second = reader.current(); // must read again
    expect(reads).toBe(2);
    release?.();
    expect((await second).version).toBe(2);
  });

  it('builds strong ETags from the version and the bytes', () => {
    expect(etagFor(3, Buffer.from('a'))).not.toBe(etagFor(3, Buffer.from('b')));
    expect(etagFor(3, Buffer.from('a'))).not.toBe(etagFor(4, Buffer.from('a')));
    expect(etagFor(3, Buffer.from('a'))).toBe(etagFor(3, Buffer.from('a')));
  });
});
