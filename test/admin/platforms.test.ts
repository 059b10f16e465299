import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/app';
import { confirmOnPage, signIn } from '../helpers/http';
import { seedDemoUnits } from '../../src/demo/org-units';
import { DEFAULT_PLATFORMS } from '../../src/registry/platforms';
import { rulesWithoutHosts } from '../../src/admin/platforms/service';
import { expectRedirect, post, text, type Agent } from './helpers';

let ctx: TestContext;
let admin: Agent;
beforeAll(async () => {
  ctx = await createTestContext();
  await seedDemoUnits(ctx.database.db);
  admin = await signIn(ctx.app, 'admin');
});
afterAll(() => ctx.close());

const P = '/intern/verwaltung/plattformen';
const facebook = DEFAULT_PLATFORMS.find((p) => p.key === 'facebook')?.rules;
const instagram = DEFAULT_PLATFORMS.find((p) => p.key === 'instagram')?.rules;
if (!facebook || !instagram) throw new Error('default platforms missing');

describe('platforms', () => {
  it('enabling and disabling changes the request form and is recorded; presences stay', async () => {
    const editor = await signIn(ctx.app, 'redaktion');
    expect((await editor.get('/intern/antraege/neu')).text).not.toContain('value="instagram"');
    expectRedirect(await post(admin, `${P}/instagram/freigabe`, { freigegeben: 'ja' }, P), /freigegeben=instagram/);
    expect((await editor.get('/intern/antraege/neu')).text).toContain('value="instagram"');
    expect((await admin.get(P)).text).toContain('data-platform="instagram" data-enabled="ja"');

    // disabling asks first (a confirmation page); only its button disables
    const confirmation = await post(admin, `${P}/facebook/freigabe`, { freigegeben: 'nein' }, P);
    expect(confirmation.status).toBe(200);
    expect(await ctx.database.db('platforms').where({ key: 'facebook' }).first()).toMatchObject({ enabled: true });
    expectRedirect(await confirmOnPage(admin, confirmation), /gesperrt=facebook/);
    const formAfter = await editor.get('/intern/antraege/neu');
    expect(formAfter.text).not.toContain('value="facebook"');
    // the central presence on Facebook is untouched
    expect(await ctx.database.db('presences').where({ slug: 'hannover-de-facebook' }).first()).toMatchObject({
      status: 'active',
    });
    expectRedirect(await post(admin, `${P}/facebook/freigabe`, { freigegeben: 'ja' }, P), /freigegeben=facebook/);

    const history = await ctx.database.db('history').where({ entity_type: 'platform' }).orderBy('id');
    expect(history.map((h) => `${h.action}:${h.entity_id}`)).toEqual([
      'platform.enabled:instagram',
      'platform.disabled:facebook',
      'platform.enabled:facebook',
    ]);
    expect(history[1].changes).toEqual({ enabled: { before: true, after: false } });
  });

  it('keeps the typed rules and names the error when a pattern is not a valid regular expression', async () => {
    const broken = JSON.parse(rulesWithoutHosts(instagram));
    broken.patterns[0].path = '/([a-z0-9._]{1,30}';
    const typed = JSON.stringify(broken, null, 2);
    const res = await post(
      admin,
      `${P}/instagram`,
      { hosts: 'instagram.com\nwww.instagram.com', regeln: typed, beispiel: '', aktion: 'speichern' },
      `${P}/instagram`,
    );
    expect(res.status).toBe(400);
    const page = text(res.text);
    expect(page).toMatch(
      /Regel ungültig: patterns\[0\]\.path: Pattern path "\/\(\[a-z0-9\._\]\{1,30\}" is not a valid regular expression/,
    );
    expect(res.text).toContain('href="#feld-regeln"');
    expect(res.text).toContain('id="feld-regeln-fehler"');
    expect(page).toContain('"path": "/([a-z0-9._]{1,30}"'); // the textarea keeps what was typed
    const stored = await ctx.database.db('platforms').where({ key: 'instagram' }).first();
    expect(stored.rules.patterns[0].path).toBe(instagram.patterns[0]?.path);

    const badJson = await post(
      admin,
      `${P}/instagram`,
      { hosts: 'instagram.com', regeln: '{ "patterns": [', beispiel: '', aktion: 'vorschau' },
      `${P}/instagram`,
    );
    expect(badJson.status).toBe(400);
    expect(text(badJson.text)).toContain('Die Regeln sind kein gültiges JSON');

    const wildcard = await post(
      admin,
      `${P}/instagram`,
      { hosts: '*.instagram.com', regeln: rulesWithoutHosts(instagram), beispiel: '', aktion: 'speichern' },
      `${P}/instagram`,
    );
    expect(wildcard.status).toBe(400);
    expect(wildcard.text).toContain('href="#feld-hosts"');
    expect(text(wildcard.text)).toContain('wildcards ("*") are not allowed');
  });

  it('previews a sample URL with the rules as typed, without saving', async () => {
    const rules = JSON.parse(rulesWithoutHosts(facebook));
    const res = await post(
      admin,
      `${P}/facebook`,
      {
        hosts: facebook.hosts.join('\n'),
        regeln: JSON.stringify(rules),
        beispiel: 'https://m.facebook.com/Hannover.de/posts/123',
        aktion: 'vorschau',
      },
      `${P}/facebook`,
    );
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/data-testid="preview-id">hannover\.de</);
    expect(res.text).toMatch(/data-testid="preview-url">https:\/\/www\.facebook\.com\/hannover\.de</);

    // with m.facebook.com removed from the typed host list the same URL is refused: the preview uses what was typed
    const narrowed = await post(
      admin,
      `${P}/facebook`,
      {
        hosts: 'www.facebook.com\nfacebook.com',
        regeln: JSON.stringify(rules),
        beispiel: 'https://m.facebook.com/Hannover.de',
        aktion: 'vorschau',
      },
      `${P}/facebook`,
    );
    expect(narrowed.text).toContain('data-reason="host_not_allowed"');
    const lookalike = await post(
      admin,
      `${P}/facebook`,
      {
        hosts: facebook.hosts.join('\n'),
        regeln: JSON.stringify(rules),
        beispiel: 'https://www.facebook.com.evil.example/hannover.de',
        aktion: 'vorschau',
      },
      `${P}/facebook`,
    );
    expect(lookalike.text).toContain('data-reason="host_not_allowed"');
    expect((await ctx.database.db('platforms').where({ key: 'facebook' }).first()).rules.hosts).toEqual(facebook.hosts);
    expect(await ctx.database.db('history').where({ action: 'platform.rules_changed' })).toHaveLength(0);
  });

  it('shows the short and mobile hosts and previews share links as "cannot be checked"', async () => {
    const page = await admin.get(`${P}/facebook`).expect(200);
    expect(page.text).toMatch(/<textarea[^>]*name="hosts"[^>]*>[^<]*\bfb\.me\b[^<]*<\/textarea>/);
    expect(page.text).toMatch(/<textarea[^>]*name="hosts"[^>]*>[^<]*\bm\.facebook\.com\b/);
    expect(page.text).toContain('&#34;unresolvable&#34;');
    expect((await admin.get(P)).text).toMatch(/fb\.me/);
    const rules = rulesWithoutHosts(facebook);
    const share = await post(
      admin,
      `${P}/facebook`,
      {
        hosts: facebook.hosts.join('\n'),
        regeln: rules,
        beispiel: 'https://www.facebook.com/share/p/15XyZabc12/',
        aktion: 'vorschau',
      },
      `${P}/facebook`,
    );
    expect(share.status).toBe(200);
    expect(share.text).toContain('data-reason="unresolvable"');
    expect(text(share.text)).toContain('nennt kein Konto');
    const short = await post(
      admin,
      `${P}/facebook`,
      { hosts: facebook.hosts.join('\n'), regeln: rules, beispiel: 'fb.me/Hannover.de', aktion: 'vorschau' },
      `${P}/facebook`,
    );
    expect(short.text).toMatch(/data-testid="preview-id">hannover\.de</);
  });

  it('saves new rules; rules that would misread a registered presence need a confirmation', async () => {
    // dropping the plain host "www.facebook.com" would make the central presence unreadable
    const rules = rulesWithoutHosts(facebook);
    const res = await post(
      admin,
      `${P}/facebook`,
      { hosts: 'm.facebook.com', regeln: rules, beispiel: '', aktion: 'speichern' },
      `${P}/facebook`,
    );
    expect(res.status).toBe(409);
    expect(res.text).toContain('data-testid="affected"');
    expect(text(res.text)).toContain('Hannover.de – https://www.facebook.com/hannover.de');
    expect(res.text).toContain('href="#feld-trotzdem"');

    const hosts = [...facebook.hosts, 'business.facebook.com'].join('\n');
    const saved = await post(
      admin,
      `${P}/facebook`,
      { hosts, regeln: rules, beispiel: '', aktion: 'speichern' },
      `${P}/facebook`,
    );
    expectRedirect(saved, /\/plattformen\/facebook\?gespeichert=1/);
    expect((await ctx.database.db('platforms').where({ key: 'facebook' }).first()).rules.hosts).toContain(
      'business.facebook.com',
    );
    const [entry] = await ctx.database.db('history').where({ action: 'platform.rules_changed' });
    expect(entry.changes.hosts.after).toContain('business.facebook.com');
    expect(entry.changes.rules).toBeUndefined();
  });
});
