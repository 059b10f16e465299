import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { createTestContext, type TestContext } from '../helpers/app';
import { signIn, csrfFrom } from '../helpers/http';
import { deliverEverything } from '../helpers/outbox';
import { backendName } from '../helpers/env';
import { seedRegister } from '../public/fixtures';
import { validate } from '../public/json-schema';
import { createScheduler } from '../../src/jobs/scheduler';
import { reportDigestJob } from '../../src/jobs/report-digest';
import { runMaintenance } from '../../src/jobs/maintenance';
import { openApiDocument } from '../../src/public/openapi';

/**
 * Fake accounts (issue 12) the way citizens and the press office meet them: the real app, CSRF
 * on, the demo directory. A citizen checks a look-alike, reports it (twice: one case, count 2),
 * the press office confirms the impostor, and every public answer warns; "actually ours"
 * links a presence; the digest goes once across two schedulers; the retention deletes the
 * reporters' e-mail and address; bad input gets a clear answer with every entry kept.
 */

let ctx: TestContext;
let doc: ReturnType<typeof openApiDocument>;
const LOOKALIKE = 'https://www.facebook.com/hannover.de.official';
const CYRILLIC = 'https://www.facebook.com/hannоver.de'; // Cyrillic о
const db = () => ctx.database.db;

beforeAll(async () => {
  ctx = await createTestContext({ REPORT_MAX_PER_ADDRESS: '4', REPORT_RETENTION_DAYS: '30' });
  await seedRegister(ctx.database.db);
  doc = (await request(ctx.app).get('/api/openapi.json').expect(200)).body;
}, 120_000);
afterAll(() => ctx?.close());

/** A citizen: no cookie jar, each request as a fresh browser would send it. */
const citizen = () => request(ctx.app);

async function reportForm(url?: string) {
  const res = await citizen()
    .get(url ? `/melden?${new URLSearchParams({ url })}` : '/melden')
    .expect(200);
  expect(res.headers['set-cookie']).toBeUndefined();
  return res;
}

async function report(fields: Record<string, string>, token?: string) {
  const form = token ?? csrfFrom((await reportForm()).text);
  return citizen()
    .post('/melden')
    .type('form')
    .send({ nachricht: '', email: '', homepage: '', ...fields, _csrf: form });
}

const caseOf = (accountId: string) =>
  db()('report_cases').where({ platform_key: 'facebook', account_id: accountId }).first();

