import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { loadConfig, demoDirectoryConfig, type DirectoryConfig } from '../../src/config';
import { createApp } from '../../src/app';
import { buildContainer } from '../../src/container';
import { connectPostgres, migrateLatest, type Database } from '../../src/db/knex';
import { createDirectory } from '../../src/directory/directory';
import { startDemoDirectory, type DemoDirectory } from '../../src/directory/demo-server';
import { createLogger } from '../../src/web/logging';
import { seedDemo } from '../../src/demo/seed';
import { TEST_ENV } from '../helpers/app';
import { TcpProxy } from '../helpers/tcp-proxy';
import { csrfFrom } from '../helpers/http';
import { validForm } from '../requests/fixtures';
import { PgCluster, freePort } from './support';

/**
 * The directory (LDAP) is unreachable — refused, silently swallowing packets, or gone while
 * people are signed in: sign-in says so honestly (503 and the German message, quickly, not
 * counted as a failed attempt), the public side keeps working, signed-in people keep working
 * where no directory is needed, and sign-in works again when the directory is back.
 */

let cluster: PgCluster;
let database: Database;
let demo: DemoDirectory;
let proxy: TcpProxy;
let blackhole: net.Server;
const held: net.Socket[] = [];
let slug: string;
const TIMEOUT_MS = 1500;

function appWith(directory: DirectoryConfig) {
  const config = loadConfig({ ...TEST_ENV, LOGIN_MAX_PER_ACCOUNT: '3' });
  return createApp(
    config,
    buildContainer({
      config,
      db: database.db,
      directory: createDirectory({ ...directory, timeoutMs: TIMEOUT_MS }),
      logger: createLogger('silent'),
      clock: () => new Date(),
    }),
  );
}

