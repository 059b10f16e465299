import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import pino from 'pino';
import { createApp } from '../../src/app';
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
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  app = createApp(ctx.config, { ...ctx.services, logger: pino({ level: 'info' }, sink) });
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
    expect(done[0]).toMatchObject({ level: 30, reqId: res.headers['x-request-id'], req: { method: 'GET', url: '/?q=Museum' }, res: { statusCode: 200 } });
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
    const res = await agent.post('/anmelden').type('form').send({ username: 'redaktion', password: 'geheim-demo-1', _csrf: csrfFrom(form.text) });
    expect(res.status).toBe(401);
    await signIn(app, 'redaktion', 'demo');
    const signedIn = await agent.post('/anmelden').type('form').send({ username: 'redaktion', password: 'demo', _csrf: csrfFrom(res.text) });
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
