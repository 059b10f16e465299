import { createHmac } from 'node:crypto';
import type { Knex } from 'knex';
import { z } from 'zod';
import { recordHistory, diffRecords } from '../audit/history';
import { enqueue } from '../notifications/outbox';
import { isDeliverableAddress } from '../mail-address';
import type { MessageKey } from '../i18n/keys';
import { mayDecideAccountReports, maySeeAccountReports, type Viewer } from '../policy/access';
import { RateLimiter } from '../web/rate-limit';
import { publicFormTokens } from '../web/csrf';
import { berlinIsoDay } from '../web/dates';
import { isCalendarDate } from '../limits';
import * as store from './store';
import type { CaseRow, CaseState, PresenceRef, ReportRow } from './store';

/**
 * Fake accounts (issue 12): citizens report an account, the press office decides, the public
 * check warns. Routes (routes.ts for the staff area, public-routes.ts for the citizens) parse
 * and render; every rule is here, every query in store.ts.
 */

/** The most a message may hold (issue 12: up to 1,000 characters). */
export const MESSAGE_MAX = 1000;
export const EMAIL_MAX = 254;
export const URL_MAX = 2000;
/** The window of the per-address limit. */
const LIMIT_WINDOW_MS = 60 * 60_000;
/** Entries in the digest mail before "and N more". */
const DIGEST_LINES = 30;

/** What the account check (the public register's, wired in app.ts) says about a reported address. */
export type AccountCheckResult =
  | {
      ok: true;
      platform: { key: string; name: string };
      /** The canonical id, or for an address the rules cannot read, the handle in its path. */
      accountId: string;
      url: string;
      /** Presence ids it looks like. */
      lookalikeOf: number[];
    }
  | {
      ok: false;
      reason: 'official' | 'unresolvable' | 'host_not_allowed' | 'not_an_account' | 'invalid';
      /** For 'invalid': the check's own reason (empty, too_long, not_a_url, unsupported_scheme). */
      detail?: string;
    };
export type AccountCheck = (input: string) => Promise<AccountCheckResult>;

export interface FieldError {
  field: string;
  message: MessageKey;
  params?: Record<string, string | number>;
}

export interface ReportForm {
  url: string;
  nachricht: string;
  email: string;
  homepage: string;
}

export type SubmitResult =
  | { ok: true; caseId: number; count: number }
  | { ok: false; status: 400 | 403 | 429; errors: FieldError[]; form: ReportForm };

export class ReportError extends Error {
  constructor(readonly code: 'not_found' | 'forbidden' | 'invalid') {
    super(code);
    this.name = 'ReportError';
  }
}

const text = (v: unknown) => (typeof v === 'string' ? v : '');

/** The report form's fields as sent: strings only (a repeated field counts as empty), line breaks as LF. */
export function readReportForm(body: Record<string, unknown>): ReportForm {
  return {
    url: text(body.url).trim(),
    nachricht: text(body.nachricht).replace(/\r\n?/g, '\n').trim(),
    email: text(body.email).trim(),
    homepage: text(body.homepage),
  };
}

const reportSchema = z.object({
  url: z.string().min(1, 'reports.error.urlEmpty').max(URL_MAX, 'reports.error.urlTooLong'),
  nachricht: z.string().max(MESSAGE_MAX, 'reports.error.messageTooLong'),
  email: z
    .string()
    .max(EMAIL_MAX, 'reports.error.emailInvalid')
    .refine((v) => v === '' || isDeliverableAddress(v), 'reports.error.emailInvalid'),
  homepage: z.string().max(0, 'reports.error.honeypot'),
});

/** The press office's decision on a case. */
export interface Decision {
  state: CaseState;
  /** 'YYYY-MM-DD' or '' (impostor only). */
  reportedToPlatformOn: string;
  /** Slug of the presence an account that is "ours" belongs to ('' for none yet). */
  presence: string;
  comment: string;
}

export const COMMENT_MAX = 2000;

export function readDecision(body: Record<string, unknown>): Decision {
  return {
    state: text(body.stand) as CaseState,
    reportedToPlatformOn: text(body.gemeldet_am).trim(),
    presence: text(body.auftritt).trim(),
    comment: text(body.kommentar).replace(/\r\n?/g, '\n').trim(),
  };
}

export interface CaseView {
  row: CaseRow;
  reports: ReportRow[];
  lookalikes: PresenceRef[];
  presence: PresenceRef | undefined;
  /** Presences of the case's platform, for "actually ours". */
  candidates: PresenceRef[];
  history: Awaited<ReturnType<typeof store.historyOfCase>>;
  mayDecide: boolean;
}

export interface ReportServiceDeps {
  db: Knex;
  clock: () => Date;
  /** SESSION_SECRET: signs the public form's token and hashes addresses in the limit's key. */
  secret: string;
  baseUrl: string;
  maxPerAddress: number;
  check: AccountCheck;
}

export class ReportService {
  private readonly limiter: RateLimiter;
  readonly tokens: ReturnType<typeof publicFormTokens>;

