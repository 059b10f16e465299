import type { SessionUser } from '../../src/directory/user';
import { importTemplate } from '../../src/admin/import/columns';
import {
  PEOPLE,
  ROLES,
  presenceFixture,
  requestData,
  submittedRequest,
  uniqueAccount,
  type RoleName,
  type SecurityContext,
} from './context';
import {
  isCentral,
  mayDecideAccountReports,
  maySeeAccountReports,
  maySeePresence,
  maySeeRequest,
  type PresenceSubject,
  type RequestSubject,
  type Viewer,
} from '../../src/policy/access';

/**
 * The authorisation matrix: every route of the app (method + path pattern, exactly as the
 * router registered it) with a concrete URL on seeded data and the expected status for each
 * of the eleven roles. authorization.test.ts fails when a route exists that has no row here,
 * and when a row names a route that no longer exists. csrf.test.ts and injection.test.ts
 * reuse the rows (their URLs and form bodies).
 *
 * Status meanings: 200 page, 301/302/303 redirects (302 for "anonymous" on staff routes
 * is the redirect to the sign-in page, checked separately), 400 form refused with errors
 * (the person may use the route, the input was wrong — used where a valid body would
 * change data for every role), 403 not allowed, 404 no such thing.
 */

/** Ids and keys of seeded data every row may use. */
export interface Fixtures {
  /** "Theater in der List": unit 41, author redaktion, in review at the unit head's step. */
  reqReview: number;
  /** "Kulturbüro Hannover (Entwurf)": redaktion's draft. */
  reqDraft: number;
  /** "Musikschule Hannover": returned to redaktion by data protection. */
  reqReturned: number;
  /** "Museum August Kestner" (unit 41.2 below 41), editors redaktion and redaktion2. */
  presence41: number;
  presence41Slug: string;
  /** A presence of unit 40 (Schule) edited by redaktion40: that makes them "editor of another unit". */
  presence40: number;
  unit40: number;
  outboxId: number;
  definitionId: number;
  /** An open re-assessment of a platform of its own, with a task for a presence like presence41 (unit 41.2, editors redaktion and redaktion2). */
  reassessment: number;
  reassessmentPresence: number;
}

/** Per-cell fixtures: created anew before each role's request, so that one role's action never changes the next role's starting point. */
export type Fresh = Record<string, number | string>;

export interface Row {
  route: string;
  variant?: string;
  url: (f: Fixtures, fresh: Fresh) => string;
  body?: (f: Fixtures, fresh: Fresh) => Record<string, string>;
  fresh?: (ctx: SecurityContext, f: Fixtures) => Promise<Fresh>;
  /**
   * For the CSRF test: a body that, sent with a valid token by the permitted person, does
   * change stored data (true: the matrix body itself does). Proves that the refused attempts
   * were refused for the token, not because they would have been no-ops anyway.
   */
  effect?: true | ((f: Fixtures, fresh: Fresh) => Record<string, string>);
  /** Needs an agent of its own (sign-out ends the session). */
  ownAgent?: boolean;
  expect: Record<RoleName, number>;
}

const SIGNED_IN = ROLES.filter((r): r is Exclude<RoleName, 'anonymous'> => r !== 'anonymous');

/**
 * Who each signed-in role is, as the access policy (src/policy/access.ts) sees them: the
 * person's directory roles and the units (of 40, 41, 41.2) they head. Facts, not expectations:
 * authorization.test.ts checks them against what the app builds for these people.
 */
export const MATRIX_VIEWERS: Record<Exclude<RoleName, 'anonymous'>, Viewer> = {
  employee: { uid: 'mitarbeiter', roles: ['employee'], headOf: [] },
  editorOtherUnit: { uid: 'redaktion40', roles: ['employee'], headOf: [] },
  editor: { uid: 'redaktion', roles: ['employee'], headOf: [] },
  unitHeadOtherUnit: { uid: 'leitung40', roles: ['employee', 'unit_head'], headOf: ['40'] },
  unitHead: { uid: 'leitung', roles: ['employee', 'unit_head'], headOf: ['41', '41.2'] },
  communications: { uid: 'kommunikation', roles: ['employee', 'communications'], headOf: [] },
  dataProtection: { uid: 'datenschutz', roles: ['employee', 'data_protection'], headOf: [] },
  hannoverde: { uid: 'hannoverde', roles: ['employee', 'hannoverde'], headOf: [] },
  staffCouncil: { uid: 'personalrat', roles: ['employee', 'staff_council'], headOf: [] },
  admin: { uid: 'admin', roles: ['employee', 'admin'], headOf: [] },
};
/** The unit codes MATRIX_VIEWERS' headOf speaks about. */
export const MATRIX_UNITS = ['40', '41', '41.2'];

/** The central offices, by the policy's definition. */
const CENTRAL: RoleName[] = SIGNED_IN.filter((r) => isCentral(MATRIX_VIEWERS[r]));
/** The request and presence of unit 41 that rows about "unit 41" use (fixtures reqReview, presence41). */
const REQUEST_41: RequestSubject = {
  author_uid: 'redaktion',
  status: 'in_review',
  unitCode: '41',
  editorUids: ['redaktion', 'redaktion2'],
};
const PRESENCE_41: PresenceSubject = { status: 'active', unitCode: '41.2', editorUids: ['redaktion', 'redaktion2'] };

