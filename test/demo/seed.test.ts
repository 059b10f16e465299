import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/app';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { DEMO_HEADS, DEMO_UNITS, seedDemoUnits } from '../../src/demo/org-units';
import { seedDemo } from '../../src/demo/seed';

/**
 * The demo organisation and presences are written with a few batched statements (they are made
 * at every fresh start of `npm start`): the tree, the order and the register must be what the
 * demo users see.
 */
const NOW = new Date('2026-12-01T08:00:00Z');
const DAY = 86_400_000;

async function tree(db: TestDatabase['db']) {
  return db('org_units as u')
    .leftJoin('org_units as p', 'p.id', 'u.parent_id')
    .orderBy('u.id')
    .select(
      'u.id',
      'u.code',
      'u.name',
      'u.short_name',
      'u.kind',
      'u.hannover_de_url',
      'u.sort_order',
      'p.code as parent',
    );
}

describe('demo organisation (seedDemoUnits)', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.close());

  it('writes every demo unit once, under its parent, in list order, with the demo heads', async () => {
    const db = database.db;
    const before = (await db('org_units').select('code')).map((r: { code: string }) => r.code);
    await seedDemoUnits(db, NOW);
    const units = (await tree(db)).filter((u: { code: string }) => !before.includes(u.code));
    expect(units.map((u: { code: string }) => u.code)).toEqual(DEMO_UNITS.map((u) => u.code));
    for (const [i, u] of DEMO_UNITS.entries()) {
      expect(units[i]).toMatchObject({
        code: u.code,
        name: u.name,
        short_name: u.short ?? null,
        kind: u.kind,
        hannover_de_url: u.hannoverDe ?? null,
        sort_order: i,
        parent: u.parent ?? null,
      });
    }
    const heads = await db('org_unit_heads as h')
      .join('org_units as u', 'u.id', 'h.org_unit_id')
      .select('u.code as unit', 'h.uid', 'h.name', 'h.kind');
    expect(heads).toEqual(DEMO_HEADS);

    // a second run changes nothing
    const all = await tree(db);
    await seedDemoUnits(db, NOW);
    expect(await tree(db)).toEqual(all);
    expect(await db('org_unit_heads').count({ n: '*' })).toEqual([{ n: DEMO_HEADS.length }]);
  });

  it('keeps units that are already there and puts the missing ones under them', async () => {
    const other = await createTestDatabase();
    try {
      const db = other.db;
      const [kultur] = await db('org_units')
        .insert({
          code: '41',
          name: 'Kultur (schon da)',
          kind: 'fachbereich',
          sort_order: 99,
          created_at: NOW,
          updated_at: NOW,
        })
        .returning('id');
      await seedDemoUnits(db, NOW);
      const units = await tree(db);
      expect(units.filter((u: { code: string }) => u.code === '41')).toMatchObject([
        { id: kultur.id, name: 'Kultur (schon da)', sort_order: 99, parent: null },
      ]);
      for (const code of ['41.2', '41.4'])
        expect(units.find((u: { code: string }) => u.code === code)).toMatchObject({ parent: '41' });
      expect(units.filter((u: { code: string }) => DEMO_UNITS.some((d) => d.code === u.code))).toHaveLength(
        DEMO_UNITS.length,
      );
      const heads = await db('org_unit_heads').select('org_unit_id', 'uid');
      expect(heads).toEqual([{ org_unit_id: kultur.id, uid: 'leitung' }]);
    } finally {
      await other.close();
    }
  });
});

describe('demo register (seedDemo)', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  it('lists the six city institutions as active presences of their units, dated relative to today', async () => {
    const db = ctx.database.db;
    expect(await seedDemo(db, ctx.services.directory, () => NOW, ctx.config.baseUrl)).toBe(true);
    const rows = await db('presences as p')
      .join('org_units as u', 'u.id', 'p.org_unit_id')
      .where('p.platform_key', 'facebook')
      .whereIn('p.account_id', [
        'museumaugustkestner',
        'historischesmuseumhannover',
        'sprengelmuseum',
        'herrenhaeusergaerten',
        'stadtbibliothekhannover',
        'feuerwehrhannover',
      ])
      .orderBy('p.id')
      .select('p.*', 'u.code as unit', 'u.hannover_de_url as unit_url');
    expect(rows.map((r: { name: string; unit: string }) => [r.name, r.unit])).toEqual([
      ['Museum August Kestner', '41.2'],
      ['Historisches Museum Hannover', '41.2'],
      ['Sprengel Museum Hannover', '41.4'],
      ['Herrenhäuser Gärten', '67.4'],
      ['Stadtbibliothek Hannover', '42'],
      ['Feuerwehr Hannover', '37'],
    ]);
    for (const [i, r] of rows.entries()) {
      const published = new Date(NOW.getTime() - (400 - i * 45) * DAY);
      expect(r).toMatchObject({
        slug: `${r.account_id}-facebook`,
        url: `https://www.facebook.com/${r.account_id}`,
        status: 'active',
        hannover_de_url: r.unit_url,
        review_due: new Date(NOW.getTime() + (60 + i * 30) * DAY).toISOString().slice(0, 10),
      });
      expect(new Date(r.published_at)).toEqual(published);
      expect(new Date(r.created_at)).toEqual(published);
      // confirmed at publication if that is under 300 days ago, else a month ago
      const confirmed =
        published.getTime() + 300 * DAY > NOW.getTime() ? published : new Date(NOW.getTime() - 30 * DAY);
      expect(new Date(r.last_confirmed_at)).toEqual(confirmed);
    }
    // the requests of the demo users are there, and a second run does nothing
    expect(await db('requests').count({ n: '*' })).toEqual([{ n: 5 }]);
    expect(await seedDemo(db, ctx.services.directory, () => NOW, ctx.config.baseUrl)).toBe(false);
    expect(
      await db('presences')
        .whereIn(
          'name',
          rows.map((r: { name: string }) => r.name),
        )
        .count({ n: '*' }),
    ).toEqual([{ n: 6 }]);
  });
});