beforeAll(async () => {
  cluster = await PgCluster.create();
  database = connectPostgres(await cluster.createDatabase('smr_directory'), 5);
  await migrateLatest(database.db);
  demo = await startDemoDirectory(0);
  await seedDemo(database.db, createDirectory(demoDirectoryConfig(demo.url)), () => new Date(), 'http://portal.test');
  slug = (await database.db('presences').where({ status: 'active' }).first('slug')).slug;
  const port = Number(new URL(demo.url).port);
  proxy = new TcpProxy('127.0.0.1', port);
  await proxy.start();
  // accepts connections and never says a word
  blackhole = net.createServer((s) => {
    held.push(s);
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => blackhole.listen(0, '127.0.0.1', r));
}, 180_000);

afterAll(async () => {
  for (const s of held) s.destroy();
  await new Promise((r) => blackhole?.close(r));
  await proxy?.stop();
  await demo?.close();
  await database?.close();
  await cluster?.destroy();
}, 60_000);

async function signIn(app: ReturnType<typeof createApp>, username = 'redaktion') {
  const agent = request.agent(app);
  const form = await agent.get('/anmelden');
  const started = Date.now();
  const res = await agent
    .post('/anmelden')
    .type('form')
    .send({ username, password: 'demo', _csrf: csrfFrom(form.text) });
  return { agent, res, ms: Date.now() - started };
}

function honest(res: request.Response, ms: number) {
  expect(res.status).toBe(503);
  expect(res.text).toContain('Das Verzeichnis der Stadtverwaltung ist gerade nicht erreichbar');
  expect(res.text).not.toMatch(/\n\s+at .+:\d+:\d+|ECONNREFUSED|ldap:\/\//);
  expect(ms, 'answered quickly, not after a long hang').toBeLessThan(TIMEOUT_MS * 4 + 2000);
}

async function presenceOfRedaktion(): Promise<number> {
  const p = await database.db('presences').where({ slug: 'museumaugustkestner-facebook' }).first('id');
  await database
    .db('presence_editors')
    .insert({ presence_id: p.id, uid: 'redaktion', name: 'Robin Schäfer', position: 1 })
    .catch(() => undefined);
  return p.id;
}

async function publicSideWorks(app: ReturnType<typeof createApp>) {
  for (const url of [
    '/',
    `/angebote/${slug}`,
    '/pruefen?url=https%3A%2F%2Fwww.facebook.com%2Fhannover.de',
    '/angebote.json',
    '/einbetten',
  ]) {
    expect((await request(app).get(url)).status, url).toBe(200);
  }
}

describe('the directory is unreachable', () => {
  it('refused (nothing listens on its port): sign-in answers 503 with an honest message; the public side works', async () => {
    const app = appWith(demoDirectoryConfig(`ldap://127.0.0.1:${await freePort()}`));
    const { res, ms, agent } = await signIn(app);
    honest(res, ms);
    expect((await agent.get('/intern')).status).toBe(302);
    await publicSideWorks(app);
  });

  it('silent (a host that accepts the connection and never answers): sign-in answers 503 within the timeout', async () => {
    const port = (blackhole.address() as net.AddressInfo).port;
    const app = appWith(demoDirectoryConfig(`ldap://127.0.0.1:${port}`));
    const { res, ms } = await signIn(app);
    honest(res, ms);
    await publicSideWorks(app);
  });

  it('gone while people work: no sign-in (and no lockout for trying), signed-in work goes on, directory features say so; back again, all works without a restart', async () => {
    const app = appWith(demoDirectoryConfig(`ldap://127.0.0.1:${proxy.port}`));
    const editor = await signIn(app, 'redaktion');
    expect(editor.res.status).toBe(303);
    const form = await editor.agent.get('/intern/antraege/neu');
    const csrf = csrfFrom(form.text);

    await proxy.stop();
    // more attempts than LOGIN_MAX_PER_ACCOUNT: a directory outage must not lock anybody out
    for (let i = 0; i < 5; i++) {
      const { res, ms } = await signIn(app, 'leitung');
      honest(res, ms);
    }
    await publicSideWorks(app);
    // signed-in people keep working where the directory is not needed
    expect((await editor.agent.get('/intern')).status).toBe(200);
    expect((await editor.agent.get('/intern/antraege')).status).toBe(200);
    const draft = await editor.agent
      .post('/intern/antraege/neu')
      .type('form')
      .send({ ...validForm({ url: 'https://www.facebook.com/verzeichnis.weg' }), aktion: 'entwurf', _csrf: csrf });
    expect(draft.status, 'saving a draft needs no directory').toBe(303);
    const id = Number(/antraege\/(\d+)/.exec(draft.headers.location as string)?.[1]);
    // the people search and submitting (editors are checked in the directory) say what is wrong, never a 500,
    // and nothing typed is lost
    const search = await editor.agent
      .post('/intern/antraege/neu')
      .type('form')
      .send({ aktion: 'suchen', editorSuche: 'Nowak', _csrf: csrf });
    const typed = validForm({
      url: 'https://www.facebook.com/verzeichnis.weg',
      description: 'Neu getippt, während das Verzeichnis fehlt',
    });
    const submit = await editor.agent
      .post(`/intern/antraege/${id}/bearbeiten`)
      .type('form')
      .send({ ...typed, aktion: 'einreichen', _csrf: csrf });
    const row = await database.db('requests').where({ id }).first('status', 'data');
    const change = await editor.agent
      .post(`/intern/angebote/${await presenceOfRedaktion()}/aenderung`)
      .type('form')
      .send({ aktion: 'suchen', editorSuche: 'Nowak', _csrf: csrf });
    const says = (r: request.Response) => r.status === 503 && /nicht erreichbar|vorübergehend/.test(r.text);
    expect({
      search: { status: search.status, honest: says(search) },
      submit: { status: submit.status, honest: says(submit) },
      changeSearch: { status: change.status, honest: says(change) },
      stillDraft: row.status,
      typedKept: row.data.description,
    }).toEqual({
      search: { status: 503, honest: true },
      submit: { status: 503, honest: true },
      changeSearch: { status: 503, honest: true },
      stillDraft: 'draft',
      typedKept: 'Neu getippt, während das Verzeichnis fehlt',
    });

    await proxy.start();
    const back = await signIn(app, 'leitung');
    expect(back.res.status, 'signs in again, no restart, not locked out').toBe(303);
    const submitted = await editor.agent
      .post(`/intern/antraege/${id}/bearbeiten`)
      .type('form')
      .send({ ...validForm({ url: 'https://www.facebook.com/verzeichnis.weg' }), aktion: 'einreichen', _csrf: csrf });
    expect(submitted.status, submitted.text.slice(0, 300)).toBe(303);
  }, 120_000);
});
