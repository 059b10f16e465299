import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { createTestContext, type TestContext } from '../helpers/app';
import { csrfFrom, signIn } from '../helpers/http';
import { backendName } from '../helpers/env';
import { TcpProxy } from '../helpers/tcp-proxy';
import { createApp } from '../../src/app';
import { buildContainer } from '../../src/container';
import { createDirectory } from '../../src/directory/directory';
import { DEMO_LDIF_PATH, startDemoDirectory, type DemoDirectory } from '../../src/directory/demo-server';

/**
 * Sessions end after SESSION_MAX_HOURS however active they are, and re-read the person's
 * roles from the directory every SESSION_ROLE_REFRESH_MINUTES: someone removed from a group
 * loses the role within that time. The app reaches the directory through a relay, so the
 * test can swap in a directory where the administrator is no longer in the admin group, or
 * take the directory away. Time moves on the injected clock, only forwards.
 */

const MINUTE = 60_000;
const ADMIN_PAGE = '/intern/verwaltung';
let ctx: TestContext;
let app: Express;
let proxy: TcpProxy;
let withoutAdmin: DemoDirectory;
let withoutRedaktion2: DemoDirectory;
const [host, port] = ['127.0.0.1', 0];

/** Points the relay (same port) at another directory. */
async function switchDirectory(url: string | undefined) {
  const listenPort = proxy.port;
  await proxy.stop();
  if (!url) return;
  const target = new URL(url);
  proxy = new TcpProxy(target.hostname, Number(target.port));
  proxy.port = listenPort;
  await proxy.start();
}

beforeAll(async () => {
  ctx = await createTestContext({ SESSION_MAX_HOURS: '10', SESSION_ROLE_REFRESH_MINUTES: '15' });
  const original = new URL(ctx.directory.config.url);
  proxy = new TcpProxy(original.hostname, Number(original.port));
  proxy.port = port;
  await proxy.start();
  const ldif = fs.readFileSync(DEMO_LDIF_PATH, 'utf8');
  const changed = ldif.replace(
    /(cn: smr-admin\n(?:description: [^\n]*\n)?)member: uid=admin,ou=people,dc=hannover-stadt,dc=de/,
    '$1member: uid=leitung,ou=people,dc=hannover-stadt,dc=de',
  );
  expect(changed).not.toBe(ldif);
  withoutAdmin = await startDemoDirectory(0, changed);
  // redaktion2 has left the city: no entry, no memberships
  const left = ldif
    .split(/\n\s*\n/)
    .filter((block) => !block.trimStart().startsWith('dn: uid=redaktion2,'))
    .join('\n\n')
    .replace(/^member: uid=redaktion2,[^\n]*\n/gm, '');
  expect(left).not.toContain('uid=redaktion2,');
  withoutRedaktion2 = await startDemoDirectory(0, left);
  app = createApp(
    ctx.config,
    buildContainer({
      ...ctx.services,
      directory: createDirectory({ ...ctx.directory.config, url: `ldap://${host}:${proxy.port}` }),
    }),
  );
}, 60_000);
afterAll(async () => {
  await proxy?.stop();
  await withoutAdmin?.close();
  await withoutRedaktion2?.close();
  await ctx?.close();
});

describe(`session lifetime and role re-read (${backendName}, ${process.env.TEST_LDAP_URL ? 'openldap' : 'demo'} directory)`, () => {
  it('ends a session after SESSION_MAX_HOURS even while it is in use; the person signs in again and comes back', async () => {
    const start = ctx.clock.now;
    const agent = await signIn(app, 'redaktion');
    for (let h = 1; h < 10; h++) {
      ctx.clock.advance(60 * MINUTE - 1_000); // busy all day: never idle
      expect((await agent.get('/intern')).status, `after ${h} hours`).toBe(200);
    }
    ctx.clock.set(new Date(start.getTime() + 10 * 60 * MINUTE));
    const rows = Number((await ctx.database.db('sessions').count({ n: '*' }).first())?.n);
    const res = await agent.get('/intern/antraege');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/anmelden?zurueck=%2Fintern%2Fantraege');
    // the stored session is gone, not just ignored
    expect(Number((await ctx.database.db('sessions').count({ n: '*' }).first())?.n)).toBe(rows - 1);
    expect((await agent.get('/intern')).status).toBe(302);
    // a new sign-in starts a new lifetime
    const again = await signIn(app, 'redaktion');
    expect((await again.get('/intern')).status).toBe(200);
  });

  it('someone removed from a group loses the role within SESSION_ROLE_REFRESH_MINUTES; a directory outage keeps the session and the change applies once it is back (retried a minute later)', async () => {
    try {
      await switchDirectory(ctx.directory.config.url);
      const admin = await signIn(app, 'admin');
      expect((await admin.get(ADMIN_PAGE)).status).toBe(200);

      // the directory changes: admin is no longer in the admin group
      await switchDirectory(withoutAdmin.url);
      ctx.clock.advance(14 * MINUTE);
      expect((await admin.get(ADMIN_PAGE)).status, 'not re-read yet').toBe(200);
      ctx.clock.advance(1 * MINUTE);
      expect((await admin.get(ADMIN_PAGE)).status, 'roles re-read').toBe(403);
      // still signed in as an employee
      expect((await admin.get('/intern')).status).toBe(200);

      // back in the group, then the directory is down when the next re-read is due
      await switchDirectory(ctx.directory.config.url);
      const second = await signIn(app, 'admin');
      expect((await second.get(ADMIN_PAGE)).status).toBe(200);
      await switchDirectory(undefined);
      ctx.clock.advance(16 * MINUTE);
      expect((await second.get(ADMIN_PAGE)).status, 'directory down: session and roles kept').toBe(200);
      expect((await second.get('/intern')).status).toBe(200);
      // the directory returns, without the membership; the instance asks again a minute after the failure
      await switchDirectory(withoutAdmin.url);
      ctx.clock.advance(30_000);
      expect((await second.get(ADMIN_PAGE)).status, 'no new lookup within the minute').toBe(200);
      ctx.clock.advance(30_000);
      expect((await second.get(ADMIN_PAGE)).status, 'retried').toBe(403);
    } finally {
      await switchDirectory(ctx.directory.config.url);
    }
  });

  it('someone removed from the directory is signed out at the next re-read', async () => {
    try {
      await switchDirectory(ctx.directory.config.url);
      const agent = await signIn(app, 'redaktion2');
      expect((await agent.get('/intern')).status).toBe(200);
      await switchDirectory(withoutRedaktion2.url);
      ctx.clock.advance(15 * MINUTE);
      const res = await agent.get('/intern/antraege');
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe('/anmelden?zurueck=%2Fintern%2Fantraege');
      expect((await agent.get('/intern')).status).toBe(302);
      // and cannot sign in again
      const form = await agent.get('/anmelden').expect(200);
      const again = await agent.post('/anmelden').type('form').send({ username: 'redaktion2', password: 'demo', _csrf: csrfFrom(form.text) });
      expect(again.status).toBe(401);
    } finally {
      await switchDirectory(ctx.directory.config.url);
    }
  });
});
