import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/app';
import { confirmOnPage, csrfFrom, signIn, submitForm } from '../helpers/http';
import { seedDemoUnits } from '../../src/demo/org-units';
import { createRequestService, type RequestService } from '../../src/requests/service';
import { createNotifier } from '../../src/requests/notify';
import { readForm } from '../../src/requests/form';
import { rememberPerson } from '../../src/people/store';
import { runReviewReminders, runDirectoryCheck } from '../../src/presences/lifecycle';
import { startDemoDirectory, DEMO_LDIF_PATH } from '../../src/directory/demo-server';
import { createDirectory } from '../../src/directory/directory';
import { demoDirectoryConfig } from '../../src/config';
import type { SessionUser } from '../../src/directory/user';
import { validForm } from '../requests/fixtures';
import { deliverEverything } from '../helpers/outbox';

let ctx: TestContext;
let service: RequestService;
const people: Record<string, SessionUser> = {
  redaktion: {
    uid: 'redaktion',
    name: 'Robin Schäfer',
    email: 'robin.schaefer@hannover-stadt.de',
    unit: '41',
    roles: ['employee'],
  },
  redaktion2: {
    uid: 'redaktion2',
    name: 'Kim Nowak',
    email: 'kim.nowak@hannover-stadt.de',
    unit: '41',
    roles: ['employee'],
  },
  leitung: {
    uid: 'leitung',
    name: 'Dr. Andrea Lange',
    email: 'andrea.lange@hannover-stadt.de',
    unit: '41',
    roles: ['employee', 'unit_head'],
  },
  kommunikation: {
    uid: 'kommunikation',
    name: 'Jonas Becker',
    email: 'jonas.becker@hannover-stadt.de',
    unit: '18.62',
    roles: ['employee', 'communications'],
  },
  datenschutz: {
    uid: 'datenschutz',
    name: 'Fatma Yılmaz',
    email: 'fatma.yilmaz@hannover-stadt.de',
    unit: '18.DS',
    roles: ['employee', 'data_protection'],
  },
  hannoverde: {
    uid: 'hannoverde',
    name: 'Lena Hoffmann',
    email: 'lena.hoffmann@hannover.de',
    unit: 'HDE',
    roles: ['employee', 'hannoverde'],
  },
};
const P = (uid: keyof typeof people) => people[uid] as SessionUser;

beforeAll(async () => {
  ctx = await createTestContext();
  await seedDemoUnits(ctx.database.db);
  for (const p of Object.values(people)) await rememberPerson(ctx.database.db, p, new Date());
  const directory = ctx.services.directory;
  service = createRequestService({
    db: ctx.database.db,
    directory,
    clock: () => ctx.clock.now,
    notify: createNotifier({ baseUrl: 'http://portal.test', directory }),
  });
});
afterAll(() => ctx.close());

/** A presence published through the whole directive workflow. */
async function publish(account: string, name: string): Promise<number> {
  const data = readForm(validForm({ url: `https://www.facebook.com/${account}`, name }));
  const id = await service.create(P('redaktion'), data);
  expect((await service.submit(P('redaktion'), id, data)).ok).toBe(true);
  await service.act(P('leitung'), id, { type: 'approve', stepId: 'unit_head' }, 1);
  await service.act(P('kommunikation'), id, { type: 'approve', stepId: 'communications' }, 1);
  await service.act(P('datenschutz'), id, { type: 'approve', stepId: 'data_protection' }, 1);
  await service.confirmEditor(P('redaktion'), id);
  await service.confirmEditor(P('redaktion2'), id);
  await service.act(P('hannoverde'), id, { type: 'approve', stepId: 'hannoverde' }, 1);
  return (await ctx.database.db('requests').where({ id }).first()).presence_id as number;
}

