import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { createTestContext, type TestContext } from './helpers/app';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

describe('health endpoints', () => {
  it('reports the process alive and the database reachable, without a cookie', async () => {
    const live = await request(ctx.app).get('/healthz').expect(200);
    expect(live.body).toEqual({ status: 'ok' });
    const ready = await request(ctx.app).get('/readyz').expect(200);
    expect(ready.body).toEqual({ status: 'ok', database: 'ok' });
    expect(ready.headers['set-cookie']).toBeUndefined();
  });

  it('tags every response with a request id', async () => {
    const res = await request(ctx.app).get('/');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
