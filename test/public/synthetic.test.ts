import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { createTestContext, type TestContext } from '../helpers/app';
import { removeSynthetic, seedSynthetic } from '../../src/public/synthetic';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

describe('synthetic register data (npm run seed:synthetic)', () => {
  it('adds N active presences across units and platforms without enabling any platform', async () => {
    const enabledBefore = await ctx.database.db('platforms').where({ enabled: true }).pluck('key');
    expect(await seedSynthetic(ctx.database.db, 120)).toBe(120);
    expect(await seedSynthetic(ctx.database.db, 30)).toBe(30); // adds on top
    const rows = await ctx.database
      .db('presences')
      .where('slug', 'like', 'syn-%')
      .select('platform_key', 'org_unit_id', 'status');
    expect(rows.length).toBe(150);
    expect(rows.every((r) => r.status === 'active')).toBe(true);
    expect(new Set(rows.map((r) => r.platform_key)).size).toBeGreaterThanOrEqual(4);
    expect(new Set(rows.map((r) => r.org_unit_id)).size).toBeGreaterThan(100);
    expect(await ctx.database.db('platforms').where({ enabled: true }).pluck('key')).toEqual(enabledBefore);

    const res = await request(ctx.app).get('/').expect(200);
    expect(res.text).toContain('151 offizielle Auftritte.');
    const verify = await request(ctx.app)
      .get('/pruefen.json')
      .query({ url: 'https://www.instagram.com/syn_1_hannover/' })
      .expect(200);
    expect(verify.body.result).toBe('official');
  });

  it('takes all of it out again', async () => {
    expect(await removeSynthetic(ctx.database.db)).toBe(150);
    expect(await ctx.database.db('org_units').where('code', 'like', 'SYN.%').count({ n: '*' }).first()).toEqual({
      n: 0,
    });
    const res = await request(ctx.app).get('/').expect(200);
    expect(res.text.match(/<p class="kern-body" role="status">\s*([^<]*)/)?.[1]?.trim()).toBe(
      'Ein offizieller Auftritt.',
    );
  });
});
