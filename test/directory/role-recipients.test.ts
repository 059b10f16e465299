import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, TEST_ENV, type TestContext } from '../helpers/app';
import { csrfFrom, signIn } from '../helpers/http';
import { backendName, TEST_LDAP_URL } from '../helpers/env';
import { TcpProxy } from '../helpers/tcp-proxy';
import { testGroupDn } from '../helpers/directory';
import { FakeMailer } from '../notifications/fixtures';
import { seedDemo } from '../../src/demo/seed';
import { ConfigError, DEMO_BASE_DN, loadConfig } from '../../src/config';
import { createDirectory } from '../../src/directory/directory';
import { BACKOFF_MINUTES, deliverDue } from '../../src/notifications/delivery';
import { enqueue } from '../../src/notifications/outbox';
import { createRoleResolver } from '../../src/people/roles';
import { directorySyncJob, runDirectorySync } from '../../src/people/sync';
import { createScheduler } from '../../src/jobs/scheduler';

/**
 * Role holders come from the directory group when a mail is delivered, not from who has
 * signed in. Runs against the demo directory, and against OpenLDAP when TEST_LDAP_URL is set.
 */
let ctx: TestContext;
const person = (uid: string) => `uid=${uid},ou=people,${DEMO_BASE_DN}`;
const MEHMET = 'mehmet.demir@hannover-stadt.de';
const LENA = 'lena.hoffmann@hannover.de';
const LINK = 'http://portal.test/intern/antraege/1';

beforeAll(async () => {
  ctx = await createTestContext();
  await seedDemo(ctx.database.db, ctx.services.directory, () => ctx.clock.now, ctx.config.baseUrl);
});
afterAll(() => ctx.close());

/**
 * A staff council group of this test's own (test files share one OpenLDAP, so the demo
 * groups stay as they are), and the directory configured with it.
 */
async function ownCouncil(members: string[]) {
  const group = testGroupDn();
  await ctx.directory.setGroupMembers(group, members);
  const directory = createDirectory({ ...ctx.directory.config, roleGroups: { ...ctx.directory.config.roleGroups, staff_council: group } });
  return { group, directory, set: (m: string[]) => ctx.directory.setGroupMembers(group, m) };
}

const resolver = (mailboxes = ctx.config.mail.roleMailboxes, directory = ctx.services.directory) => createRoleResolver(directory, mailboxes);
const councilNotice = (n: number) => ({
  template: 'staff_council_notice' as const,
  to: { role: 'staff_council' as const },
  presenceId: 9000 + n,
  params: { requestTitle: `Probe ${n}`, unitName: 'Fachbereich Kultur', platformName: 'Facebook', url: LINK },
});
const sentTo = (mailer: FakeMailer, subjectPart: string) => mailer.sent.filter((m) => m.subject.includes(subjectPart)).map((m) => m.to).sort();