  constructor(private readonly deps: ReportServiceDeps) {
    this.limiter = new RateLimiter(deps.db, LIMIT_WINDOW_MS, deps.clock);
    this.tokens = publicFormTokens(deps.secret, deps.clock, 'account-report');
  }

  /** The limit's key: the address is not stored in clear in rate_limits (the reports table keeps it for the case). */
  private limitKey(address: string): string {
    return `report:${createHmac('sha256', this.deps.secret).update(address).digest('base64url').slice(0, 32)}`;
  }

  // ---------------------------------------------------------------- citizens

  /**
   * A citizen's report: token, honeypot and fields first (nothing is counted or stored for a
   * refused form), then the account check, then the per-address limit, then one transaction
   * that counts the report into the account's case and writes the history.
   */
  async submit(
    body: Record<string, unknown>,
    meta: { address: string | undefined; locale: string },
  ): Promise<SubmitResult> {
    const form = readReportForm(body);
    if (!this.tokens.verify(body._csrf)) {
      return { ok: false, status: 403, errors: [{ field: 'url', message: 'reports.error.token' }], form };
    }
    const errors: FieldError[] = [];
    const parsed = reportSchema.safeParse(form);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0]);
        if (!errors.some((e) => e.field === field))
          errors.push({
            field,
            message: issue.message as MessageKey,
            params: { max: field === 'nachricht' ? MESSAGE_MAX : field === 'url' ? URL_MAX : EMAIL_MAX },
          });
      }
    }
    let account: Extract<AccountCheckResult, { ok: true }> | undefined;
    if (!errors.some((e) => e.field === 'url')) {
      const checked = await this.deps.check(form.url);
      if (checked.ok) account = checked;
      else errors.unshift({ field: 'url', message: `reports.error.url.${checked.reason}` as MessageKey });
    }
    if (errors.length > 0 || !account) return { ok: false, status: 400, errors, form };

    const address = meta.address ?? 'unknown';
    const limit = await this.limiter.consume(this.limitKey(address), this.deps.maxPerAddress);
    if (!limit.allowed) {
      return {
        ok: false,
        status: 429,
        errors: [
          {
            field: 'url',
            message: 'reports.error.limit',
            params: { minutes: Math.max(1, Math.ceil(limit.retryMs / 60_000)) },
          },
        ],
        form,
      };
    }
    const now = this.deps.clock();
    const result = await this.deps.db.transaction(async (trx) => {
      const added = await store.addReport(trx, {
        platform: account.platform.key,
        accountId: account.accountId,
        url: account.url,
        lookalikeOf: account.lookalikeOf,
        message: form.nachricht === '' ? null : form.nachricht,
        email: form.email === '' ? null : form.email,
        clientAddress: meta.address ? meta.address.slice(0, 64) : null,
        locale: meta.locale === 'en' ? 'en' : 'de',
        now,
      });
      // no personal data in the history: it is append-only, the retention could not delete it
      await recordHistory(trx, {
        at: now,
        actorUid: null,
        actorName: null,
        action: 'report_case.reported',
        entityType: 'report_case',
        entityId: added.caseId,
        changes: { report_count: { before: added.count - 1, after: added.count } },
      });
      return added;
    });
    return { ok: true, caseId: result.caseId, count: result.count };
  }

  /** Confirmed fake accounts, newest warning first (/warnungen). */
  warnings(): Promise<CaseRow[]> {
    return store.impostors(this.deps.db);
  }

  // ---------------------------------------------------------------- press office

  async list(viewer: Viewer, state: CaseState | undefined) {
    if (!maySeeAccountReports(viewer)) throw new ReportError('forbidden');
    const [cases, counts] = await Promise.all([store.listCases(this.deps.db, state), store.countByState(this.deps.db)]);
    const lookalikeIds = [...new Set(cases.flatMap((c) => c.lookalike_of))];
    const presences = new Map((await store.presencesByIds(this.deps.db, lookalikeIds)).map((p) => [p.id, p]));
    return {
      counts,
      cases: cases.map((c) => ({
        row: c,
        lookalikes: c.lookalike_of.map((id) => presences.get(id)).filter((p): p is PresenceRef => Boolean(p)),
      })),
    };
  }

  async get(viewer: Viewer, id: number): Promise<CaseView> {
    if (!maySeeAccountReports(viewer)) throw new ReportError('forbidden');
    const row = await store.caseById(this.deps.db, id);
    if (!row) throw new ReportError('not_found');
    const [reports, lookalikes, candidates, history] = await Promise.all([
      store.reportsOfCase(this.deps.db, id),
      store.presencesByIds(this.deps.db, row.lookalike_of),
      store.presencesOnPlatform(this.deps.db, row.platform_key),
      store.historyOfCase(this.deps.db, id),
    ]);
    return {
      row,
      reports,
      lookalikes,
      presence: candidates.find((p) => p.id === row.presence_id),
      candidates,
      history,
      mayDecide: mayDecideAccountReports(viewer),
    };
  }

  /**
   * The press office decides (or corrects a decision). Checked: a known state, a real date not
   * in the future for "reported to the platform on" (impostors only), a presence of the same
   * platform for "ours". The case row is locked, the change and its history entry are one
   * transaction; the verdict moves the register version (trigger of migration 0012), so every
   * instance's public answers change with it.
   */
  async decide(
    viewer: Viewer & { name?: string },
    id: number,
    decision: Decision,
  ): Promise<{ ok: true } | { ok: false; errors: FieldError[] }> {
    if (!maySeeAccountReports(viewer)) throw new ReportError('forbidden');
    const db = this.deps.db;
    const existing = await store.caseById(db, id);
    if (!existing) throw new ReportError('not_found');
    if (!mayDecideAccountReports(viewer)) throw new ReportError('forbidden');

    const now = this.deps.clock();
    const errors: FieldError[] = [];
    if (!(store.CASE_STATES as readonly string[]).includes(decision.state))
      errors.push({ field: 'stand', message: 'reports.error.state' });
    if (decision.reportedToPlatformOn !== '') {
      if (decision.state !== 'impostor')
        errors.push({ field: 'gemeldet_am', message: 'reports.error.dateOnlyImpostor' });
      else if (!isCalendarDate(decision.reportedToPlatformOn))
        errors.push({ field: 'gemeldet_am', message: 'reports.error.date' });
      else if (decision.reportedToPlatformOn > berlinIsoDay(now))
        errors.push({ field: 'gemeldet_am', message: 'reports.error.dateFuture' });
    }
    let presence: PresenceRef | undefined;
    if (decision.presence !== '') {
      if (decision.state !== 'ours') errors.push({ field: 'auftritt', message: 'reports.error.presenceOnlyOurs' });
      else {
        presence = (await store.presencesOnPlatform(db, existing.platform_key)).find(
          (p) => p.slug === decision.presence,
        );
        if (!presence) errors.push({ field: 'auftritt', message: 'reports.error.presence' });
      }
    }
    if (decision.comment.length > COMMENT_MAX)
      errors.push({ field: 'kommentar', message: 'reports.error.commentTooLong', params: { max: COMMENT_MAX } });
    if (errors.length > 0) return { ok: false, errors };

    await db.transaction(async (trx) => {
      const row = await store.caseById(trx, id, true);
      if (!row) throw new ReportError('not_found');
      const before = {
        state: row.state,
        reported_to_platform_on: row.reported_to_platform_on,
        presence: row.presence_id,
      };
      const after = {
        state: decision.state,
        reported_to_platform_on: decision.state === 'impostor' ? decision.reportedToPlatformOn || null : null,
        presence: decision.state === 'ours' ? (presence?.id ?? null) : null,
      };
      const changes = diffRecords(before, after);
      if (Object.keys(changes).length === 0 && decision.comment === '') return;
      await store.updateCase(trx, id, {
        state: after.state,
        reported_to_platform_on: after.reported_to_platform_on,
        presence_id: after.presence,
        // since when the public warning stands: kept while the case stays an impostor
        confirmed_at: after.state === 'impostor' ? (row.state === 'impostor' ? row.confirmed_at : now) : null,
        // the retention of reporters' data runs from the first decision
        closed_at: after.state === 'new' ? null : (row.closed_at ?? now),
        decided_by: viewer.uid,
        updated_at: now,
      });
      await recordHistory(trx, {
        at: now,
        actorUid: viewer.uid,
        actorName: viewer.name ?? viewer.uid,
        action: 'report_case.decided',
        entityType: 'report_case',
        entityId: id,
        presenceId: after.presence ?? row.presence_id ?? null,
        comment: decision.comment || null,
        changes,
      });
    });
    return { ok: true };
  }
}