/** Who reads and who decides reports of fake accounts, by the policy's definition. */
const SEE_REPORTS: RoleName[] = SIGNED_IN.filter((r) => maySeeAccountReports(MATRIX_VIEWERS[r]));
const DECIDE_REPORTS: RoleName[] = SIGNED_IN.filter((r) => mayDecideAccountReports(MATRIX_VIEWERS[r]));
let reportCases = 0;
/** A new, undecided case of a reported account (one per cell, so that a decision never changes the next one's). */
async function reportCase(ctx: SecurityContext): Promise<Fresh> {
  reportCases += 1;
  const now = new Date();
  const [row] = await ctx.database
    .db('report_cases')
    .insert({
      platform_key: 'facebook',
      account_id: `matrix.fake.${reportCases}.${Date.now()}`,
      account_url: `https://www.facebook.com/matrix.fake.${reportCases}`,
      report_count: 1,
      first_reported_at: now,
      last_reported_at: now,
      updated_at: now,
    })
    .returning('id');
  return { id: (row as { id: number }).id };
}

/** Same status for everybody (public routes). */
const all = (status: number): Record<RoleName, number> =>
  Object.fromEntries(ROLES.map((r) => [r, status])) as Record<RoleName, number>;
/** Staff routes: anonymous are sent to sign in (302); `allowed` get their status, everyone else `denied`. */
const staff = (allowed: Partial<Record<RoleName, number>>, denied = 403): Record<RoleName, number> =>
  Object.fromEntries(ROLES.map((r) => [r, r === 'anonymous' ? 302 : (allowed[r] ?? denied)])) as Record<
    RoleName,
    number
  >;
const everyoneSignedIn = (status: number) => staff(Object.fromEntries(SIGNED_IN.map((r) => [r, status])));
const roles = (list: RoleName[], status: number) =>
  Object.fromEntries(list.map((r) => [r, status])) as Partial<Record<RoleName, number>>;
const adminOnly = (status: number) => staff({ admin: status });
/** The process figures and the council report (issue 13): communications, data protection, administrators. */
const figuresOnly = (status: number) => staff(roles(['communications', 'dataProtection', 'admin'], status));
/**
 * Requests and presences of unit 41: who may not see them gets the answer of a missing id
 * (404, see visibility.test.ts); who may see but not act gets 403.
 */
export const CANNOT_SEE_41: RoleName[] = SIGNED_IN.filter((r) => !maySeeRequest(MATRIX_VIEWERS[r], REQUEST_41));
const CANNOT_SEE_PRESENCE_41 = SIGNED_IN.filter((r) => !maySeePresence(MATRIX_VIEWERS[r], PRESENCE_41));
// one set serves both kinds of rows: the policy must give the same answer for both
if (CANNOT_SEE_41.join() !== CANNOT_SEE_PRESENCE_41.join())
  throw new Error(
    `policy: request and presence of unit 41 seen by different roles (${CANNOT_SEE_41.join()} / ${CANNOT_SEE_PRESENCE_41.join()})`,
  );
const seen41 = (allowed: Partial<Record<RoleName, number>>) => staff({ ...roles(CANNOT_SEE_41, 404), ...allowed });
/** A draft is its author's alone: everybody else gets 404. */
const draftOf = (allowed: Partial<Record<RoleName, number>>) => staff(allowed, 404);

const leitung = PEOPLE.leitung as SessionUser;
const kommunikation = PEOPLE.kommunikation as SessionUser;
const datenschutz = PEOPLE.datenschutz as SessionUser;

async function atStep(
  ctx: SecurityContext,
  step: 'unit_head' | 'communications' | 'data_protection' | 'hannoverde',
): Promise<Fresh> {
  const id = await submittedRequest(ctx, `Matrix ${step}`);
  if (step === 'unit_head') return { id };
  await ctx.service.act(leitung, id, { type: 'approve', stepId: 'unit_head' }, undefined);
  if (step === 'communications') return { id };
  if (step === 'data_protection') return { id };
  await ctx.service.act(kommunikation, id, { type: 'approve', stepId: 'communications' }, undefined);
  await ctx.service.act(datenschutz, id, { type: 'approve', stepId: 'data_protection' }, undefined);
  await ctx.service.confirmEditor(PEOPLE.redaktion as SessionUser, id);
  await ctx.service.confirmEditor(PEOPLE.redaktion2 as SessionUser, id);
  return { id };
}

let unitCounter = 0;
async function freshUnit(ctx: SecurityContext, opts: { retired?: boolean; head?: string } = {}): Promise<Fresh> {
  const db = ctx.database.db;
  const code = `MX${process.pid % 1000}${unitCounter++}`;
  const [row] = await db('org_units')
    .insert({
      code,
      name: `Matrix-Einheit ${code}`,
      kind: 'stelle',
      sort_order: 99,
      created_at: ctx.clock.now,
      updated_at: ctx.clock.now,
      retired_at: opts.retired ? ctx.clock.now : null,
    })
    .returning('id');
  const id = (row as { id: number }).id;
  if (opts.head) await db('org_unit_heads').insert({ org_unit_id: id, uid: opts.head, name: opts.head, kind: 'head' });
  return { id, code };
}

let reassessmentCounter = 0;
/** The matrix's platforms for re-assessments, made by loadFixtures (so that no payload test sees a platform appear). */
const REASSESS_PLATFORMS = ['mxfixture', 'mxanswer', 'mxopen'] as const;

async function ensurePlatform(ctx: SecurityContext, key: string) {
  const db = ctx.database.db;
  // the rules of Facebook: the administration's platform pages read every platform's rules
  const { rules } = await db('platforms').where({ key: 'facebook' }).first('rules');
  await db('platforms')
    .insert({ key, name: `Matrix-Plattform ${key}`, enabled: true, rules: JSON.stringify(rules) })
    .onConflict('key')
    .ignore();
}