describe(`role holders who never signed in (${backendName}, ${TEST_LDAP_URL ? 'OpenLDAP' : 'demo directory'})`, () => {
  it('the Hannover.de step and the staff council are told when the editors confirm, once each', async () => {
    const db = ctx.database.db;
    const request = await db('requests').where({ title: 'Kunstschule Hannover' }).first('id');
    expect(await db('people').whereIn('uid', ['hannoverde', 'personalrat']).select('uid')).toEqual([]);

    const editor2 = await signIn(ctx.app, 'redaktion2');
    const page = await editor2.get(`/intern/antraege/${request.id}`).expect(200);
    await editor2.post(`/intern/antraege/${request.id}/bestaetigen`).type('form').send({ _csrf: csrfFrom(page.text), bestaetigung: 'ja' }).expect(303);

    // queued addressed to the roles, inside the decision's transaction
    const queued = await db('outbox').where({ request_id: request.id }).whereNotNull('recipient_role').select('template', 'recipient_role', 'recipient_email', 'status');
    expect(queued).toEqual(
      expect.arrayContaining([
        { template: 'step_waiting', recipient_role: 'hannoverde', recipient_email: null, status: 'pending' },
        { template: 'staff_council_notice', recipient_role: 'staff_council', recipient_email: null, status: 'pending' },
      ]),
    );
    // the administrators' outbox shows them as mails to a role
    const admin = await signIn(ctx.app, 'admin');
    const outbox = (await admin.get('/intern/postausgang').expect(200)).text;
    expect(outbox).toContain('an Rolle Personalrat');
    expect(outbox).toContain('an Rolle Redaktion Hannover.de');

    // the decision queued them at the database's time
    const now = new Date(Date.now() + 1000);
    const mailer = new FakeMailer();
    await deliverDue(db, mailer, now, { roles: resolver() });
    const kunstschule = mailer.sent.filter((m) => m.subject.includes('Kunstschule Hannover'));
    expect(kunstschule.filter((m) => m.to === LENA).map((m) => m.subject)).toEqual(['Bitte entscheiden: Redaktion Hannover.de – Kunstschule Hannover']);
    expect(kunstschule.filter((m) => m.to === MEHMET)).toHaveLength(1);
    expect(kunstschule.find((m) => m.to === MEHMET)?.text).toContain('Guten Tag Mehmet Demir');
    // nothing twice, however often delivery runs
    await deliverDue(db, mailer, new Date(now.getTime() + 3600_000), { roles: resolver() });
    expect(mailer.sent.filter((m) => m.subject.includes('Kunstschule Hannover') && [LENA, MEHMET].includes(m.to))).toHaveLength(2);
    expect(new Set(await db('outbox').where({ request_id: request.id }).whereNotNull('recipient_role').pluck('status'))).toEqual(new Set(['sent']));
  });

  it('removing the membership in the directory stops the mail; a new member gets it', async () => {
    const db = ctx.database.db;
    const council = await ownCouncil([person('personalrat')]);
    await enqueue(db, councilNotice(1), ctx.clock.now);
    const mailer = new FakeMailer();
    await deliverDue(db, mailer, ctx.clock.now, { roles: resolver(undefined, council.directory) });
    expect(sentTo(mailer, 'Probe 1')).toEqual([MEHMET]);

    await council.set([person('admin')]);
    await enqueue(db, councilNotice(6), ctx.clock.now);
    await deliverDue(db, mailer, ctx.clock.now, { roles: resolver(undefined, council.directory) });
    expect(sentTo(mailer, 'Probe 6')).toEqual(['sascha.wolff@hannover-stadt.de']);
  });

  it('sends to the functional mailbox of the role as well, each address once', async () => {
    const config = loadConfig({ ...TEST_ENV, ROLE_MAILBOX_STAFF_COUNCIL: 'personalrat@hannover-stadt.de', ROLE_MAILBOX_HANNOVERDE: LENA });
    expect(config.mail.roleMailboxes).toEqual({ staff_council: 'personalrat@hannover-stadt.de', hannoverde: LENA });
    expect(() => loadConfig({ ...TEST_ENV, ROLE_MAILBOX_STAFF_COUNCIL: 'personalrat@a.de, x@b.de' })).toThrow(ConfigError);
    const db = ctx.database.db;
    await enqueue(db, councilNotice(2), ctx.clock.now);
    await enqueue(db, { ...councilNotice(3), template: 'step_waiting', to: { role: 'hannoverde' }, params: { requestTitle: 'Probe 3', stepName: 'Redaktion Hannover.de', url: LINK } }, ctx.clock.now);
    const mailer = new FakeMailer();
    await deliverDue(db, mailer, ctx.clock.now, { roles: resolver(config.mail.roleMailboxes) });
    expect(sentTo(mailer, 'Probe 2')).toEqual([MEHMET, 'personalrat@hannover-stadt.de']);
    expect(sentTo(mailer, 'Probe 3')).toEqual([LENA]); // member and mailbox are one address
  });

  it('an empty group sends to nobody: the mail waits in the outbox, the sync warns, the administration shows it', async () => {
    const db = ctx.database.db;
    const council = await ownCouncil([`cn=nobody,ou=groups,${DEMO_BASE_DN}`]);
    await enqueue(db, councilNotice(4), ctx.clock.now);
    const mailer = new FakeMailer();
    expect(await deliverDue(db, mailer, ctx.clock.now, { roles: resolver(undefined, council.directory) })).toMatchObject({ retried: 1 });
    expect(sentTo(mailer, 'Probe 4')).toEqual([]);
    const entry = await db('outbox').where({ presence_id: 9004 }).first();
    expect(entry).toMatchObject({ status: 'pending', attempts: 1 });
    expect(entry.last_error).toContain('nobody to write to');

    const warnings: Array<{ obj: object; msg: string }> = [];
    const result = await runDirectorySync(db, council.directory, ctx.clock.now, { warn: (obj, msg) => warnings.push({ obj, msg }) });
    expect(result.problems).toEqual(['staff_council']);
    expect(warnings).toEqual([{ obj: { role: 'staff_council', group: council.group, state: 'empty' }, msg: 'directory sync: role group has no members' }]);
    const admin = await signIn(ctx.app, 'admin');
    const start = (await admin.get('/intern/verwaltung').expect(200)).text;
    expect(start).toContain('data-testid="role-group-warning"');
    expect(start).toContain(`Personalrat: Die Gruppe „${council.group}“ hat im Verzeichnis keine Mitglieder.`);
    const english = (await admin.get('/en/intern/verwaltung').expect(200)).text;
    expect(english).toContain(`Staff council: the group &#34;${council.group}&#34; has no members in the directory.`);

    // the group gets a member: the waiting mail goes out after the backoff, once
    await council.set([person('personalrat')]);
    const later = new Date(ctx.clock.now.getTime() + BACKOFF_MINUTES[0] * 60_000);
    await deliverDue(db, mailer, later, { roles: resolver(undefined, council.directory) });
    await deliverDue(db, mailer, new Date(later.getTime() + 3600_000), { roles: resolver(undefined, council.directory) });
    expect(sentTo(mailer, 'Probe 4')).toEqual([MEHMET]);
    await runDirectorySync(db, council.directory, later);
    expect((await admin.get('/intern/verwaltung').expect(200)).text).not.toContain('role-group-warning');
  });

  it('a group missing from the directory is named on the start page', async () => {
    const db = ctx.database.db;
    const wrong = `cn=smr-gibtesnicht,ou=groups,${DEMO_BASE_DN}`;
    const misconfigured = createDirectory({ ...ctx.directory.config, roleGroups: { ...ctx.directory.config.roleGroups, hannoverde: wrong } });
    const warnings: string[] = [];
    expect((await runDirectorySync(db, misconfigured, ctx.clock.now, { warn: (_o, msg) => warnings.push(msg) })).problems).toEqual(['hannoverde']);
    expect(warnings).toEqual(['directory sync: role group not found in the directory']);
    const admin = await signIn(ctx.app, 'admin');
    expect((await admin.get('/intern/verwaltung').expect(200)).text).toContain(`Redaktion Hannover.de: Die Gruppe „${wrong}“ gibt es im Verzeichnis nicht.`);
    await runDirectorySync(db, ctx.services.directory, ctx.clock.now);
  });

  it('the sync fills the people cache from the groups, and takes a role away from who left the group', async () => {
    const db = ctx.database.db;
    await runDirectorySync(db, ctx.services.directory, ctx.clock.now);
    const cached = await db('people').where({ uid: 'personalrat' }).first('name', 'email', 'roles');
    expect(cached).toEqual({ name: 'Mehmet Demir', email: MEHMET, roles: ['employee', 'staff_council'] });
    const council = await ownCouncil([person('admin')]);
    await runDirectorySync(db, council.directory, ctx.clock.now);
    expect((await db('people').where({ uid: 'personalrat' }).first('roles')).roles).toEqual(['employee']);
    expect((await db('people').where({ uid: 'admin' }).first('roles')).roles).toEqual(['employee', 'staff_council', 'admin']);
  });

  it('the sync is a scheduled job that runs once across instances', async () => {
    const db = ctx.database.db;
    const logger = { error: () => undefined, debug: () => undefined };
    const warn = { warn: () => undefined };
    const at = new Date('2030-01-01T08:00:00Z');
    const schedulers = ['a', 'b'].map((holder) =>
      createScheduler({ db, logger, clock: () => at, holder, jobs: [directorySyncJob(db, ctx.services.directory, warn, 60 * 60_000)] }),
    );
    expect((await Promise.all(schedulers.map((s) => s.runDue()))).flat()).toEqual(['directory-sync']);
    expect((await db('role_groups').where({ role: 'hannoverde' }).first()).checked_at).toEqual(at);
  });

  it('directory down while the mail is due: it waits, is retried, and goes out once when the directory is back', async () => {
    const db = ctx.database.db;
    const target = new URL(ctx.directory.config.url);
    const proxy = new TcpProxy(target.hostname, Number(target.port));
    await proxy.start();
    try {
      const viaProxy = createDirectory({ ...ctx.directory.config, url: `ldap://127.0.0.1:${proxy.port}`, timeoutMs: 1000 });
      await enqueue(db, councilNotice(5), ctx.clock.now);
      await proxy.stop();
      const mailer = new FakeMailer();
      let t = ctx.clock.now;
      for (const minutes of BACKOFF_MINUTES.slice(0, 3)) {
        expect(await deliverDue(db, mailer, t, { roles: resolver(undefined, viaProxy) })).toMatchObject({ retried: 1 });
        t = new Date(t.getTime() + minutes * 60_000);
      }
      const waiting = await db('outbox').where({ presence_id: 9005 }).first();
      expect(waiting).toMatchObject({ status: 'pending', attempts: 3, recipient_email: null });
      expect(waiting.last_error).toContain('directory cannot be reached');
      expect(sentTo(mailer, 'Probe 5')).toEqual([]);
      // a sync during the outage changes nothing
      const before = await db('people').orderBy('uid').select('*');
      await expect(runDirectorySync(db, viaProxy, t)).rejects.toThrow('The directory cannot be reached');
      expect(await db('people').orderBy('uid').select('*')).toEqual(before);

      await proxy.start();
      await deliverDue(db, mailer, t, { roles: resolver(undefined, viaProxy) });
      await deliverDue(db, mailer, new Date(t.getTime() + 24 * 3600_000), { roles: resolver(undefined, viaProxy) });
      expect(sentTo(mailer, 'Probe 5')).toEqual([MEHMET]);
      expect(await db('outbox').where({ presence_id: 9005 }).pluck('status')).toEqual(['sent', 'sent']);
    } finally {
      await proxy.stop();
    }
  });
});