/** Reporters' e-mail and address, N days after the decision (the housekeeping job calls it). */
export function deleteExpiredReporterData(db: Knex, now: Date, retentionDays: number): Promise<number> {
  return store.deleteExpiredPersonalData(db, now, retentionDays);
}

/**
 * The daily digest to communications: new cases with reports it has not told about, at most
 * one mail per Berlin day across every instance (report_digests' primary key), nothing when
 * there is nothing new. Returns the number of cases in the mail (0: none sent).
 */
export async function sendReportDigest(db: Knex, baseUrl: string, now: Date): Promise<number> {
  return db.transaction(async (trx) => {
    const cases = await store.undigestedNewCases(trx);
    if (cases.length === 0) return 0;
    if (!(await store.claimDigestDay(trx, berlinIsoDay(now), now, cases.length))) return 0;
    const lines = cases.slice(0, DIGEST_LINES).map((c) => `- ${c.platform_name}: ${c.account_url} (${c.report_count})`);
    if (cases.length > DIGEST_LINES) lines.push(`- … +${cases.length - DIGEST_LINES}`);
    await enqueue(
      trx,
      {
        to: { role: 'communications' },
        template: 'report_digest',
        params: { count: String(cases.length), cases: lines.join('\n'), url: `${baseUrl}/intern/meldungen?stand=new` },
        dedupeKey: `report-digest:${berlinIsoDay(now)}`,
      },
      now,
    );
    await store.markDigested(
      trx,
      cases.map((c) => c.id),
      now,
    );
    return cases.length;
  });
}