/** An active presence on `platform` that the matrix sees like presence41: unit 41.2, editors redaktion and redaktion2. */
async function presenceOn(ctx: SecurityContext, platform: string): Promise<number> {
  const db = ctx.database.db;
  const unit = await db('org_units').where({ code: '41.2' }).first('id');
  const now = ctx.clock.now;
  const account = `${platform}-${process.pid % 1000}-${reassessmentCounter++}-${Date.now() % 100000}`;
  const [presence] = await db('presences')
    .insert({
      slug: account,
      platform_key: platform,
      account_id: account,
      url: `https://example.org/${account}`,
      name: `Matrix-Neubewertung ${account}`,
      org_unit_id: unit.id,
      status: 'active',
      published_at: now,
      created_at: now,
      updated_at: now,
    })
    .returning('id');
  const presenceId = (presence as { id: number }).id;
  await db('presence_editors').insert([
    { presence_id: presenceId, uid: 'redaktion', name: 'Robin Schäfer', position: 0 },
    { presence_id: presenceId, uid: 'redaktion2', name: 'Kim Nowak', position: 1 },
  ]);
  return presenceId;
}

/**
 * An open re-assessment with a task for a presence seen like presence41. One may run per
 * platform: the one before on the same platform is set to "reported" (its tasks stay answerable).
 */
async function freshReassessment(ctx: SecurityContext, platform = 'mxanswer'): Promise<Fresh> {
  const db = ctx.database.db;
  await ensurePlatform(ctx, platform);
  await db('reassessments').where({ platform_key: platform, status: 'open' }).update({ status: 'reported' });
  const presenceId = await presenceOn(ctx, platform);
  const [row] = await db('reassessments')
    .insert({
      platform_key: platform,
      reason: 'Matrix',
      deadline: '2099-01-01',
      opened_by_uid: 'datenschutz',
      opened_by_name: 'Fatma Yılmaz',
      opened_at: ctx.clock.now,
    })
    .returning('id');
  const id = (row as { id: number }).id;
  await db('reassessment_tasks').insert({ reassessment_id: id, presence_id: presenceId });
  return { id, presence: presenceId };
}

/** The platform the open form names, with no re-assessment running and one active presence. */
async function freshPlatform(ctx: SecurityContext): Promise<Fresh> {
  const db = ctx.database.db;
  await ensurePlatform(ctx, 'mxopen');
  await db('reassessments').where({ platform_key: 'mxopen', status: 'open' }).update({ status: 'reported' });
  if (!(await db('presences').where({ platform_key: 'mxopen', status: 'active' }).first('id')))
    await presenceOn(ctx, 'mxopen');
  // a deadline a month ahead of the matrix's clock (at most a year is allowed)
  const deadline = new Date(ctx.clock.now.getTime() + 30 * 86_400_000).toISOString().slice(0, 10);
  return { platform: 'mxopen', deadline };
}

const r = (route: string, rest: Omit<Row, 'route'>): Row => ({ route, ...rest });
const A = '/intern/verwaltung';
const FAKE_TOKEN = 'AbCdEfGhIjKlMnOpQrStUvWxYz012345';

