import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { createTestContext, type TestContext } from '../helpers/app';
import { HOSTILE_NAME, seedRegister } from './fixtures';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  await seedRegister(ctx.database.db);
});
afterAll(() => ctx.close());

describe('GET /angebote/<slug>', () => {
  it('shows an active presence with everything a citizen needs', async () => {
    const res = await request(ctx.app).get('/angebote/sprengel-museum-facebook').expect(200);
    expect(res.text).toContain('<title>Sprengel Museum Hannover – Social-Media-Register');
    expect(res.text).toContain('<h1 class="kern-heading-x-large">Sprengel Museum Hannover</h1>');
    expect(res.text).toContain('Offizieller Auftritt der Landeshauptstadt Hannover');
    expect(res.text).toContain('href="https://www.facebook.com/sprengelmuseum" rel="noopener noreferrer"');
    // the address as text, to compare with what a citizen found in the app
    expect(res.text).toContain('presence-facts__url">https://www.facebook.com/sprengelmuseum</span>');
    expect(res.text).toContain('Dezernat III – Kultur und Bildung › Fachbereich Kultur › Museen für Kulturgeschichte');
    expect(res.text).toContain('Offiziell seit</dt>');
    expect(res.text).toContain('<time datetime="2025-01-10">10. Januar 2025</time>');
    expect(res.text).toContain('Zuletzt bestätigt</dt>');
    expect(res.text).toContain('href="https://www.hannover.de/sprengel-museum-facebook" rel="noopener noreferrer"');
    expect(res.text).toContain('href="/pruefen"');
    expect(res.headers['cache-control']).toBe('public, max-age=60');
  });

  it('keeps a closed presence reachable and says until when it was official', async () => {
    const res = await request(ctx.app).get('/angebote/altes-stadtgruen-facebook').expect(200);
    expect(res.text).toContain('Ehemals offizieller Auftritt – offiziell bis zum 31. März 2025');
    expect(res.text).toContain('Die Landeshauptstadt Hannover betreut diesen Account nicht mehr.');
    expect(res.text).not.toContain('Offizieller Auftritt der Landeshauptstadt Hannover</span>');
    // the address is shown, but no longer offered as a link
    expect(res.text).toContain('https://www.facebook.com/altesstadtgruen');
    expect(res.text).not.toContain('href="https://www.facebook.com/altesstadtgruen"');
    expect(res.text).toContain('Offiziell bis</dt>');
    const en = await request(ctx.app).get('/en/angebote/altes-stadtgruen-facebook').expect(200);
    expect(en.text).toContain('Formerly official presence – official until 31 March 2025');
  });

  it('shows what editors typed as text', async () => {
    const res = await request(ctx.app).get('/angebote/buehne-facebook').expect(200);
    expect(res.text).not.toContain(HOSTILE_NAME);
    expect(res.text).not.toContain('<img src=x');
    expect(res.text).toContain(
      '<h1 class="kern-heading-x-large">&lt;script&gt;alert(&#34;name&#34;)&lt;/script&gt; Bühne &amp; &#34;Theater&#34;, Hannover</h1>',
    );
    expect(res.text).toContain('<title>&lt;script&gt;');
  });

  it.each([
    '/angebote/gibt-es-nicht',
    '/angebote/Sprengel-Museum-Facebook',
    '/angebote/a_b',
    '/angebote/-start',
    '/angebote/%3Cscript%3E',
    '/angebote/..%2F..%2Fetc',
    `/angebote/${'a'.repeat(500)}`,
    '/en/angebote/gibt-es-nicht',
  ])('answers %s with the friendly 404 page', async (path) => {
    const res = await request(ctx.app).get(path).expect(404);
    expect(res.text).toMatch(/Seite nicht gefunden|Page not found/);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('sends /angebote to the overview', async () => {
    await request(ctx.app).get('/angebote').expect(301).expect('Location', '/');
    await request(ctx.app).get('/en/angebote').expect(301).expect('Location', '/en');
  });
});
