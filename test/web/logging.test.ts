import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import pino from 'pino';
import { createLogger } from '../../src/web/logging';
import { createApp } from '../../src/app';
import { buildContainer } from '../../src/container';
import { createTestContext, type TestContext } from '../helpers/app';
import { csrfFrom, signIn } from '../helpers/http';

/**
 * What operators read: one JSON line per request with its id (the same id the response
 * carries), method, path and status; errors at level "error"; never a password, a cookie
 * or a session id.
 */
let ctx: TestContext;
const lines: Array<Record<string, unknown>> = [];
let raw = '';
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  ctx = await createTestContext();
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      raw += chunk.toString();
      for (const l of chunk.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  app = createApp(ctx.config, buildContainer({ ...ctx.services, logger: pino({ level: 'info' }, sink) }));
});
afterAll(() => ctx.close());

const completed = () => lines.filter((l) => l.msg === 'request completed');

describe('request log', () => {
  it('writes one line per request with the id the response carries, and none for /healthz', async () => {
    lines.length = 0;
    const res = await request(app).get('/?q=Museum');
    await request(app).get('/healthz').expect(200);
    await request(app).get('/gibt-es-nicht').expect(404);
    const done = completed();
    expect(done).toHaveLength(2);
    expect(done[0]).toMatchObject({
      level: 30,
      reqId: res.headers['x-request-id'],
      req: { method: 'GET', url: '/?q=Museum' },
      res: { statusCode: 200 },
    });
    expect(typeof done[0]?.responseTime).toBe('number');
    expect(done[1]).toMatchObject({ req: { url: '/gibt-es-nicht' }, res: { statusCode: 404 } });
  });

  it('keeps a sensible incoming X-Request-Id and replaces a strange one', async () => {
    lines.length = 0;
    const kept = await request(app).get('/').set('X-Request-Id', 'proxy-4711-abcdef');
    expect(kept.headers['x-request-id']).toBe('proxy-4711-abcdef');
    const replaced = await request(app).get('/').set('X-Request-Id', 'evil\tid {"level":60}');
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(completed().map((l) => l.reqId)).toEqual(['proxy-4711-abcdef', replaced.headers['x-request-id']]);
  });

  it('never logs a password, a cookie or a session id, also on a sign-in', async () => {
    lines.length = 0;
    raw = '';
    const agent = request.agent(app);
    const form = await agent.get('/anmelden').expect(200);
    const res = await agent
      .post('/anmelden')
      .type('form')
      .send({ username: 'redaktion', password: 'geheim-demo-1', _csrf: csrfFrom(form.text) });
    expect(res.status).toBe(401);
    await signIn(app, 'redaktion', 'demo');
    const signedIn = await agent
      .post('/anmelden')
      .type('form')
      .send({ username: 'redaktion', password: 'demo', _csrf: csrfFrom(res.text) });
    expect(signedIn.status).toBe(303);
    const sid = /smr\.sid=([^;]+)/.exec(String(signedIn.headers['set-cookie']))?.[1] ?? '';
    expect(sid.length).toBeGreaterThan(20);
    await agent.get('/intern').expect(200);
    expect(completed().length).toBeGreaterThanOrEqual(5);
    expect(lines.some((l) => l.msg === 'signed in' && l.uid === 'redaktion' && typeof l.reqId === 'string')).toBe(true);
    expect(raw).not.toMatch(/password|geheim-demo-1|"demo"|smr\.sid|cookie/i);
    // the signed session id (s:<id>.<signature>) appears nowhere
    expect(raw).not.toContain(decodeURIComponent(sid).slice(2, 26));
  });
});

describe('error log', () => {
  it('logs a database error with code, table and constraint, but without the values of the form', async () => {
    // a rule only this test's database has: the insert of this draft fails inside the database
    await ctx.database.db.raw(
      "ALTER TABLE requests ADD CONSTRAINT log_probe CHECK (title <> 'Geheimprojekt Lindenblatt')",
    );
    let text = '';
    const logged: Array<Record<string, unknown>> = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        text += chunk.toString();
        for (const l of chunk.toString().split('\n').filter(Boolean))
          logged.push(JSON.parse(l) as Record<string, unknown>);
        done();
      },
    });
    // the app's own logger (createLogger), writing into the sink
    const own = createApp(ctx.config, buildContainer({ ...ctx.services, logger: createLogger('info', sink) }));
    const agent = await signIn(own, 'redaktion');
    const form = await agent.get('/intern/antraege/neu').expect(200);
    const res = await agent
      .post('/intern/antraege/neu')
      .type('form')
      .send({
        _csrf: csrfFrom(form.text),
        aktion: 'entwurf',
        name: 'Geheimprojekt Lindenblatt',
        purpose: 'Vertraulicher Zweck 4711',
      });
    expect(res.status).toBe(500);
    const failed = logged.find((l) => l.msg === 'request failed' && l.level === 50);
    expect(failed?.err).toMatchObject({ code: '23514', table: 'requests', constraint: 'log_probe' });
    expect(text).not.toContain('Lindenblatt');
    expect(text).not.toContain('Vertraulicher Zweck');
    expect(text).not.toContain('Robin'); // the author's name is a bound value, too
    expect(JSON.stringify(failed?.err)).not.toMatch(/"(params|parameters|bindings|detail|query|stack)"/);
    await ctx.database.db.raw('ALTER TABLE requests DROP CONSTRAINT log_probe');
  });

  it('logs a refused asset path (/assets/%00) as a refusal, never at error level', async () => {
    lines.length = 0;
    const res = await request(app).get('/assets/%00');
    expect(res.status).toBe(400);
    expect(res.text).toContain('id="inhalt"');
    expect(lines.filter((l) => (l.level as number) >= 50)).toEqual([]);
    expect(
      lines.some((l) => l.msg === 'request completed' && (l.res as { statusCode: number }).statusCode === 400),
    ).toBe(true);
  });
});