describe('after publication', () => {
  it('an editor confirms the presence yearly: last confirmed and the next review date move on', async () => {
    ctx.clock.set(new Date('2026-11-26T10:00:00Z'));
    const id = await publish('bestaetigung.test', 'Bestätigung');
    const db = ctx.database.db;
    await db('presences').where({ id }).update({ review_due: '2026-12-10', review_overdue: true });
    ctx.clock.set(new Date('2026-12-01T10:00:00Z'));
    const editor = await signIn(ctx.app, 'redaktion2');
    const res = await submitForm(editor, `/intern/angebote/${id}`, `/intern/angebote/${id}/bestaetigen`, {});
    expect(res.status).toBe(303);
    const p = await db('presences').where({ id }).first();
    expect(p.review_due).toBe('2027-12-01');
    expect(p.review_overdue).toBe(false);
    expect(p.last_confirmed_at.toISOString()).toBe('2026-12-01T10:00:00.000Z');
    expect(await db('history').where({ presence_id: id, action: 'presence.confirmed' })).toHaveLength(1);
  });

  it('reminds the editors from 30 days before the review date and escalates an overdue presence once', async () => {
    ctx.clock.set(new Date('2026-11-26T10:00:00Z'));
    const id = await publish('pruefung.test', 'Prüfung');
    const db = ctx.database.db;
    await db('presences').where({ id }).update({ review_due: '2027-01-15' });
    // mails to a role go to the members of its directory group when they are delivered
    const mails = async (template: string) => {
      await deliverEverything(db, ctx.services.directory);
      return (await db('outbox').where({ presence_id: id, template }).whereNull('recipient_role'))
        .map((m) => m.recipient_uid)
        .sort();
    };

    await runReviewReminders(db, new Date('2026-12-01T08:00:00Z'), 'http://portal.test'); // 45 days before
    expect(await mails('review_due')).toEqual([]);
    await runReviewReminders(db, new Date('2026-12-20T08:00:00Z'), 'http://portal.test'); // 26 days before
    await runReviewReminders(db, new Date('2026-12-21T08:00:00Z'), 'http://portal.test');
    expect(await mails('review_due')).toEqual(['redaktion', 'redaktion2']);
    // one date format: a day in running text (src/web/dates.ts)
    expect((await db('outbox').where({ presence_id: id, template: 'review_due' }).first()).body).toContain(
      'bis zum 15. Januar 2027 zu bestätigen',
    );
    expect((await db('presences').where({ id }).first()).review_overdue).toBe(false);

    await runReviewReminders(db, new Date('2027-01-16T08:00:00Z'), 'http://portal.test');
    await runReviewReminders(db, new Date('2027-01-17T08:00:00Z'), 'http://portal.test');
    expect((await db('presences').where({ id }).first()).review_overdue).toBe(true);
    expect(await mails('review_overdue')).toEqual(['kommunikation']);
    const body = (
      await db('outbox').where({ presence_id: id, template: 'review_overdue', recipient_uid: 'kommunikation' }).first()
    ).body as string;
    expect(body).toContain('seit dem 15. Januar 2027 überfällig');
  });

  it('communications close a presence with a reason; it stays in the register as closed', async () => {
    const id = await publish('schliessen.test', 'Schließen');
    // the staff council may look but not close
    const council = await signIn(ctx.app, 'personalrat');
    const seen = await council.get(`/intern/angebote/${id}`).expect(200);
    expect(seen.text).not.toContain(`action="/intern/angebote/${id}/schliessen"`);
    const refused = await council
      .post(`/intern/angebote/${id}/schliessen`)
      .type('form')
      .send({ _csrf: csrfFrom(seen.text), grund: 'x' });
    expect(refused.status).toBe(403);
    const comms = await signIn(ctx.app, 'kommunikation');
    expect((await comms.get(`/intern/angebote/${id}`)).text).toContain(`action="/intern/angebote/${id}/schliessen"`);
    const noReason = await submitForm(comms, `/intern/angebote/${id}`, `/intern/angebote/${id}/schliessen`, {
      grund: '',
    });
    expect(noReason.status).toBe(400);
    expect(noReason.text).toContain('Geben Sie einen Grund für die Schließung an.');
    // closing reaches far: the form leads to a confirmation page, only its button closes
    const confirmation = await submitForm(comms, `/intern/angebote/${id}`, `/intern/angebote/${id}/schliessen`, {
      grund: 'Kanal wird nicht mehr betreut.',
    });
    expect(confirmation.status).toBe(200);
    expect((await ctx.database.db('presences').where({ id }).first()).status).toBe('active');
    const done = await confirmOnPage(comms, confirmation);
    expect(done.status).toBe(303);
    const p = await ctx.database.db('presences').where({ id }).first();
    expect(p).toMatchObject({ status: 'closed', close_reason: 'Kanal wird nicht mehr betreut.' });
    expect(p.closed_at).toBeInstanceOf(Date);
    const after = await comms.get(`/intern/angebote/${id}`).expect(200);
    expect(after.text).not.toContain(`action="/intern/angebote/${id}/schliessen"`);
    expect(after.text).toContain('geschlossen');
  });

  it('a change of the description goes to communications only; the public keeps the old text until then', async () => {
    const id = await publish('aenderung.test', 'Änderung');
    const editor = await signIn(ctx.app, 'redaktion');
    const form = await editor.get(`/intern/angebote/${id}/aenderung`).expect(200);
    const fields = {
      ...validForm({ url: 'https://www.facebook.com/aenderung.test', name: 'Änderung' }),
      description: 'Neue Beschreibung',
      aktion: 'einreichen',
      _csrf: csrfFrom(form.text),
    };
    const res = await editor.post(`/intern/angebote/${id}/aenderung`).type('form').send(fields);
    expect(res.status, res.text.slice(0, 500)).toBe(303);
    const requestId = Number(/antraege\/(\d+)/.exec(String(res.headers.location))?.[1]);
    const db = ctx.database.db;
    const request = await db('requests').where({ id: requestId }).first();
    expect(request).toMatchObject({ kind: 'change', presence_id: id, status: 'in_review' });
    expect((await db('presences').where({ id }).first()).description).not.toBe('Neue Beschreibung');
    await service.act(P('kommunikation'), requestId, { type: 'approve', stepId: 'communications' }, 1);
    expect((await db('requests').where({ id: requestId }).first()).status).toBe('published');
    expect((await db('presences').where({ id }).first()).description).toBe('Neue Beschreibung');
    const changed = await db('history').where({ presence_id: id, action: 'presence.changed' }).first();
    expect(changed.changes.description).toEqual({ before: expect.any(String), after: 'Neue Beschreibung' });
  });

  it('a change of the address also needs the Hannover.de editorial team', async () => {
    const id = await publish('adresse.alt', 'Adresse');
    const data = readForm(validForm({ url: 'https://www.facebook.com/adresse.neu', name: 'Adresse' }));
    const result = await service.requestChange(P('redaktion'), id, data);
    expect(result.ok).toBe(true);
    const requestId = (result as { id: number }).id;
    await service.act(P('kommunikation'), requestId, { type: 'approve', stepId: 'communications' }, 1);
    expect((await ctx.database.db('requests').where({ id: requestId }).first()).status).toBe('in_review');
    await service.act(P('hannoverde'), requestId, { type: 'approve', stepId: 'hannoverde' }, 1);
    expect((await ctx.database.db('presences').where({ id }).first()).account_id).toBe('adresse.neu');
  });

  it('replacing an editor needs only the unit head', async () => {
    const id = await publish('redaktionswechsel.test', 'Redaktionswechsel');
    const data = readForm(
      validForm({
        url: 'https://www.facebook.com/redaktionswechsel.test',
        name: 'Redaktionswechsel',
        editor2: 'leitung',
      }),
    );
    const result = await service.requestChange(P('redaktion'), id, data);
    expect(result.ok).toBe(true);
    const requestId = (result as { id: number }).id;
    expect((await ctx.database.db('requests').where({ id: requestId }).first()).kind).toBe('editors');
    // the head cannot approve a change that names them as editor (four-eyes)
    const refused = await service
      .act(P('leitung'), requestId, { type: 'approve', stepId: 'unit_head' }, 1)
      .catch((e) => e);
    expect(refused.refusal?.code).toBe('own_request');
    const data2 = readForm(
      validForm({
        url: 'https://www.facebook.com/redaktionswechsel.test',
        name: 'Redaktionswechsel',
        editor2: 'datenschutz',
      }),
    );
    await service.act(P('redaktion'), requestId, { type: 'withdraw' }, undefined);
    const second = await service.requestChange(P('redaktion'), id, data2);
    expect(second.ok).toBe(true);
    await service.act(P('leitung'), (second as { id: number }).id, { type: 'approve', stepId: 'unit_head' }, 1);
    const editors = await ctx.database
      .db('presence_editors')
      .where({ presence_id: id })
      .orderBy('position')
      .pluck('uid');
    expect(editors).toEqual(['redaktion', 'datenschutz']);
  });

  it('flags a presence whose editor left the directory and asks the unit head, once', async () => {
    const id = await publish('weggang.test', 'Weggang');
    // a directory in which Kim Nowak (redaktion2) no longer exists
    const ldif = fs
      .readFileSync(DEMO_LDIF_PATH, 'utf8')
      .replace(/dn: uid=redaktion2,[\s\S]*?\n\n/, '')
      .replace(/member: uid=redaktion2[^\n]*\n/g, '');
    const changed = await startDemoDirectory(0, ldif);
    try {
      const directory = createDirectory(demoDirectoryConfig(changed.url));
      expect(await directory.findByUid('redaktion2')).toBeUndefined();
      const db = ctx.database.db;
      const first = await runDirectoryCheck(db, directory, new Date('2026-12-02T05:00:00Z'), 'http://portal.test');
      expect(first.flagged).toBeGreaterThanOrEqual(1);
      await runDirectoryCheck(db, directory, new Date('2026-12-03T05:00:00Z'), 'http://portal.test');
      expect((await db('presences').where({ id }).first()).editors_flagged).toBe(true);
      expect((await db('people').where({ uid: 'redaktion2' }).first()).missing_since).toBeInstanceOf(Date);
      const mails = await db('outbox').where({ presence_id: id, template: 'editor_missing' });
      expect(mails.map((m) => m.recipient_uid)).toEqual(['leitung']);
      const head = await signIn(ctx.app, 'leitung');
      const page = await head.get(`/intern/angebote/${id}`).expect(200);
      expect(page.text).toContain('nicht mehr im Verzeichnis');
    } finally {
      await changed.close();
    }
  });
});
