import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { createTestContext, type TestContext } from '../helpers/app';
import { insertPresence, insertUnits } from './fixtures';

/** 130 presences in three units (plus the central one): three pages of 50. */
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  const units = await insertUnits(ctx.database.db, [
    { code: 'A', name: 'Amt A', kind: 'amt', sort: 1 },
    { code: 'B', name: 'Amt B', kind: 'amt', sort: 2 },
    { code: 'B.1', name: 'Betrieb B1', kind: 'betrieb', parent: 'B' },
  ]);
  const specs = [
    ...Array.from({ length: 40 }, (_, i) => ({ unit: 'A', n: i })),
    ...Array.from({ length: 60 }, (_, i) => ({ unit: 'B', n: 100 + i })),
    ...Array.from({ length: 30 }, (_, i) => ({ unit: 'B.1', n: 200 + i })),
  ];
  for (const { unit, n } of specs) {
    const id = String(n).padStart(3, '0');
    await insertPresence(ctx.database.db, units, {
      slug: `p${id}-facebook`,
      platform: 'facebook',
      accountId: `seite${id}`,
      url: `https://www.facebook.com/seite${id}`,
      name: `Auftritt ${id}`,
      unit,
    });
  }
});
afterAll(() => ctx.close());

const cards = (html: string) =>
  [...html.matchAll(/<article [^>]*aria-labelledby="angebot-([a-z0-9-]+)"/g)].map((m) => m[1] as string);
const nav = (html: string) => {
  const start = html.indexOf('<nav class="presence-pagination"');
  return start < 0 ? '' : html.slice(start, html.indexOf('</nav>', start));
};

describe('pagination', () => {
  it('splits 131 entries into pages of 50 in overview order', async () => {
    const seen: string[] = [];
    for (const page of [1, 2, 3]) {
      const res = await request(ctx.app)
        .get(page === 1 ? '/' : `/?seite=${page}`)
        .expect(200);
      const slugs = cards(res.text);
      expect(slugs.length).toBe(page === 3 ? 31 : 50);
      seen.push(...slugs);
      expect(res.text).toContain(
        `Angezeigt werden ${(page - 1) * 50 + 1} bis ${Math.min(page * 50, 131)} (Seite ${page} von 3).`,
      );
      expect(res.text).toContain(`<title>Social Media der Landeshauptstadt Hannover – Seite ${page} von 3`);
    }
    expect(seen.length).toBe(131);
    expect(new Set(seen).size).toBe(131);
    expect(seen[0]).toBe('hannover-de-facebook');
    expect(seen.slice(1, 41)).toEqual(Array.from({ length: 40 }, (_, i) => `p${String(i).padStart(3, '0')}-facebook`));
    expect(seen[41]).toBe('p100-facebook');
    expect(seen[130]).toBe('p229-facebook');
  });

  it('has an accessible page navigation with aria-current, previous and next', async () => {
    const first = nav((await request(ctx.app).get('/').expect(200)).text);
    expect(first).toContain('aria-label="Seiten der Übersicht"');
    expect(first).toMatch(/href="\/" aria-current="page"><span class="kern-sr-only">Seite <\/span>1<\/a>/);
    expect(first).toContain('href="/?seite=2"');
    expect(first).toContain('href="/?seite=3"');
    expect(first).toContain('rel="next"');
    expect(first).not.toContain('rel="prev"');

    const second = nav((await request(ctx.app).get('/?seite=2').expect(200)).text);
    expect(second).toMatch(/href="\/\?seite=2" aria-current="page"/);
    expect(second).toContain('<a class="kern-link" href="/" rel="prev">');
    expect(second).toContain('href="/?seite=3" rel="next"');
    expect((second.match(/aria-current/g) ?? []).length).toBe(1);

    const third = nav((await request(ctx.app).get('/?seite=3').expect(200)).text);
    expect(third).not.toContain('rel="next"');
  });

  it('marks a group that continues from the previous page', async () => {
    // page 1: central, 40 of Amt A, 9 of Amt B; page 2: 50 of Amt B; page 3: 1 of Amt B, 30 of Betrieb B1
    const first = (await request(ctx.app).get('/').expect(200)).text;
    expect(first).not.toContain('(Fortsetzung)');
    const second = (await request(ctx.app).get('/?seite=2').expect(200)).text;
    expect(second).toMatch(/id="gruppe-0">Amt B <span class="kern-body--muted">\(Fortsetzung\)<\/span>/);
    expect(second).not.toContain('id="gruppe-1"');
    const third = (await request(ctx.app).get('/?seite=3').expect(200)).text;
    expect(third).toMatch(/id="gruppe-0">Amt B <span class="kern-body--muted">\(Fortsetzung\)<\/span>/);
    expect(third).toMatch(
      /<p class="kern-preline presence-group__path">Amt B<\/p>\s*<h3[^>]*id="gruppe-1">Betrieb B1</,
    );
  });

  it('keeps search and filters in the page links', async () => {
    const res = await request(ctx.app).get('/?q=Auftritt&bereich=B').expect(200);
    expect(res.text).toContain('90 Auftritte gefunden.');
    expect(nav(res.text)).toContain('href="/?q=Auftritt&amp;bereich=B&amp;seite=2"');
    const two = await request(ctx.app).get('/?q=Auftritt&bereich=B&seite=2').expect(200);
    expect(cards(two.text).length).toBe(40);
  });

  it('keeps the language in the page links', async () => {
    const res = await request(ctx.app).get('/en?seite=2').expect(200);
    expect(nav(res.text)).toContain('href="/en?seite=3" rel="next"');
    expect(res.text).toContain('href="/?seite=2" hreflang="de"');
  });

  it('answers a page after the last one with a friendly 404', async () => {
    const res = await request(ctx.app).get('/?seite=4').expect(404);
    expect(res.text).toContain('Seite 4 gibt es nicht: Die Übersicht hat 3 Seite(n).');
    await request(ctx.app).get('/?seite=999999').expect(404);
    await request(ctx.app).get('/?seite=1000000').expect(400);
  });
});
