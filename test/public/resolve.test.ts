import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { createLinkResolver } from '../../src/public/resolve';
import { PublicService } from '../../src/public/service';
import { DEFAULT_PLATFORMS } from '../../src/registry/platforms';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { seedRegister } from './fixtures';

/**
 * The optional resolution of share links (VERIFY_RESOLVE_LINKS), against fake servers on
 * 127.0.0.1: one plays Facebook's hosts, the other every host that is not Facebook's. Nothing
 * leaves the machine.
 */

interface Fake {
  port: number;
  requests: Array<{ path: string; cookie: string | undefined; method: string }>;
  close(): Promise<void>;
}

async function fakeServer(handler: (path: string, res: http.ServerResponse) => void): Promise<Fake> {
  const requests: Fake['requests'] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    requests.push({ path: req.url ?? '', cookie: req.headers.cookie, method: req.method ?? '' });
    handler(req.url ?? '', res);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const redirect = (res: http.ServerResponse, location: string, status = 302) => {
  res.writeHead(status, { Location: location, 'Set-Cookie': 'fr=tracking; Path=/; Domain=.facebook.com' });
  res.end('<html>moved</html>');
};

let facebook: Fake;
let elsewhere: Fake;
let database: TestDatabase;
const FACEBOOK_HOSTS = new Set(DEFAULT_PLATFORMS.find((p) => p.key === 'facebook')?.rules.hosts ?? []);

beforeAll(async () => {
  facebook = await fakeServer((path, res) => {
    const routes: Record<string, () => void> = {
      '/share/1CityPage/': () => redirect(res, 'https://www.facebook.com/share/r/1Hop/'),
      '/share/r/1Hop/': () => redirect(res, '/hannover.de/?mibextid=wwXIfr', 301),
      '/share/1Museum/': () => redirect(res, 'http://m.facebook.com/sprengelmuseum'),
      '/share/1Stranger/': () => redirect(res, 'https://www.facebook.com/not.the.city/'),
      '/share/1OffList/': () => redirect(res, 'https://evil.example/hannover.de'),
      '/share/1LookAlike/': () => redirect(res, 'https://www.facebook.com.evil.example/hannover.de'),
      '/share/1Port/': () => redirect(res, 'https://www.facebook.com:8443/hannover.de'),
      '/share/1Login/': () => redirect(res, 'https://www.facebook.com/login/?next=%2Fshare%2F1Login%2F'),
      '/share/1Loop/': () => redirect(res, 'https://www.facebook.com/share/1Loop/'),
      '/share/1Page/': () => {
        res.writeHead(200, { 'Content-Type': 'text/html' });
        res.end('<html>a page without a redirect</html>');
      },
      '/share/1Slow/': () => undefined, // never answers
    };
    const route = routes[path.replace(/\?.*$/, '')];
    if (route) return route();
    res.writeHead(404).end();
  });
  elsewhere = await fakeServer((_path, res) => res.writeHead(200).end('not facebook'));
  database = await createTestDatabase();
  await seedRegister(database.db);
});
afterAll(async () => {
  await facebook?.close();
  await elsewhere?.close();
  await database?.close();
});

/** Facebook's hosts go to the fake Facebook, every other host to the other fake server. */
const route = (url: URL) => {
  const port = FACEBOOK_HOSTS.has(url.hostname) ? facebook.port : elsewhere.port;
  return new URL(`http://127.0.0.1:${port}${url.pathname}${url.search}`);
};

async function check(link: string, timeoutMs = 2000) {
  const service = new PublicService(database.db, { resolver: createLinkResolver({ timeoutMs, route }) });
  const snap = await service.snapshot(await service.state());
  return service.verify(snap, link);
}

describe('following share links (VERIFY_RESOLVE_LINKS)', () => {
  it('is off by default and can be switched on', () => {
    expect(loadConfig({}).verify).toEqual({ resolveLinks: false, resolveTimeoutMs: 2000 });
    expect(loadConfig({ VERIFY_RESOLVE_LINKS: 'true', VERIFY_RESOLVE_TIMEOUT_MS: '1500' }).verify).toEqual({
      resolveLinks: true,
      resolveTimeoutMs: 1500,
    });
    expect(() => loadConfig({ VERIFY_RESOLVE_TIMEOUT_MS: '60000' })).toThrow(/VERIFY_RESOLVE_TIMEOUT_MS/);
  });

  it("resolves the city's share link through two hops to the city's page: official", async () => {
    facebook.requests.length = 0;
    const outcome = await check('https://www.facebook.com/share/1CityPage/?mibextid=wwXIfr');
    expect(outcome).toMatchObject({
      result: 'official',
      accountId: 'hannover.de',
      canonicalUrl: 'https://www.facebook.com/hannover.de',
    });
    expect(facebook.requests.map((r) => r.path)).toEqual(['/share/1CityPage/?mibextid=wwXIfr', '/share/r/1Hop/']);
    // no cookies: the first answer set one, the second request did not send it
    expect(facebook.requests.every((r) => r.cookie === undefined && r.method === 'GET')).toBe(true);
  });

  it('stops at the account: the account page itself is never requested', async () => {
    facebook.requests.length = 0;
    expect(await check('facebook.com/share/1Museum/')).toMatchObject({
      result: 'official',
      accountId: 'sprengelmuseum',
    });
    expect(facebook.requests.map((r) => r.path)).toEqual(['/share/1Museum/']);
    expect(await check('https://www.facebook.com/share/1Stranger/')).toMatchObject({
      result: 'unknown',
      reason: 'not_registered',
      accountId: 'not.the.city',
    });
  });

  it.each([
    ['a redirect to another site', 'https://www.facebook.com/share/1OffList/'],
    ['a redirect to a look-alike host', 'https://www.facebook.com/share/1LookAlike/'],
    ['a redirect to another port', 'https://www.facebook.com/share/1Port/'],
    ['a redirect to the login page', 'https://www.facebook.com/share/1Login/'],
    ['a redirect loop', 'https://www.facebook.com/share/1Loop/'],
    ['an answer without a redirect', 'https://www.facebook.com/share/1Page/'],
    ['an unknown link', 'https://www.facebook.com/share/1Gone/'],
  ])('%s stays "cannot be checked" and nothing off the list is requested', async (_what, link) => {
    elsewhere.requests.length = 0;
    facebook.requests.length = 0;
    expect(await check(link)).toMatchObject({ result: 'unresolvable', platform: { key: 'facebook' } });
    expect(elsewhere.requests).toEqual([]);
    expect(facebook.requests.length).toBeLessThanOrEqual(4);
  });

  it('gives up after the time limit and answers "cannot be checked"', async () => {
    const started = Date.now();
    expect(await check('https://www.facebook.com/share/1Slow/', 300)).toMatchObject({ result: 'unresolvable' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('asks once per link: the answer is kept', async () => {
    const resolver = createLinkResolver({ timeoutMs: 2000, route });
    const service = new PublicService(database.db, { resolver });
    const snap = await service.snapshot(await service.state());
    facebook.requests.length = 0;
    await service.verify(snap, 'https://www.facebook.com/share/1Museum/');
    await service.verify(snap, 'https://www.facebook.com/share/1Museum/');
    expect(facebook.requests).toHaveLength(1);
  });

  it('never requests links that are not unresolvable platform links', async () => {
    elsewhere.requests.length = 0;
    facebook.requests.length = 0;
    expect(await check('https://evil.example/share/1CityPage/')).toMatchObject({
      result: 'unknown',
      reason: 'host_not_allowed',
    });
    expect(await check('https://www.facebook.com/groups/123')).toMatchObject({
      result: 'unknown',
      reason: 'not_an_account',
    });
    expect(await check('https://user@www.facebook.com/share/1CityPage/')).toMatchObject({
      result: 'unknown',
      reason: 'host_not_allowed',
    });
    expect([...elsewhere.requests, ...facebook.requests]).toEqual([]);
  });
});
