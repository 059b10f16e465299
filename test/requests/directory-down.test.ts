import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { createApp } from '../../src/app';
import { buildContainer } from '../../src/container';
import { createDirectory } from '../../src/directory/directory';
import { seedDemoUnits } from '../../src/demo/org-units';
import { createTestContext, type TestContext } from '../helpers/app';
import { TcpProxy } from '../helpers/tcp-proxy';
import { csrfFrom, signIn } from '../helpers/http';
import { validForm } from './fixtures';

/**
 * The city directory goes away while an editor works. Everything that needs it (the people
 * search, checking the named editors on submit, naming a deputy) says so with a 503 and the
 * form keeps every entry; nothing is lost and nothing half-done is stored. When the
 * directory is back, the same form goes through without a restart.
 */
let ctx: TestContext;
let app: Express;
let proxy: TcpProxy;

beforeAll(async () => {
  ctx = await createTestContext();
  await seedDemoUnits(ctx.database.db);
  const target = new URL(ctx.directory.config.url);
  proxy = new TcpProxy(target.hostname, Number(target.port || 389));
  await proxy.start();
  const directory = createDirectory({
    ...ctx.directory.config,
    url: `ldap://127.0.0.1:${proxy.port}`,
    timeoutMs: 1500,
  });
  app = createApp(ctx.config, buildContainer({ ...ctx.services, directory }));
});
afterAll(async () => {
  await proxy.stop();
  await ctx.close();
});

const DOWN = 'Das Verzeichnis der Stadtverwaltung ist gerade nicht erreichbar';

describe('request forms while the directory is down', () => {
  it('says so, keeps every entry, stores nothing half-done, and works again when it is back', async () => {
    const editor = await signIn(app, 'redaktion');
    const csrf = csrfFrom((await editor.get('/intern/antraege/neu').expect(200)).text);
    const url = 'https://www.facebook.com/verzeichnis.weg';
    const draft = await editor
      .post('/intern/antraege/neu')
      .type('form')
      .send({ ...validForm({ url }), aktion: 'entwurf', _csrf: csrf });
    expect(draft.status).toBe(303);
    const id = Number(/antraege\/(\d+)/.exec(String(draft.headers.location))?.[1]);

    await proxy.stop();
    const typed = validForm({ url, description: 'Neu getippt, während das Verzeichnis fehlt' });

    const search = await editor
      .post(`/intern/antraege/${id}/bearbeiten`)
      .type('form')
      .send({ ...typed, aktion: 'suchen', editorSuche: 'Nowak', _csrf: csrf });
    expect(search.status).toBe(503);
    expect(search.text).toContain(DOWN);
    expect(search.text).toContain('Neu getippt, während das Verzeichnis fehlt'); // the form comes back filled
    expect(search.text).toContain('value="Nowak"');

    const submit = await editor
      .post(`/intern/antraege/${id}/bearbeiten`)
      .type('form')
      .send({ ...typed, aktion: 'einreichen', _csrf: csrf });
    expect(submit.status).toBe(503);
    expect(submit.text).toContain(DOWN);
    expect(submit.text).toContain('Neu getippt, während das Verzeichnis fehlt');
    const row = await ctx.database.db('requests').where({ id }).first('status', 'data', 'version');
    expect(row.status).toBe('draft'); // not submitted half-checked …
    expect(row.version).toBe(0);
    expect(row.data.description).toBe('Neu getippt, während das Verzeichnis fehlt'); // … but nothing typed is lost
    expect(await ctx.database.db('workflow_instances').where({ request_id: id }).first()).toBeUndefined();

    const today = new Date().toISOString().slice(0, 10);
    const before = await ctx.database.db('substitutions').count({ n: '*' }).first();
    const sub = await editor
      .post('/intern/vertretung')
      .type('form')
      .send({ vertretung: 'leitung', von: today, bis: today, _csrf: csrf });
    expect(sub.status).toBe(503);
    expect(sub.text).toContain(DOWN);
    expect(sub.text).toContain('value="leitung"');
    expect(await ctx.database.db('substitutions').count({ n: '*' }).first()).toEqual(before);

    await proxy.start();
    const again = await editor
      .post(`/intern/antraege/${id}/bearbeiten`)
      .type('form')
      .send({ ...typed, aktion: 'einreichen', _csrf: csrf });
    expect(again.status, again.text.slice(0, 500)).toBe(303);
    expect((await ctx.database.db('requests').where({ id }).first('status')).status).toBe('in_review');
  }, 60_000);
});
