import type { SessionUser } from '../../src/directory/user';
import { createRequestService } from '../../src/requests/service';
import { createNotifier } from '../../src/requests/notify';
import * as store from '../../src/requests/store';
import { closePresence } from '../../src/presences/lifecycle';
import { addVersion } from '../../src/guidelines/store';
import type { Portal } from './harness';
import { ReportService } from '../../src/reports/service';
import { addReport } from '../../src/reports/store';
import type { Fixtures } from './pages';

/**
 * Takes the seeded demo data a little further so that every state of every page exists
 * (through the same services the portal uses), and resolves the ids the page list needs:
 * - Kunstschule Hannover: the second editor confirms, Hannover.de approves → published;
 * - Kulturtreff Hainholz: data protection has seen version 1, returns it, the editor
 *   resubmits with a changed privacy link → version 2 (the "changes since" table);
 * - Feuerwehr Hannover: closed by communications → "formerly official";
 * - a second version of the guidelines, so that the editors must confirm again (the
 *   confirmation form and its error state exist).
 */
export async function prepareFixtures(portal: Portal): Promise<Fixtures> {
  const { db } = portal.ctx.database;
  const directory = portal.ctx.services.directory;
  const clock = () => portal.ctx.clock.now;
  const service = createRequestService({
    db,
    directory,
    clock,
    notify: createNotifier({ baseUrl: portal.baseUrl, directory }),
  });
  const person = async (uid: string): Promise<SessionUser> => {
    const p = await directory.findByUid(uid);
    if (!p) throw new Error(`demo directory has no ${uid}`);
    return p;
  };
  const requestId = async (title: string): Promise<number> => {
    const row = await db('requests').where({ title }).first('id');
    if (!row) throw new Error(`demo request "${title}" missing`);
    return row.id as number;
  };
  const presence = async (name: string) => {
    const row = await db('presences').where({ name }).first('id', 'slug', 'url');
    if (!row) throw new Error(`demo presence "${name}" missing`);
    return row as { id: number; slug: string; url: string };
  };

  const [redaktion, redaktion2, datenschutz, hannoverde, kommunikation] = await Promise.all(
    ['redaktion', 'redaktion2', 'datenschutz', 'hannoverde', 'kommunikation'].map(person),
  );

  const publishedId = await requestId('Kunstschule Hannover');
  await service.confirmEditor(redaktion2 as SessionUser, publishedId);
  await service.act(hannoverde as SessionUser, publishedId, { type: 'approve', stepId: 'hannoverde' }, undefined);
  const published = await store.getRequest(db, publishedId);
  if (published?.status !== 'published' || !published.presence_id)
    throw new Error(`Kunstschule not published: ${published?.status}`);

  await addVersion(db, {
    key: 'leitlinien',
    valid_from: '2026-11-01',
    title_de: 'Social-Media-Leitlinien der Landeshauptstadt Hannover',
    title_en: 'Social-media guidelines of the City of Hannover',
    body_de: 'Fassung 2 der Leitlinien.\n\nSie ersetzt Fassung 1.',
    body_en: 'Version 2 of the guidelines.\n\nIt replaces version 1.',
  });

  const changedId = await requestId('Kulturtreff Hainholz');
  const before = await store.getRequest(db, changedId);
  if (!before) throw new Error('Kulturtreff missing');
  await store.markSeen(db, changedId, 'datenschutz', before.version, clock());
  await service.act(
    datenschutz as SessionUser,
    changedId,
    { type: 'return', stepId: 'data_protection', comment: 'Bitte eine eigene Datenschutzerklärung verlinken.' },
    before.version,
  );
  const resubmitted = await service.submit(redaktion as SessionUser, changedId, {
    ...before.data,
    privacyUrl: 'https://www.hannover.de/Datenschutz-Kulturtreff',
  });
  if (!resubmitted.ok) throw new Error(`resubmission refused: ${JSON.stringify(resubmitted.problems)}`);

  const closed = await presence('Feuerwehr Hannover');
  await closePresence(
    db,
    kommunikation as SessionUser,
    closed.id,
    'Der Auftritt wird von der Feuerwehr nicht mehr betreut.',
    clock(),
  );

  const museum = await presence('Museum August Kestner');
  const central = await db('presences')
    .where({ account_id: 'Hannover.de' })
    .orWhere({ slug: 'hannover-de-facebook' })
    .first('id', 'slug');
  const unit = await db('org_units').where({ code: '41' }).first('id');
  const workflow = await db('workflow_definitions').orderBy('id', 'desc').first('id');

  // fake accounts: a new case that looks like Hannover.de (two reports), and a confirmed impostor
  const report = (accountId: string, message: string | null) =>
    db.transaction((trx) =>
      addReport(trx, {
        platform: 'facebook',
        accountId,
        url: `https://www.facebook.com/${accountId}`,
        lookalikeOf: [central.id],
        message,
        email: 'buerger@example.org',
        clientAddress: '192.0.2.1',
        locale: 'de',
        now: clock(),
      }),
    );
  const reportCase = await report('hannover.de.gewinnspiel', 'Verlost angeblich Tickets im Namen der Stadt.');
  await report('hannover.de.gewinnspiel', null);
  const impostor = await report('hannoverde.offiziell', 'Fragt nach Bankdaten.');
  const reports = new ReportService({
    db,
    clock,
    secret: 'e2e-fixtures',
    baseUrl: portal.baseUrl,
    maxPerAddress: 10,
    check: async () => ({ ok: false, reason: 'invalid' }),
  });
  const decided = await reports.decide(
    { uid: 'kommunikation', name: 'Kommunikation', roles: ['communications'], headOf: [] },
    impostor.caseId,
    {
      state: 'impostor',
      reportedToPlatformOn: '',
      presence: '',
      comment: '',
    },
  );
  if (!decided.ok) throw new Error(JSON.stringify(decided.errors));

  return {
    reportCaseId: reportCase.caseId,
    impostorUrl: 'https://www.facebook.com/hannoverde.offiziell',
    draftId: await requestId('Kulturbüro Hannover (Entwurf)'),
    unitHeadId: await requestId('Theater in der List'),
    changedId,
    returnedId: await requestId('Musikschule Hannover'),
    publishedId,
    publishedPresenceId: published.presence_id,
    presenceId: museum.id,
    presenceSlug: museum.slug,
    presenceUrl: museum.url,
    centralSlug: central.slug,
    closedSlug: closed.slug,
    closedUrl: closed.url,
    unitId: unit.id,
    platformKey: 'facebook',
    workflowId: workflow.id,
  };
}