export const TABLE: Row[] = [
  // ---------------------------------------------------------------- public: the same for everybody
  r('GET /healthz', { url: () => '/healthz', expect: all(200) }),
  r('GET /readyz', { url: () => '/readyz', expect: all(200) }),
  r('GET /', { url: () => '/', expect: all(200) }),
  r('GET /angebote', { url: () => '/angebote', expect: all(301) }),
  r('GET /angebote/:slug', { url: (f) => `/angebote/${f.presence41Slug}`, expect: all(200) }),
  r('GET /pruefen', {
    url: () => '/pruefen?url=https%3A%2F%2Fwww.facebook.com%2Fmuseumaugustkestner',
    expect: all(200),
  }),
  r('GET /pruefen.json', {
    url: () => '/pruefen.json?url=https%3A%2F%2Fwww.facebook.com%2Fmuseumaugustkestner',
    expect: all(200),
  }),
  r('GET /angebote.json', { url: () => '/angebote.json', expect: all(200) }),
  r('GET /angebote.csv', { url: () => '/angebote.csv', expect: all(200) }),
  r('GET /angebote.atom', { url: () => '/angebote.atom', expect: all(200) }),
  r('GET /einbetten', { url: () => '/einbetten', expect: all(200) }),
  r('GET /api/openapi.json', { url: () => '/api/openapi.json', expect: all(200) }),
  r('GET /dcat.ttl', { url: () => '/dcat.ttl', expect: all(200) }),
  r('GET /dcat.jsonld', { url: () => '/dcat.jsonld', expect: all(200) }),
  r('GET /impressum', { url: () => '/impressum', expect: all(200) }),
  r('GET /datenschutz', { url: () => '/datenschutz', expect: all(200) }),
  // fake accounts (issue 12): the report form is public and cookie-less; its token is no
  // session's, so a post with a session's CSRF token is refused for everybody
  r('GET /melden', {
    url: () => '/melden?url=https%3A%2F%2Fwww.facebook.com%2Fhannover.de.official',
    expect: all(200),
  }),
  r('POST /melden', {
    url: () => '/melden',
    body: () => ({
      url: 'https://www.facebook.com/hannover.de.official',
      nachricht: 'Matrix',
      email: '',
      homepage: '',
    }),
    expect: all(403),
  }),
  r('GET /warnungen', { url: () => '/warnungen', expect: all(200) }),
  r('GET /warnungen.json', { url: () => '/warnungen.json', expect: all(200) }),
  r('GET /barrierefreiheit', { url: () => '/barrierefreiheit', expect: all(200) }),

  // ---------------------------------------------------------------- sign-in and sign-out
  r('GET /anmelden', { url: () => '/anmelden', expect: { ...all(302), anonymous: 200 } }),
  // an empty form: refused for everybody (a valid one would sign the agent in as someone else)
  r('POST /anmelden', { url: () => '/anmelden', body: () => ({ username: '', password: '' }), expect: all(400) }),
  r('POST /abmelden', { url: () => '/abmelden', body: () => ({}), ownAgent: true, expect: all(303) }),

  // ---------------------------------------------------------------- staff area: everybody signed in
  r('GET /intern', { url: () => '/intern', expect: everyoneSignedIn(200) }),
  r('GET /intern/antraege', { url: () => '/intern/antraege', expect: everyoneSignedIn(200) }),
  // the filtered lists as CSV: each person gets the rows they may see (the policy's SQL filter)
  r('GET /intern/antraege.csv', { url: () => '/intern/antraege.csv?stand=in_review', expect: everyoneSignedIn(200) }),
  r('GET /intern/aufgaben.csv', { url: () => '/intern/aufgaben.csv?sortierung=frist', expect: everyoneSignedIn(200) }),
  // a bad filter value: the list page with the error named
  r('GET /intern/antraege', {
    variant: 'bad filter',
    url: () => '/intern/antraege?sortierung=zufall',
    expect: everyoneSignedIn(400),
  }),
  r('GET /intern/antraege/neu', { url: () => '/intern/antraege/neu', expect: everyoneSignedIn(200) }),
  r('POST /intern/antraege/neu', {
    url: () => '/intern/antraege/neu',
    body: () => ({ aktion: 'entwurf', orgUnit: '41', platform: 'facebook', name: 'Matrix-Entwurf' }),
    effect: true,
    expect: everyoneSignedIn(303),
  }),
  r('GET /intern/vertretung', { url: () => '/intern/vertretung', expect: everyoneSignedIn(200) }),
  r('POST /intern/vertretung', {
    url: () => '/intern/vertretung',
    // far in the future: it never takes effect on the other rows
    body: () => ({ vertretung: 'redaktion2', von: '2099-01-01', bis: '2099-01-02' }),
    effect: true,
    expect: everyoneSignedIn(303),
  }),
  r('GET /intern/angebote', { url: () => '/intern/angebote', expect: everyoneSignedIn(200) }),

  // ---------------------------------------------------------------- requests
  r('GET /intern/antraege/:id', {
    variant: 'in review, unit 41',
    url: (f) => `/intern/antraege/${f.reqReview}`,
    // staff council: read access to requests; a unit head sees their unit's requests only
    expect: seen41({ editor: 200, unitHead: 200, ...roles(CENTRAL, 200) }),
  }),
  r('GET /intern/antraege/:id', {
    variant: 'draft: its author’s alone',
    url: (f) => `/intern/antraege/${f.reqDraft}`,
    expect: draftOf({ editor: 200 }),
  }),
  r('GET /intern/antraege/:id/bearbeiten', {
    url: (f) => `/intern/antraege/${f.reqReturned}/bearbeiten`,
    expect: seen41({ editor: 200 }),
  }),
  r('POST /intern/antraege/:id/bearbeiten', {
    variant: 'save the draft',
    url: (f) => `/intern/antraege/${f.reqDraft}/bearbeiten`,
    body: () => ({ aktion: 'entwurf', orgUnit: '41', platform: 'facebook', name: 'Kulturbüro Hannover (Entwurf)' }),
    effect: () => ({ aktion: 'entwurf', orgUnit: '41', platform: 'facebook', name: 'Kulturbüro (CSRF-Probe)' }),
    expect: draftOf({ editor: 303 }),
  }),
  r('POST /intern/antraege/:id/bearbeiten', {
    variant: 'directory search inside somebody else’s request',
    url: (f) => `/intern/antraege/${f.reqReturned}/bearbeiten`,
    body: () => ({ aktion: 'suchen', editorSuche: 'Lange', name: 'x' }),
    expect: seen41({ editor: 200 }),
  }),
  r('POST /intern/antraege/:id/entscheidung', {
    variant: 'step 1 unit head',
    fresh: (ctx) => atStep(ctx, 'unit_head'),
    url: (_f, x) => `/intern/antraege/${x.id}/entscheidung`,
    body: () => ({ schritt: 'unit_head', entscheidung: 'approve', kommentar: '' }),
    effect: true,
    expect: seen41({ unitHead: 303 }),
  }),
  r('POST /intern/antraege/:id/entscheidung', {
    variant: 'step 2a communications',
    fresh: (ctx) => atStep(ctx, 'communications'),
    url: (_f, x) => `/intern/antraege/${x.id}/entscheidung`,
    body: () => ({ schritt: 'communications', entscheidung: 'approve', kommentar: '' }),
    effect: true,
    expect: seen41({ communications: 303 }),
  }),
  r('POST /intern/antraege/:id/entscheidung', {
    variant: 'step 2b data protection',
    fresh: (ctx) => atStep(ctx, 'data_protection'),
    url: (_f, x) => `/intern/antraege/${x.id}/entscheidung`,
    body: () => ({ schritt: 'data_protection', entscheidung: 'return', kommentar: 'Bitte ergänzen' }),
    effect: true,
    expect: seen41({ dataProtection: 303 }),
  }),
  r('POST /intern/antraege/:id/entscheidung', {
    variant: 'step 3 Hannover.de editorial (publishes)',
    fresh: (ctx) => atStep(ctx, 'hannoverde'),
    url: (_f, x) => `/intern/antraege/${x.id}/entscheidung`,
    body: () => ({ schritt: 'hannoverde', entscheidung: 'approve', kommentar: '' }),
    effect: true,
    expect: seen41({ hannoverde: 303 }),
  }),
  r('POST /intern/antraege/:id/entscheidung', {
    variant: 'reject, confirmation page (nothing rejected yet)',
    fresh: (ctx) => atStep(ctx, 'unit_head'),
    url: (_f, x) => `/intern/antraege/${x.id}/entscheidung`,
    body: () => ({ schritt: 'unit_head', entscheidung: 'reject', kommentar: 'Matrix' }),
    expect: seen41({ unitHead: 200 }),
  }),
  r('POST /intern/antraege/:id/entscheidung', {
    variant: 'reject, confirmed',
    fresh: (ctx) => atStep(ctx, 'unit_head'),
    url: (_f, x) => `/intern/antraege/${x.id}/entscheidung`,
    body: () => ({ schritt: 'unit_head', entscheidung: 'reject', kommentar: 'Matrix', bestaetigt: '1' }),
    effect: true,
    expect: seen41({ unitHead: 303 }),
  }),
  r('POST /intern/antraege/:id/zurueckziehen', {
    fresh: (ctx) => atStep(ctx, 'unit_head'),
    url: (_f, x) => `/intern/antraege/${x.id}/zurueckziehen`,
    body: () => ({ grund: 'Matrix' }),
    effect: true,
    expect: seen41({ editor: 303 }),
  }),
  r('POST /intern/antraege/:id/bestaetigen', {
    fresh: (ctx) => atStep(ctx, 'unit_head'),
    url: (_f, x) => `/intern/antraege/${x.id}/bestaetigen`,
    body: () => ({ bestaetigung: 'ja' }),
    effect: true,
    expect: seen41({ editor: 303 }),
  }),

  r('POST /intern/antraege/:id/erinnern', {
    // the last step waits for an editor who never confirms (mitarbeiter): author and unit head may remind
    fresh: async (ctx) => {
      const data = requestData('Matrix Erinnerung', uniqueAccount(), '41', ['redaktion', 'mitarbeiter']);
      const id = await ctx.service.create(PEOPLE.redaktion as SessionUser, data);
      const result = await ctx.service.submit(PEOPLE.redaktion as SessionUser, id, data);
      if (!result.ok) throw new Error(JSON.stringify(result.problems));
      await ctx.service.act(leitung, id, { type: 'approve', stepId: 'unit_head' }, undefined);
      await ctx.service.act(kommunikation, id, { type: 'approve', stepId: 'communications' }, undefined);
      await ctx.service.act(datenschutz, id, { type: 'approve', stepId: 'data_protection' }, undefined);
      return { id };
    },
    url: (_f, x) => `/intern/antraege/${x.id}/erinnern`,
    body: () => ({}),
    effect: true,
    // the employee of the matrix is the named editor who has not confirmed: sees it, may not remind
    expect: seen41({ editor: 303, unitHead: 303, employee: 403 }),
  }),
  r('GET /intern/antraege/:id/loeschen', {
    fresh: async (ctx) => ({
      id: await ctx.service.create(
        PEOPLE.redaktion as SessionUser,
        requestData('Matrix-Entwurf zum Löschen', uniqueAccount()),
      ),
    }),
    url: (_f, x) => `/intern/antraege/${x.id}/loeschen`,
    expect: draftOf({ editor: 200 }),
  }),
  r('POST /intern/antraege/:id/loeschen', {
    fresh: async (ctx) => ({
      id: await ctx.service.create(
        PEOPLE.redaktion as SessionUser,
        requestData('Matrix-Entwurf zum Löschen', uniqueAccount()),
      ),
    }),
    url: (_f, x) => `/intern/antraege/${x.id}/loeschen`,
    body: () => ({}),
    effect: true,
    expect: draftOf({ editor: 303 }),
  }),
  r('GET /intern/leitlinien', { url: () => '/intern/leitlinien', expect: everyoneSignedIn(200) }),
  r('GET /intern/dienstvereinbarung', { url: () => '/intern/dienstvereinbarung', expect: everyoneSignedIn(200) }),

  // ---------------------------------------------------------------- deputies
  // the timeout warning's "stay signed in" (public/app.js): renews the idle timeout, changes nothing else
  r('POST /intern/sitzung', { url: () => '/intern/sitzung', body: () => ({}), expect: everyoneSignedIn(204) }),
  r('POST /intern/vertretung/:id/beenden', {
    fresh: async (ctx) => {
      const [row] = await ctx.database
        .db('substitutions')
        .insert({
          principal_uid: 'redaktion',
          principal_name: 'Robin Schäfer',
          deputy_uid: 'redaktion2',
          deputy_name: 'Kim Nowak',
          starts_on: '2099-02-01',
          ends_on: '2099-02-02',
          created_by: 'redaktion',
          created_at: ctx.clock.now,
        })
        .returning('id');
      return { id: (row as { id: number }).id };
    },
    url: (_f, x) => `/intern/vertretung/${x.id}/beenden`,
    body: () => ({}),
    effect: true,
    expect: staff({ editor: 303, admin: 303 }),
  }),

  // ---------------------------------------------------------------- presences after publication
  r('GET /intern/angebote/:id', {
    url: (f) => `/intern/angebote/${f.presence41}`,
    expect: seen41({ editor: 200, unitHead: 200, ...roles(CENTRAL, 200) }),
  }),
  r('POST /intern/angebote/:id/bestaetigen', {
    url: (f) => `/intern/angebote/${f.presence41}/bestaetigen`,
    body: () => ({}),
    effect: true,
    expect: seen41({ editor: 303, unitHead: 303 }),
  }),
  r('POST /intern/angebote/:id/schliessen', {
    fresh: async (ctx) => ({ id: await presenceFixture(ctx, '41.2', ['redaktion', 'redaktion2'], 'Matrix-Schließen') }),
    url: (_f, x) => `/intern/angebote/${x.id}/schliessen`,
    body: () => ({ grund: 'Matrix', bestaetigt: '1' }),
    // PRODUCT.md: "editors or communications close a presence"
    effect: true,
    expect: seen41({ editor: 303, communications: 303 }),
  }),
  r('POST /intern/angebote/:id/schliessen', {
    variant: 'confirmation page (nothing closed yet)',
    fresh: async (ctx) => ({
      id: await presenceFixture(ctx, '41.2', ['redaktion', 'redaktion2'], 'Matrix-Schließen-Frage'),
    }),
    url: (_f, x) => `/intern/angebote/${x.id}/schliessen`,
    body: () => ({ grund: 'Matrix' }),
    expect: seen41({ editor: 200, communications: 200 }),
  }),
  r('GET /intern/angebote/:id/aenderung', {
    url: (f) => `/intern/angebote/${f.presence41}/aenderung`,
    expect: seen41({ editor: 200, unitHead: 200 }),
  }),
  r('POST /intern/angebote/:id/aenderung', {
    url: (f) => `/intern/angebote/${f.presence41}/aenderung`,
    body: () => ({ aktion: 'suchen', editorSuche: 'Nowak' }),
    effect: () => ({
      orgUnit: '41.2',
      name: 'Museum August Kestner (neu)',
      url: 'https://www.facebook.com/museumaugustkestner',
      description: 'Angewandte Kunst und Design.',
      hannoverDeUrl: 'https://www.hannover.de/Kultur-Freizeit/Museen-Ausstellungen',
      editor1: 'redaktion',
      editor2: 'redaktion2',
    }),
    expect: seen41({ editor: 200, unitHead: 200 }),
  }),

  // ---------------------------------------------------------------- platform re-assessments
  // the central offices follow them; communications and data protection open them; the task
  // of a presence is its editors' and unit heads' (closing stays with its editors)
  r('GET /intern/neubewertungen', { url: () => '/intern/neubewertungen', expect: staff(roles(CENTRAL, 200)) }),
  r('POST /intern/neubewertungen', {
    fresh: (ctx) => freshPlatform(ctx),
    url: () => '/intern/neubewertungen',
    body: (_f, x) => ({
      plattform: String(x.platform),
      grund: 'Matrix-Urteil',
      frist: String(x.deadline),
      bestaetigt: '1',
    }),
    effect: true,
    expect: staff({ communications: 303, dataProtection: 303 }),
  }),
  r('POST /intern/neubewertungen', {
    variant: 'confirmation page (nothing opened yet)',
    fresh: (ctx) => freshPlatform(ctx),
    url: () => '/intern/neubewertungen',
    body: (_f, x) => ({
      plattform: String(x.platform),
      grund: 'Matrix-Urteil',
      frist: String(x.deadline),
      sperren: 'ja',
    }),
    expect: staff({ communications: 200, dataProtection: 200 }),
  }),
  r('GET /intern/neubewertungen/:id', {
    url: (f) => `/intern/neubewertungen/${f.reassessment}`,
    expect: staff(roles(CENTRAL, 200)),
  }),
  r('GET /intern/neubewertungen/:id/angebote/:presenceId', {
    url: (f) => `/intern/neubewertungen/${f.reassessment}/angebote/${f.reassessmentPresence}`,
    expect: seen41({ editor: 200, unitHead: 200 }),
  }),
  r('POST /intern/neubewertungen/:id/angebote/:presenceId', {
    fresh: (ctx) => freshReassessment(ctx),
    url: (_f, x) => `/intern/neubewertungen/${x.id}/angebote/${x.presence}`,
    body: () => ({ bedarf: 'ja', datenschutz: 'ja', kommentar: 'Matrix' }),
    effect: true,
    expect: seen41({ editor: 303, unitHead: 303 }),
  }),
  r('POST /intern/neubewertungen/:id/angebote/:presenceId/schliessen', {
    fresh: (ctx) => freshReassessment(ctx),
    url: (_f, x) => `/intern/neubewertungen/${x.id}/angebote/${x.presence}/schliessen`,
    body: () => ({ grund: 'Matrix', bestaetigt: '1' }),
    effect: true,
    expect: seen41({ editor: 303 }),
  }),
  r('POST /intern/neubewertungen/:id/angebote/:presenceId/schliessen', {
    variant: 'confirmation page (nothing closed yet)',
    fresh: (ctx) => freshReassessment(ctx),
    url: (_f, x) => `/intern/neubewertungen/${x.id}/angebote/${x.presence}/schliessen`,
    body: () => ({ grund: 'Matrix' }),
    expect: seen41({ editor: 200 }),
  }),

  // ---------------------------------------------------------------- outbox (administrators)
  r('GET /intern/auswertung', { url: () => '/intern/auswertung', expect: figuresOnly(200) }),
  r('GET /intern/auswertung', {
    variant: 'bad period',
    url: () => '/intern/auswertung?von=2026-06-01&bis=2026-01-01',
    expect: figuresOnly(400),
  }),
  r('GET /intern/auswertung/bericht', { url: () => '/intern/auswertung/bericht', expect: figuresOnly(200) }),
  r('GET /intern/auswertung/:figure.csv', {
    url: () => '/intern/auswertung/rueckgaben.csv',
    expect: figuresOnly(200),
  }),
  r('GET /intern/postausgang', { url: () => '/intern/postausgang', expect: adminOnly(200) }),
  // reports of fake accounts: communications decide, administrators read (src/policy/access.ts)
  r('GET /intern/meldungen', { url: () => '/intern/meldungen', expect: staff(roles(SEE_REPORTS, 200)) }),
  r('GET /intern/meldungen/:id', {
    fresh: reportCase,
    url: (_f, x) => `/intern/meldungen/${x.id}`,
    expect: staff(roles(SEE_REPORTS, 200)),
  }),
  r('POST /intern/meldungen/:id', {
    fresh: reportCase,
    url: (_f, x) => `/intern/meldungen/${x.id}`,
    body: () => ({ stand: 'unrelated', gemeldet_am: '', auftritt: '', kommentar: 'Matrix' }),
    effect: true,
    expect: staff(roles(DECIDE_REPORTS, 303)),
  }),
  r('POST /intern/postausgang/:id/erneut', {
    url: (f) => `/intern/postausgang/${f.outboxId}/erneut`,
    body: () => ({}),
    expect: adminOnly(303),
  }),

  // ---------------------------------------------------------------- administration
  r('GET /intern/verwaltung', { url: () => A, expect: adminOnly(200) }),
  r('GET /intern/verwaltung/organisationseinheiten', {
    url: () => `${A}/organisationseinheiten`,
    expect: adminOnly(200),
  }),
  r('GET /intern/verwaltung/organisationseinheiten/neu', {
    url: () => `${A}/organisationseinheiten/neu`,
    expect: adminOnly(200),
  }),
  r('POST /intern/verwaltung/organisationseinheiten/neu', {
    url: () => `${A}/organisationseinheiten/neu`,
    body: () => ({ code: '', name: '' }),
    effect: () => ({
      code: 'CSRF1',
      name: 'CSRF-Probe',
      art: 'stelle',
      oberhalb: '',
      kurzname: '',
      hannoverDe: '',
      reihenfolge: '0',
    }),
    expect: adminOnly(400),
  }),
  r('GET /intern/verwaltung/organisationseinheiten/import', {
    url: () => `${A}/organisationseinheiten/import`,
    expect: adminOnly(200),
  }),
  r('POST /intern/verwaltung/organisationseinheiten/import', {
    url: () => `${A}/organisationseinheiten/import`,
    body: () => ({ csv: '' }),
    effect: () => ({ csv: 'code;name;kind;parent_code;hannover_de_url\nCSRF2;CSRF-Import;stelle;;\n' }),
    expect: adminOnly(400),
  }),
  r('POST /intern/verwaltung/organisationseinheiten/import/ausfuehren', {
    url: () => `${A}/organisationseinheiten/import/ausfuehren`,
    body: () => ({ token: FAKE_TOKEN }),
    expect: adminOnly(404),
  }),
  r('GET /intern/verwaltung/organisationseinheiten/import/:token', {
    url: () => `${A}/organisationseinheiten/import/${FAKE_TOKEN}`,
    expect: adminOnly(404),
  }),
  r('GET /intern/verwaltung/organisationseinheiten/:id', {
    url: (f) => `${A}/organisationseinheiten/${f.unit40}`,
    expect: adminOnly(200),
  }),
  r('POST /intern/verwaltung/organisationseinheiten/:id', {
    url: (f) => `${A}/organisationseinheiten/${f.unit40}`,
    body: () => ({ code: '40', name: '' }),
    effect: () => ({
      code: '40',
      name: 'Fachbereich Schule (CSRF-Probe)',
      art: 'fachbereich',
      oberhalb: 'IV',
      kurzname: '',
      hannoverDe: '',
      reihenfolge: '0',
    }),
    expect: adminOnly(400),
  }),
  r('POST /intern/verwaltung/organisationseinheiten/:id/aufloesen', {
    fresh: (ctx) => freshUnit(ctx),
    url: (_f, x) => `${A}/organisationseinheiten/${x.id}/aufloesen`,
    body: () => ({ grund: 'Matrix' }),
    effect: true,
    expect: adminOnly(303),
  }),
  r('POST /intern/verwaltung/organisationseinheiten/:id/reaktivieren', {
    fresh: (ctx) => freshUnit(ctx, { retired: true }),
    url: (_f, x) => `${A}/organisationseinheiten/${x.id}/reaktivieren`,
    body: () => ({}),
    effect: true,
    expect: adminOnly(303),
  }),
  r('POST /intern/verwaltung/organisationseinheiten/:id/leitung', {
    url: (f) => `${A}/organisationseinheiten/${f.unit40}/leitung`,
    body: () => ({ leitung: '', funktion: 'head' }),
    effect: () => ({ leitung: 'redaktion40', funktion: 'deputy' }),
    expect: adminOnly(400),
  }),
  r('POST /intern/verwaltung/organisationseinheiten/:id/leitung/entfernen', {
    fresh: (ctx) => freshUnit(ctx, { head: 'niemand' }),
    url: (_f, x) => `${A}/organisationseinheiten/${x.id}/leitung/entfernen`,
    body: () => ({ uid: 'niemand' }),
    effect: true,
    expect: adminOnly(303),
  }),
  r('GET /intern/verwaltung/plattformen', { url: () => `${A}/plattformen`, expect: adminOnly(200) }),
  r('POST /intern/verwaltung/plattformen/:key/freigabe', {
    url: () => `${A}/plattformen/instagram/freigabe`,
    body: () => ({ freigegeben: 'ja' }),
    effect: true,
    expect: adminOnly(303),
  }),
  r('POST /intern/verwaltung/plattformen/:key/freigabe', {
    variant: 'disable, confirmation page',
    url: () => `${A}/plattformen/facebook/freigabe`,
    body: () => ({ freigegeben: 'nein' }),
    expect: adminOnly(200),
  }),
  r('GET /intern/verwaltung/plattformen/:key', { url: () => `${A}/plattformen/facebook`, expect: adminOnly(200) }),
  r('POST /intern/verwaltung/plattformen/:key', {
    url: () => `${A}/plattformen/facebook`,
    body: () => ({ aktion: 'vorschau', hosts: 'facebook.com\nwww.facebook.com', regeln: '', beispiel: '' }),
    expect: adminOnly(400),
  }),
  r('GET /intern/verwaltung/ablaeufe', { url: () => `${A}/ablaeufe`, expect: adminOnly(200) }),
  r('GET /intern/verwaltung/ablaeufe/neu', { url: () => `${A}/ablaeufe/neu`, expect: adminOnly(200) }),
  r('POST /intern/verwaltung/ablaeufe/neu', {
    url: () => `${A}/ablaeufe/neu`,
    body: () => ({ definition: '' }),
    expect: adminOnly(400),
  }),
  r('GET /intern/verwaltung/ablaeufe/:id', { url: (f) => `${A}/ablaeufe/${f.definitionId}`, expect: adminOnly(200) }),
  r('GET /intern/verwaltung/rollen', { url: () => `${A}/rollen`, expect: adminOnly(200) }),
  r('GET /intern/verwaltung/verlauf', { url: () => `${A}/verlauf`, expect: adminOnly(200) }),
  r('GET /intern/verwaltung/verlauf.csv', { url: () => `${A}/verlauf.csv`, expect: adminOnly(200) }),
  r('GET /intern/verwaltung/register', { url: () => `${A}/register`, expect: adminOnly(200) }),
  r('GET /intern/verwaltung/register.csv', { url: () => `${A}/register.csv`, expect: adminOnly(200) }),
  r('GET /intern/verwaltung/register/:id/nachweis', {
    url: (f) => `${A}/register/${f.presence41}/nachweis`,
    expect: adminOnly(200),
  }),
  r('GET /intern/verwaltung/import', { url: () => `${A}/import`, expect: adminOnly(200) }),
  r('GET /intern/verwaltung/import/vorlage.csv', { url: () => `${A}/import/vorlage.csv`, expect: adminOnly(200) }),
  r('POST /intern/verwaltung/import/pruefen', {
    url: () => `${A}/import/pruefen`,
    body: () => ({ csv: '' }),
    effect: () => ({ csv: importTemplate() }),
    expect: adminOnly(400),
  }),
  r('POST /intern/verwaltung/import/ausfuehren', {
    url: () => `${A}/import/ausfuehren`,
    body: () => ({ token: FAKE_TOKEN }),
    expect: adminOnly(404),
  }),
  r('GET /intern/verwaltung/import/ergebnis/:token', {
    url: () => `${A}/import/ergebnis/${FAKE_TOKEN}`,
    expect: adminOnly(404),
  }),
];