describe(`fake accounts (${backendName})`, () => {
  it('the check names the real presence a look-alike imitates, in HTML and JSON, and offers to report it', async () => {
    const page = await citizen()
      .get(`/pruefen?${new URLSearchParams({ url: LOOKALIKE })}`)
      .expect(200);
    expect(page.text).toContain('Dieser Account ähnelt dem offiziellen Auftritt „Hannover.de“');
    expect(page.text).toContain('er gehört nicht zur Landeshauptstadt Hannover');
    expect(page.text).toContain('Dieser Account ist kein offizieller Auftritt der Landeshauptstadt Hannover.');
    expect(page.text).toContain(`href="/melden?url=${encodeURIComponent(LOOKALIKE).replace(/%20/g, '+')}"`);
    expect(page.headers['set-cookie']).toBeUndefined();

    const json = await citizen()
      .get(`/pruefen.json?${new URLSearchParams({ url: LOOKALIKE })}`)
      .expect(200);
    expect(json.body.result).toBe('unknown');
    expect(json.body.reason).toBe('not_registered');
    expect(json.body.lookalikeOf).toEqual([
      {
        name: 'Hannover.de',
        url: 'https://www.facebook.com/hannover.de',
        page: 'http://portal.test/angebote/hannover-de-facebook',
        status: 'active',
      },
    ]);
    expect(json.body.warning).toBeNull();
    expect(validate(json.body, { $ref: '#/components/schemas/VerifyResult' }, doc as never)).toEqual([]);

    // a Cyrillic letter: the platform's rules refuse the name, the look-alike check still sees it
    const cyr = await citizen()
      .get(`/pruefen.json?${new URLSearchParams({ url: CYRILLIC })}`)
      .expect(200);
    expect(cyr.body.result).toBe('unknown');
    expect(cyr.body.lookalikeOf.map((l: { name: string }) => l.name)).toEqual(['Hannover.de']);
    const en = await citizen()
      .get(`/en/pruefen?${new URLSearchParams({ url: CYRILLIC })}`)
      .expect(200);
    expect(en.text).toContain('This account resembles the official presence “<span lang="de">Hannover.de</span>”');

    // a genuinely different account: no warning; a registered one: official, never a look-alike
    const other = await citizen().get('/pruefen.json?url=facebook.com/hannover96').expect(200);
    expect(other.body.lookalikeOf).toEqual([]);
    const real = await citizen().get('/pruefen.json?url=facebook.com/sprengelmuseum').expect(200);
    expect(real.body.result).toBe('official');
    expect(real.body.lookalikeOf).toEqual([]);
  });

  it('two reports of the same account make one case with the count 2; the form sets no cookie', async () => {
    const first = await report({
      url: LOOKALIKE,
      nachricht: 'Wirbt mit Gewinnspielen im Namen der Stadt.',
      email: 'buerger@example.org',
    });
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/melden?gesendet=1');
    expect(first.headers['set-cookie']).toBeUndefined();
    const thanks = await citizen().get('/melden?gesendet=1').expect(200);
    expect(thanks.text).toContain('Vielen Dank. Ihre Meldung ist bei der Pressestelle eingegangen.');

    // the same account written another way: the canonical id folds them together
    const second = await report({ url: 'facebook.com/Hannover.de.Official/', nachricht: 'Auch mir aufgefallen.' });
    expect(second.status).toBe(303);

    const row = await caseOf('hannover.de.official');
    expect(row).toMatchObject({ state: 'new', report_count: 2 });
    const reports = await db()('account_reports').where({ case_id: row.id }).orderBy('id');
    expect(reports.map((r: { message: string }) => r.message)).toEqual([
      'Wirbt mit Gewinnspielen im Namen der Stadt.',
      'Auch mir aufgefallen.',
    ]);
    expect(reports[0].email).toBe('buerger@example.org');
    expect(reports[0].client_address).toBeTruthy();
    // the history has both reports, and no personal data
    const history = await db()('history').where({ entity_type: 'report_case', entity_id: String(row.id) });
    expect(history.map((h: { action: string }) => h.action)).toEqual(['report_case.reported', 'report_case.reported']);
    expect(JSON.stringify(history)).not.toContain('buerger@example.org');
  });

  it('bad input gets a clear 400 with every entry kept and each error named, never a 500', async () => {
    const long = 'x'.repeat(1001);
    const tooLong = await report({ url: LOOKALIKE, nachricht: long, email: 'kein-at-zeichen' });
    expect(tooLong.status).toBe(400);
    expect(tooLong.text).toContain('Die Nachricht ist zu lang. Schreiben Sie höchstens 1000 Zeichen.');
    expect(tooLong.text).toContain('Geben Sie eine E-Mail-Adresse wie name@beispiel.de ein');
    expect(tooLong.text).toContain(`>${long}</textarea>`);
    expect(tooLong.text).toContain('value="kein-at-zeichen"');
    expect(tooLong.text).toContain(`value="${LOOKALIKE}"`);
    expect(tooLong.headers['set-cookie']).toBeUndefined();

    const honeypot = await report({ url: LOOKALIKE, nachricht: 'Hallo', homepage: 'http://spam.example' });
    expect(honeypot.status).toBe(400);
    expect(honeypot.text).toContain('muss leer bleiben');
    expect(honeypot.text).toContain('>Hallo</textarea>');

    const official = await report({ url: 'facebook.com/sprengelmuseum', nachricht: 'Ist das echt?' });
    expect(official.status).toBe(400);
    expect(official.text).toContain('Dieser Account ist ein offizieller Auftritt der Landeshauptstadt Hannover.');
    expect(official.text).toContain('>Ist das echt?</textarea>');

    const empty = await report({ url: '' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('href="#feld-url"');

    // a stale or foreign token: refused, the entries kept, a fresh token in the form
    const stale = await report({ url: LOOKALIKE, nachricht: 'Mit altem Formular' }, 'abc.def.ghi');
    expect(stale.status).toBe(403);
    expect(stale.text).toContain('>Mit altem Formular</textarea>');
    const oldToken = csrfFrom((await reportForm()).text);
    ctx.clock.advance(3 * 60 * 60_000);
    const expired = await report({ url: LOOKALIKE }, oldToken);
    expect(expired.status).toBe(403);

    expect((await caseOf('hannover.de.official')).report_count).toBe(2); // nothing refused was counted
  });

  it('more reports than the limit from one address: 429, the entries kept, nothing counted', async () => {
    // REPORT_MAX_PER_ADDRESS=4 in an hour's window (the clock moved on since the reports above)
    await db()('rate_limits').delete();
    for (let i = 0; i < 4; i++) expect((await report({ url: `facebook.com/hannoverde${i + 1}` })).status).toBe(303);
    const refused = await report({ url: 'facebook.com/hannoverde9', nachricht: 'Noch einer' });
    expect(refused.status).toBe(429);
    expect(refused.text).toContain('zu viele Meldungen');
    expect(refused.text).toContain('>Noch einer</textarea>');
    expect(await caseOf('hannoverde9')).toBeUndefined();
    // the limit's key holds no address in clear
    expect((await db()('rate_limits').pluck('key')).join()).not.toMatch(/127\.0\.0\.1|::ffff/);
    await db()('rate_limits').delete(); // the next tests report again
  });

  it('the press office confirms the impostor: /pruefen, /warnungen(.json) and the Atom feed warn; all in the history', async () => {
    const row = await caseOf('hannover.de.official');
    const press = await signIn(ctx.app, 'kommunikation');
    const list = await press.get('/intern/meldungen').expect(200);
    expect(list.text).toContain('facebook.com/hannover.de.official');
    expect(list.text).toMatch(new RegExp(`data-case="${row.id}"[\\s\\S]*?data-testid="count">2<`));
    const page = await press.get(`/intern/meldungen/${row.id}`).expect(200);
    expect(page.text).toContain('Wirbt mit Gewinnspielen im Namen der Stadt.');
    expect(page.text).toContain('buerger@example.org');
    expect(page.text).toContain('Hannover.de</a>'); // the look-alike match

    const decided = await press
      .post(`/intern/meldungen/${row.id}`)
      .type('form')
      .send({
        stand: 'impostor',
        gemeldet_am: '2000-01-02',
        auftritt: '',
        kommentar: 'Gewinnspiel-Betrug',
        _csrf: csrfFrom(page.text),
      });
    expect(decided.status).toBe(303);

    const html = await citizen()
      .get(`/pruefen?${new URLSearchParams({ url: LOOKALIKE })}`)
      .expect(200);
    expect(html.text).toContain('Warnung: bekannter Fake-Account – nicht von der Landeshauptstadt Hannover');
    expect(html.text).toMatch(/<title>Warnung, Fake-Account/);
    const json = await citizen()
      .get(`/pruefen.json?${new URLSearchParams({ url: LOOKALIKE })}`)
      .expect(200);
    expect(json.body.result).toBe('impostor');
    expect(json.body.warning).toMatchObject({
      reportedToPlatformOn: '2000-01-02',
      list: 'http://portal.test/warnungen',
    });
    expect(validate(json.body, { $ref: '#/components/schemas/VerifyResult' }, doc as never)).toEqual([]);

    const warnings = await citizen().get('/warnungen').expect(200);
    expect(warnings.text).toContain('facebook.com/hannover.de.official');
    expect(warnings.headers['set-cookie']).toBeUndefined();
    const warningsJson = await citizen().get('/warnungen.json').expect(200);
    expect(warningsJson.body.warnings).toEqual([
      expect.objectContaining({ accountId: 'hannover.de.official', reportedToPlatformOn: '2000-01-02' }),
    ]);
    expect(validate(warningsJson.body, { $ref: '#/components/schemas/WarningList' }, doc as never)).toEqual([]);
    const atom = await citizen().get('/angebote.atom').expect(200);
    expect(atom.text).toContain('Warnung: Fake-Account hannover.de.official auf Facebook');
    expect(atom.text).toContain(`<id>http://portal.test/warnungen#fall-${row.id}</id>`);
    const overview = await citizen().get('/').expect(200);
    expect(overview.text).toContain('href="/warnungen.json"');

    const history = await db()('history')
      .where({ entity_type: 'report_case', entity_id: String(row.id) })
      .orderBy('id');
    expect(history.map((h: { action: string }) => h.action)).toEqual([
      'report_case.reported',
      'report_case.reported',
      'report_case.decided',
    ]);
    expect(history[2]).toMatchObject({ actor_uid: 'kommunikation', comment: 'Gewinnspiel-Betrug' });
    expect(history[2].changes.state).toEqual({ before: 'new', after: 'impostor' });
    const after = await press.get(`/intern/meldungen/${row.id}`).expect(200);
    expect(after.text).toContain('Meldung entschieden');
  });

  it('a wrong decision is refused with every error named and the entries kept', async () => {
    const row = await caseOf('hannoverde1');
    const press = await signIn(ctx.app, 'kommunikation');
    const page = await press.get(`/intern/meldungen/${row.id}`).expect(200);
    const res = await press
      .post(`/intern/meldungen/${row.id}`)
      .type('form')
      .send({
        stand: 'unrelated',
        gemeldet_am: '31.02.2026',
        auftritt: 'gibt-es-nicht',
        kommentar: 'K',
        _csrf: csrfFrom(page.text),
      });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Das Datum der Meldung an die Plattform gibt es nur für bestätigte Fake-Accounts.');
    expect(res.text).toContain('Einen Auftritt verknüpfen Sie nur, wenn der Account doch zur Stadt gehört.');
    expect(res.text).toContain('value="31.02.2026"');
    expect((await caseOf('hannoverde1')).state).toBe('new');
  });

  it('"actually ours" links a presence and silences the look-alike warning; administrators read, others may not', async () => {
    const row = await caseOf('hannoverde2');
    const before = await citizen().get('/pruefen.json?url=facebook.com/hannoverde2').expect(200);
    expect(before.body.lookalikeOf).toHaveLength(1);
    const press = await signIn(ctx.app, 'kommunikation');
    const page = await press.get(`/intern/meldungen/${row.id}`).expect(200);
    const res = await press
      .post(`/intern/meldungen/${row.id}`)
      .type('form')
      .send({
        stand: 'ours',
        gemeldet_am: '',
        auftritt: 'hannover-de-facebook',
        kommentar: '',
        _csrf: csrfFrom(page.text),
      });
    expect(res.status).toBe(303);
    const linked = await caseOf('hannoverde2');
    expect(linked.state).toBe('ours');
    expect(linked.presence_id).toBe((await db()('presences').where({ slug: 'hannover-de-facebook' }).first()).id);
    const history = await db()('history').where({
      entity_type: 'report_case',
      entity_id: String(row.id),
      action: 'report_case.decided',
    });
    expect(history).toHaveLength(1);
    expect(history[0].presence_id).toBe(linked.presence_id);
    const after = await citizen().get('/pruefen.json?url=facebook.com/hannoverde2').expect(200);
    expect(after.body.result).toBe('unknown');
    expect(after.body.lookalikeOf).toEqual([]);
    expect(page.text).toContain('/intern/antraege/neu?art=bestehend&amp;plattform=facebook');
    // the link starts a request for an existing presence with platform and address filled in
    const start = /href="(\/intern\/antraege\/neu\?art=bestehend[^"]+)"/.exec(page.text)?.[1]?.replace(/&amp;/g, '&');
    expect(start).toBeDefined();
    const requestForm = await press.get(start as string).expect(200);
    expect(requestForm.text).toMatch(/id="feld-kind-existing" name="kind" value="existing" checked/);
    expect(requestForm.text).toContain('value="https://www.facebook.com/hannoverde2"');

    const admin = await signIn(ctx.app, 'admin');
    const adminPage = await admin.get(`/intern/meldungen/${row.id}`).expect(200);
    expect(adminPage.text).toContain('Entscheiden kann die Pressestelle');
    const refused = await admin
      .post(`/intern/meldungen/${row.id}`)
      .type('form')
      .send({ stand: 'closed', gemeldet_am: '', auftritt: '', kommentar: '', _csrf: csrfFrom(adminPage.text) });
    expect(refused.status).toBe(403);
    const editor = await signIn(ctx.app, 'redaktion');
    expect((await editor.get('/intern/meldungen')).status).toBe(403);
    expect((await editor.get(`/intern/meldungen/${row.id}`)).status).toBe(403);
  });

  it('the daily digest goes once to communications across two schedulers, both languages in the catalogue', async () => {
    const now = new Date(ctx.clock.now);
    const job = () => reportDigestJob(db(), ctx.config.baseUrl);
    const logger = { error: () => undefined, debug: () => undefined };
    const a = createScheduler({ db: db(), logger, clock: () => now, holder: 'a', jobs: [job()] });
    const b = createScheduler({ db: db(), logger, clock: () => now, holder: 'b', jobs: [job()] });
    const ran = (await Promise.all([a.runDue(), b.runDue()])).flat();
    expect(ran).toEqual(['report-digest']);
    const digests = await db()('outbox').where({ template: 'report_digest' });
    expect(digests).toHaveLength(1);
    expect(digests[0]).toMatchObject({ recipient_role: 'communications' });
    const open = await db()('report_cases').where({ state: 'new' }).pluck('account_url');
    expect(open.length).toBeGreaterThan(0);
    expect(digests[0].subject).toBe(`Neue Meldungen zu Fake-Accounts: ${open.length}`);
    for (const url of open) expect(digests[0].body).toContain(url);
    expect(digests[0].body).not.toContain('hannover.de.official'); // decided: not in the digest
    // later the same day, with a new report: still one mail that day
    await report({ url: 'facebook.com/zoo.hannover.official' });
    now.setTime(now.getTime() + 2 * 60 * 60_000);
    await a.runDue();
    await b.runDue();
    expect(await db()('outbox').where({ template: 'report_digest' })).toHaveLength(1);
    // and it reaches the members of the communications group
    const mailer = await deliverEverything(db(), ctx.services.directory);
    expect(mailer.sent.some((m) => m.subject.startsWith('Neue Meldungen zu Fake-Accounts'))).toBe(true);
  });

  it('the housekeeping job deletes reporters’ e-mail and address REPORT_RETENTION_DAYS after the decision', async () => {
    const row = await caseOf('hannover.de.official');
    const decidedAt = new Date(row.closed_at);
    const keep = { outboxKeepDays: 30, reportRetentionDays: ctx.config.reports.retentionDays };
    expect(ctx.config.reports.retentionDays).toBe(30);
    await runMaintenance(db(), new Date(decidedAt.getTime() + 29 * 24 * 60 * 60_000), keep);
    expect((await db()('account_reports').where({ case_id: row.id }).whereNotNull('email')).length).toBe(1);
    const decidedWithData = await db()('account_reports as r')
      .join('report_cases as c', 'c.id', 'r.case_id')
      .whereNotNull('c.closed_at')
      .where((w) => {
        w.whereNotNull('r.email').orWhereNotNull('r.client_address');
      })
      .count({ n: '*' })
      .first();
    const result = await runMaintenance(db(), new Date(decidedAt.getTime() + 31 * 24 * 60 * 60_000), keep);
    expect(result.reporterData).toBe(Number(decidedWithData?.n));
    expect(result.reporterData).toBeGreaterThanOrEqual(2);
    const reports = await db()('account_reports').where({ case_id: row.id });
    for (const r of reports) expect(r).toMatchObject({ email: null, client_address: null });
    expect(reports.map((r: { message: string }) => r.message)).toContain('Auch mir aufgefallen.');
    // a case still undecided keeps them
    const open = await caseOf('hannoverde1');
    expect((await db()('account_reports').where({ case_id: open.id }))[0].client_address).toBeTruthy();
    const press = await signIn(ctx.app, 'kommunikation');
    expect((await press.get(`/intern/meldungen/${row.id}`)).text).toContain('E-Mail und Adresse gelöscht am');
    const privacy = await citizen().get('/datenschutz').expect(200);
    expect(privacy.text).toContain('werden 30 Tage nach Abschluss der Prüfung automatisch gelöscht');
  });
});