/** Seeds the matrix's own fixtures on top of seedDemo and resolves every id a row uses. */
export async function loadFixtures(ctx: SecurityContext): Promise<Fixtures> {
  const db = ctx.database.db;
  const byTitle = async (title: string) => {
    const row = await db('requests').where({ title }).first('id');
    if (!row) throw new Error(`seeded request "${title}" missing`);
    return row.id as number;
  };
  const museum = await db('presences').where({ slug: 'museumaugustkestner-facebook' }).first('id', 'slug');
  if (!(await db('presence_editors').where({ presence_id: museum.id }).first())) {
    await db('presence_editors').insert([
      { presence_id: museum.id, uid: 'redaktion', name: 'Robin Schäfer', position: 1 },
      { presence_id: museum.id, uid: 'redaktion2', name: 'Kim Nowak', position: 2 },
    ]);
  }
  const unit40 = (await db('org_units').where({ code: '40' }).first('id')).id as number;
  await db('org_unit_heads')
    .insert({ org_unit_id: unit40, uid: 'leitung40', name: 'Dr. Petra Scholz', kind: 'head' })
    .onConflict(['org_unit_id', 'uid'])
    .ignore();
  const existing40 = await db('presence_editors').where({ uid: 'redaktion40' }).first('presence_id');
  const presence40 =
    existing40?.presence_id ?? (await presenceFixture(ctx, '40', ['redaktion40'], 'Schulen in Hannover'));
  const outbox = await db('outbox').orderBy('id').first('id');
  if (!outbox) throw new Error('seedDemo queued no mail');
  const definition = await db('workflow_definitions')
    .where({ key: 'dienstanweisung' })
    .orderBy('version', 'desc')
    .first('id');
  for (const key of REASSESS_PLATFORMS) await ensurePlatform(ctx, key);
  const existingReassessment = await db('reassessments').where({ platform_key: 'mxfixture' }).first('id');
  const reassessment = existingReassessment
    ? {
        id: existingReassessment.id as number,
        presence: (await db('reassessment_tasks').where({ reassessment_id: existingReassessment.id }).first())
          .presence_id as number,
      }
    : await freshReassessment(ctx, 'mxfixture');
  return {
    reassessment: Number(reassessment.id),
    reassessmentPresence: Number(reassessment.presence),
    reqReview: await byTitle('Theater in der List'),
    reqDraft: await byTitle('Kulturbüro Hannover (Entwurf)'),
    reqReturned: await byTitle('Musikschule Hannover'),
    presence41: museum.id,
    presence41Slug: museum.slug,
    presence40,
    unit40,
    outboxId: outbox.id,
    definitionId: definition.id,
  };
}

/** "GET /intern/antraege/:id" of a row. */
export const routeKey = (row: Row) => row.route;
export const methodOf = (row: Row) => row.route.split(' ')[0] as 'GET' | 'POST';
