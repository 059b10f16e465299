import type { Knex } from 'knex';
import type { SessionUser } from '../directory/user';
import { DirectoryUnavailableError, type Directory } from '../directory/directory';
import {
  decide as decideCore,
  newInstance,
  type Action,
  type Actor,
  type Instance,
  type WorkflowEvent,
} from '../workflow/core';
import type { WorkflowDefinition } from '../workflow/definition';
import { buildActor } from '../policy/actors';
import { recordHistory, recordHistories, diffRecords, type HistoryEntry } from '../audit/history';
import { rememberPerson } from '../people/store';
import { unitByCode } from '../registry/org-units';
import { canonicalise } from '../registry/canonical';
import { platformRulesSchema } from '../registry/platforms';
import { LIMITS } from '../limits';
import {
  validateForSubmit,
  validateChange,
  readForm,
  type FormProblem,
  type RequestData,
  IDENTITY_FIELDS,
} from './form';
import * as store from './store';
import { RequestError } from './errors';
import type { Review } from './review';
import { publishPresence, applyChange, presenceAsRequestData } from './publish';
import { confirmedCurrent, recordConfirmation } from '../guidelines/store';
import { enqueue, isDeliverableAddress } from '../notifications/outbox';
import { berlinDay } from '../policy/actors';
import { draftDeleteRefusal, mayConfirmAsEditor, mayRemindEditors, requestEditRefusal } from '../policy/access';
import { requestViewer } from '../policy/viewer';

export type Notify = (
  trx: Knex.Transaction,
  request: store.RequestRow,
  definition: WorkflowDefinition,
  events: WorkflowEvent[],
) => Promise<void>;

export interface RequestServiceDeps {
  db: Knex;
  directory: Directory;
  clock: () => Date;
  notify: Notify;
}

const DEFINITION_FOR_KIND: Record<store.RequestRow['kind'], string> = {
  new: 'dienstanweisung',
  existing: 'dienstanweisung',
  change: 'aenderung',
  editors: 'redaktionswechsel',
};

/** A person named twice is named in the message as the directory knows them, not by their id. */
function nameEditors(problems: FormProblem[], editors: Array<{ uid: string; name: string }>): FormProblem[] {
  return problems.map((p) => {
    const uid = p.params?.uid;
    const person = uid === undefined ? undefined : editors.find((e) => e.uid === uid);
    return person ? { ...p, params: { ...p.params, name: person.name } } : p;
  });
}

export function createRequestService(deps: RequestServiceDeps) {
  const { db, directory, clock, notify } = deps;

  /**
   * Workflow definitions by id. A definition row is never changed (an upload is a new row with
   * a new version, src/admin/workflows/service.ts), so what was read once holds for this
   * database: one statement less per decision.
   */
  const definitions = new Map<number, WorkflowDefinition>();
  async function definitionById(q: Knex | Knex.Transaction, id: number): Promise<WorkflowDefinition> {
    const known = definitions.get(id);
    if (known) return known;
    const definition = await store.getDefinition(q, id);
    if (definitions.size >= 100) definitions.clear();
    definitions.set(id, definition);
    return definition;
  }

  /** Checks that need the database or the directory; the editors are resolved on the way. */
  async function checkAgainstRegister(
    data: RequestData,
    requestId: number | undefined,
    ownPresenceId?: number | null,
  ): Promise<{
    problems: FormProblem[];
    editors: Array<{ uid: string; name: string; email: string | null }>;
    accountId?: string;
  }> {
    const problems: FormProblem[] = [];
    if (data.orgUnit) {
      const unit = await unitByCode(db, data.orgUnit);
      if (!unit || unit.retired_at) problems.push({ field: 'orgUnit', message: 'requests.error.orgUnitUnknown' });
    }
    let accountId: string | undefined;
    if (data.platform) {
      const platform = await db('platforms').where({ key: data.platform }).first();
      if (!platform || !platform.enabled)
        problems.push({ field: 'platform', message: 'requests.error.platformNotEnabled' });
      else if (data.url) {
        const rules = platformRulesSchema.parse(platform.rules);
        const canonical = canonicalise(data.url, rules);
        if (!canonical.ok)
          problems.push({
            field: 'url',
            message: `requests.error.url.${canonical.reason}`,
            params: { platform: platform.name },
          });
        // the register stores the canonical form: it must fit its columns, too
        else if (canonical.id.length > LIMITS.accountId || canonical.url.length > LIMITS.url)
          problems.push({ field: 'url', message: 'requests.error.url.too_long', params: { platform: platform.name } });
        else {
          accountId = canonical.id;
          const registered = await db('presences')
            .where({ platform_key: data.platform })
            .whereRaw('lower(account_id) = ?', [canonical.id])
            .whereNot('id', ownPresenceId ?? -1)
            .first('id', 'name', 'status');
          if (registered)
            problems.push({ field: 'url', message: 'requests.error.urlRegistered', params: { name: registered.name } });
          else {
            const inFlight = await db('requests')
              .whereIn('status', ['in_review', 'returned'])
              .whereNot('id', requestId ?? -1)
              .whereRaw("data->>'platform' = ?", [data.platform])
              .select('id', 'data');
            for (const other of inFlight) {
              const otherData = other.data as RequestData;
              const c = canonicalise(otherData.url ?? '', rules);
              if (c.ok && c.id === canonical.id) {
                problems.push({
                  field: 'url',
                  message: 'requests.error.urlInFlight',
                  params: { id: String(other.id) },
                });
                break;
              }
            }
          }
        }
      }
    }
    const editors: Array<{ uid: string; name: string; email: string | null }> = [];
    for (const [i, uid] of data.editors.entries()) {
      let person;
      try {
        person = await directory.findByUid(uid);
      } catch (err) {
        if (!(err instanceof DirectoryUnavailableError)) throw err;
        // cannot check the editors now: say so; the caller keeps everything as a draft
        problems.push({ field: `editor${i + 1}`, message: 'requests.error.directoryDown' });
        break;
      }
      if (!person) problems.push({ field: `editor${i + 1}`, message: 'requests.error.editorUnknown', params: { uid } });
      else editors.push({ uid: person.uid, name: person.name, email: person.email ?? null });
    }
    return { problems, editors, accountId };
  }

  async function loadForAuthor(trx: Knex.Transaction, user: SessionUser, id: number) {
    const request = await store.getRequest(trx, id, { forUpdate: true });
    if (!request) throw new RequestError('not_found');
    const refusal = requestEditRefusal(user, request);
    if (refusal) throw new RequestError(refusal);
    return request;
  }

  /** Applies a core decision: instance, request status, decisions, history, mail, publication. */
  async function apply(
    trx: Knex.Transaction,
    request: store.RequestRow,
    instanceRow: store.InstanceRow,
    definition: WorkflowDefinition,
    state: Instance,
    events: WorkflowEvent[],
    actor: SessionUser | null,
    now: Date,
    review?: Review,
  ) {
    await store.saveInstance(trx, instanceRow, state, now, definition);
    const finished = state.status === 'published' || state.status === 'rejected' || state.status === 'withdrawn';
    await store.updateRequest(
      trx,
      request.id,
      { status: state.status, ...(finished ? { finished_at: now } : {}) },
      now,
    );
    // history rows go in together (one INSERT), but always before a publication writes its own
    // rows, so that the history keeps the order of what happened
    const history: HistoryEntry[] = [];
    for (const e of events) {
      if (e.type === 'approved' || e.type === 'returned' || e.type === 'rejected') {
        await store.insertDecision(trx, {
          request_id: request.id,
          step_id: e.stepId,
          version: request.version,
          outcome: e.type,
          actor_uid: e.actorUid,
          actor_name: actor?.name ?? e.actorUid,
          on_behalf_of: e.onBehalfOf ?? null,
          comment: e.comment ?? null,
          decided_at: now,
          ...(review && e.actorUid === actor?.uid ? decisionReview(review) : {}),
        });
      }
      if (e.type === 'published') {
        await recordHistories(trx, history.splice(0));
        await snapshotConfirmations(trx, request.id);
        if (request.kind === 'change' || request.kind === 'editors') {
          await applyChange(trx, request, actor, now);
        } else {
          const presenceId = await publishPresence(trx, request, now);
          await store.updateRequest(trx, request.id, { presence_id: presenceId }, now);
        }
      }
      history.push({
        at: now,
        actorUid: 'actorUid' in e ? e.actorUid : null,
        actorName: 'actorUid' in e && actor && e.actorUid === actor.uid ? actor.name : null,
        onBehalfOf: 'onBehalfOf' in e ? (e.onBehalfOf ?? null) : null,
        action: `workflow.${e.type}`,
        entityType: 'request',
        entityId: request.id,
        requestId: request.id,
        presenceId: request.presence_id,
        comment: 'comment' in e ? (e.comment ?? null) : null,
        changes:
          'stepId' in e
            ? {
                step: { before: null, after: e.stepId },
                // the decider's statement of what they checked, and where the author should look
                ...(review && isDecision(e) && 'actorUid' in e && e.actorUid === actor?.uid
                  ? historyReview(review)
                  : {}),
              }
            : null,
      });
    }
    await recordHistories(trx, history);
    await notify(trx, { ...request, status: state.status }, definition, events);
  }

  /** One confirmation of the current texts covers every request of that person. */
  async function editorsConfirmed(
    trx: Knex | Knex.Transaction,
    requestId: number,
    known?: store.EditorRow[],
  ): Promise<boolean> {
    const editors = known ?? (await store.getEditors(trx, requestId));
    const confirmed = await confirmedCurrent(
      trx,
      editors.map((e) => e.uid),
    );
    return editors.length >= 2 && editors.every((e) => confirmed.has(e.uid));
  }

  /** At publication each editor's confirmation is written onto the request, as it stood then. */
  async function snapshotConfirmations(trx: Knex.Transaction, requestId: number) {
    const editors = await store.getEditors(trx, requestId);
    const confirmed = await confirmedCurrent(
      trx,
      editors.map((e) => e.uid),
    );
    for (const e of editors) {
      const at = confirmed.get(e.uid);
      if (at && !e.confirmed_at)
        await trx('request_editors').where({ request_id: requestId, uid: e.uid }).update({ confirmed_at: at });
    }
  }

  return {
    async create(user: SessionUser, data: RequestData, kind: 'new' | 'existing' = 'new'): Promise<number> {
      const now = clock();
      const unit = data.orgUnit ? await unitByCode(db, data.orgUnit) : undefined;
      return db.transaction(async (trx) => {
        await rememberPerson(trx, user, now);
        const id = await store.insertRequest(
          trx,
          { kind, author_uid: user.uid, author_name: user.name, org_unit_id: unit?.id ?? null, title: data.name, data },
          now,
        );
        await recordHistory(trx, {
          at: now,
          actorUid: user.uid,
          actorName: user.name,
          action: 'request.created',
          entityType: 'request',
          entityId: id,
          requestId: id,
        });
        return id;
      });
    },

    async saveDraft(user: SessionUser, id: number, data: RequestData): Promise<void> {
      const now = clock();
      const unit = data.orgUnit ? await unitByCode(db, data.orgUnit) : undefined;
      await db.transaction(async (trx) => {
        const request = await loadForAuthor(trx, user, id);
        const changes = diffRecords(
          request.data as unknown as Record<string, unknown>,
          data as unknown as Record<string, unknown>,
        );
        await store.updateRequest(
          trx,
          id,
          {
            data,
            title: data.name,
            org_unit_id: unit?.id ?? null,
            kind: data.kind === 'existing' ? 'existing' : request.kind === 'existing' ? 'new' : request.kind,
          },
          now,
        );
        if (Object.keys(changes).length > 0) {
          await recordHistory(trx, {
            at: now,
            actorUid: user.uid,
            actorName: user.name,
            action: 'request.draft_saved',
            entityType: 'request',
            entityId: id,
            requestId: id,
            changes,
          });
        }
      });
    },

    /** Validates and submits (or resubmits); returns the problems instead when there are any. */
    async submit(
      user: SessionUser,
      id: number,
      data: RequestData,
    ): Promise<{ ok: true } | { ok: false; problems: FormProblem[] }> {
      const now = clock();
      const existing = await store.getRequest(db, id);
      const isChange = existing?.kind === 'change' || existing?.kind === 'editors';
      const basic = isChange ? validateChange(data) : validateForSubmit(data, now);
      const checked = await checkAgainstRegister(data, id, existing?.presence_id);
      const problems = nameEditors(
        [...basic, ...checked.problems.filter((p) => !basic.some((b) => b.field === p.field))],
        checked.editors,
      );
      if (problems.length > 0) {
        await this.saveDraft(user, id, data); // nothing typed is lost
        return { ok: false, problems };
      }
      const unit = await unitByCode(db, data.orgUnit);
      await db.transaction(async (trx) => {
        const request = await loadForAuthor(trx, user, id);
        const previous = request.version > 0 ? await store.getVersion(trx, id, request.version) : undefined;
        const version = request.version + 1;
        const changedFields = previous
          ? Object.keys(
              diffRecords(previous as unknown as Record<string, unknown>, data as unknown as Record<string, unknown>),
            )
          : undefined;
        await store.insertVersion(trx, id, version, data, user.uid, now);
        await store.setEditors(trx, id, checked.editors);
        await store.updateRequest(
          trx,
          id,
          {
            data,
            title: data.name,
            version,
            org_unit_id: unit?.id ?? null,
            kind:
              request.kind === 'new' || request.kind === 'existing' ? (data.kind as 'new' | 'existing') : request.kind,
            submitted_at: now,
          },
          now,
        );
        let instanceRow = await store.getInstance(trx, id, { forUpdate: true });
        let definition: WorkflowDefinition;
        if (!instanceRow) {
          const newest = await store.newestDefinition(trx, DEFINITION_FOR_KIND[request.kind]);
          definition = newest.definition;
          const fresh = newInstance(definition, {
            authorUid: user.uid,
            editorUids: checked.editors.map((e) => e.uid),
            unit: data.orgUnit,
          });
          await store.insertInstance(trx, id, newest.id, fresh, now, definition);
          instanceRow = (await store.getInstance(trx, id, { forUpdate: true })) as store.InstanceRow;
        } else {
          definition = await definitionById(trx, instanceRow.definition_id);
        }
        // editors and unit may have changed since the last submission
        const state: Instance = {
          ...instanceRow.state,
          editorUids: checked.editors.map((e) => e.uid),
          unit: data.orgUnit,
        };
        // a change request is compared with the presence as it stands in the register
        const fromRegister =
          isChange && request.presence_id ? await presenceAsRequestData(trx, request.presence_id) : undefined;
        const registerChanges = fromRegister
          ? Object.keys(
              diffRecords(
                fromRegister as unknown as Record<string, unknown>,
                data as unknown as Record<string, unknown>,
              ),
            )
          : undefined;
        const action: Action =
          request.status === 'draft'
            ? { type: 'submit', ...(registerChanges ? { changedFields: registerChanges } : {}) }
            : {
                type: 'resubmit',
                ...((registerChanges ?? changedFields) ? { changedFields: registerChanges ?? changedFields } : {}),
              };
        const result = decideCore({
          definition,
          instance: state,
          action,
          actor: await buildActor(trx, user, now),
          now,
          context: { editorsConfirmed: await editorsConfirmed(trx, id) },
        });
        if (!result.ok) throw new RequestError('refused', result.refusal);
        const refreshed = (await store.getRequest(trx, id)) as store.RequestRow;
        await apply(trx, refreshed, instanceRow, definition, result.instance, result.events, user, now);
        if (previous) {
          await recordHistory(trx, {
            at: now,
            actorUid: user.uid,
            actorName: user.name,
            action: 'request.changed',
            entityType: 'request',
            entityId: id,
            requestId: id,
            changes: diffRecords(
              previous as unknown as Record<string, unknown>,
              data as unknown as Record<string, unknown>,
            ),
          });
        }
      });
      return { ok: true };
    },

    /**
     * Would `act` accept this action now? The same checks (version, rules, who may decide),
     * nothing written: a confirmation page is shown only to someone who may then act.
     */
    async mayAct(user: SessionUser, id: number, action: Action, seenVersion: number | undefined): Promise<void> {
      const now = clock();
      const request = await store.getRequest(db, id);
      if (!request) throw new RequestError('not_found');
      const instanceRow = await store.getInstance(db, id);
      if (!instanceRow) throw new RequestError('not_editable');
      if (seenVersion !== undefined && seenVersion !== request.version) throw new RequestError('stale_version');
      const definition = await definitionById(db, instanceRow.definition_id);
      const result = decideCore({
        definition,
        instance: instanceRow.state,
        action,
        actor: await buildActor(db, user, now),
        now,
        context: { editorsConfirmed: await editorsConfirmed(db, id) },
      });
      if (!result.ok) throw new RequestError('refused', result.refusal);
    },

    /** A workflow definition by id (read once: a definition row never changes). */
    definition: (id: number) => definitionById(db, id),

    /**
     * A decision from the decision form, with the route's own checks (may this person see the
     * request, does the form fit the step) made on what the decision's transaction reads under
     * its row locks — the request, its editors, the person as actor, the workflow — instead of
     * reading the same rows once more before it (issue 14: a decision's round trips).
     * `plan` returns what to decide, or undefined when the request cannot be decided this way
     * (missing, not visible, no workflow, a form to show again): then nothing is written and
     * the caller goes the long way (its own checks, then `act`), which answers each of those
     * cases as before. Refusals (stale version, not allowed now) are thrown as by `act`.
     */
    async actChecked(
      user: SessionUser,
      id: number,
      plan: (seen: {
        request: store.RequestRow;
        editors: store.EditorRow[];
        actor: Actor;
        definition: WorkflowDefinition;
      }) => { action: Action; seenVersion: number | undefined; review?: Review } | undefined,
    ): Promise<{ status: string } | undefined> {
      const now = clock();
      return db.transaction(async (trx) => {
        // lock order everywhere: request row, then instance row (no deadlock with submit)
        const request = await store.getRequest(trx, id, { forUpdate: true });
        if (!request) return undefined;
        const instanceRow = await store.getInstance(trx, id, { forUpdate: true });
        if (!instanceRow) return undefined;
        const definition = await definitionById(trx, instanceRow.definition_id);
        const actor = await buildActor(trx, user, now);
        const editors = await store.getEditors(trx, id);
        const planned = plan({ request, editors, actor, definition });
        if (!planned) return undefined;
        const { action, seenVersion, review } = planned;
        if (seenVersion !== undefined && seenVersion !== request.version) throw new RequestError('stale_version');
        const result = decideCore({
          definition,
          instance: instanceRow.state,
          action,
          actor,
          now,
          context: { editorsConfirmed: await editorsConfirmed(trx, id, editors) },
        });
        if (!result.ok) throw new RequestError('refused', result.refusal);
        await rememberPerson(trx, user, now);
        await apply(trx, request, instanceRow, definition, result.instance, result.events, user, now, review);
        return { status: result.instance.status };
      });
    },

    /** approve / return / reject a step, or withdraw (author). Exactly one concurrent decision counts. */
    async act(
      user: SessionUser,
      id: number,
      action: Action,
      seenVersion: number | undefined,
      review?: Review,
    ): Promise<{ status: string }> {
      const now = clock();
      return db.transaction(async (trx) => {
        // lock order everywhere: request row, then instance row (no deadlock with submit)
        const request = await store.getRequest(trx, id, { forUpdate: true });
        if (!request) throw new RequestError('not_found');
        const instanceRow = await store.getInstance(trx, id, { forUpdate: true });
        if (!instanceRow) throw new RequestError('not_editable');
        if (seenVersion !== undefined && seenVersion !== request.version) throw new RequestError('stale_version');
        const definition = await definitionById(trx, instanceRow.definition_id);
        const result = decideCore({
          definition,
          instance: instanceRow.state,
          action,
          actor: await buildActor(trx, user, now),
          now,
          context: { editorsConfirmed: await editorsConfirmed(trx, id) },
        });
        if (!result.ok) throw new RequestError('refused', result.refusal);
        await rememberPerson(trx, user, now);
        await apply(trx, request, instanceRow, definition, result.instance, result.events, user, now, review);
        return { status: result.instance.status };
      });
    },

    /**
     * An editor confirms the current guidelines and service agreement. The confirmation covers
     * all of their requests until a text changes: every request in review that waited for it
     * may move on. A repeat changes nothing but the request's history.
     */
    async confirmEditor(user: SessionUser, id: number): Promise<void> {
      const now = clock();
      await db.transaction(async (trx) => {
        const request = await store.getRequest(trx, id);
        if (!request) throw new RequestError('not_found');
        if (
          !mayConfirmAsEditor(
            user,
            (await store.getEditors(trx, id)).map((e) => e.uid),
          )
        )
          throw new RequestError('forbidden');
        const versions = await recordConfirmation(trx, user.uid, now);
        await rememberPerson(trx, user, now);
        const open = await trx('request_editors as e')
          .join('requests as r', 'r.id', 'e.request_id')
          .where('e.uid', user.uid)
          .whereIn('r.status', ['draft', 'in_review', 'returned'])
          .orderBy('r.id')
          .pluck('r.id');
        await trx('request_editors')
          .where({ uid: user.uid })
          .whereIn('request_id', open)
          .whereNull('confirmed_at')
          .update({ confirmed_at: now });
        await recordHistory(trx, {
          at: now,
          actorUid: user.uid,
          actorName: user.name,
          action: 'request.editor_confirmed',
          entityType: 'request',
          entityId: id,
          requestId: id,
          changes: {
            leitlinien: { before: null, after: versions.leitlinien },
            dienstvereinbarung: { before: null, after: versions.dienstvereinbarung },
          },
        });
        // lock order as everywhere: request row, then instance row; requests by ascending id
        for (const requestId of open as number[]) {
          const locked = await store.getRequest(trx, requestId, { forUpdate: true });
          if (!locked || locked.status !== 'in_review') continue;
          const instanceRow = await store.getInstance(trx, requestId, { forUpdate: true });
          if (!instanceRow) continue;
          const definition = await definitionById(trx, instanceRow.definition_id);
          const result = decideCore({
            definition,
            instance: instanceRow.state,
            action: { type: 'sync' },
            actor: { uid: 'system', roles: [], headOfUnits: [], actingFor: [] },
            now,
            context: { editorsConfirmed: await editorsConfirmed(trx, requestId) },
          });
          if (result.ok && result.events.length > 0)
            await apply(trx, locked, instanceRow, definition, result.instance, result.events, null, now);
        }
      });
    },

    /** Whether every editor of the request has confirmed the current texts (for the request page). */
    async editorConfirmations(uids: string[]) {
      return confirmedCurrent(db, uids);
    },

    /**
     * The author or the unit head reminds the editors who have not confirmed yet. Each
     * editor gets at most one reminder a day for a request (the outbox key per request, person and day).
     */
    async remindEditors(user: SessionUser, id: number, link: string): Promise<{ sent: string[]; already: string[] }> {
      const now = clock();
      return db.transaction(async (trx) => {
        const request = await store.getRequest(trx, id, { forUpdate: true });
        if (!request) throw new RequestError('not_found');
        const { viewer } = await requestViewer(trx, user, now);
        if (!mayRemindEditors(viewer, { author_uid: request.author_uid, unitCode: request.data.orgUnit }))
          throw new RequestError('forbidden');
        if (request.status !== 'in_review') throw new RequestError('not_editable');
        const editors = await store.getEditors(trx, id);
        const confirmed = await confirmedCurrent(
          trx,
          editors.map((e) => e.uid),
        );
        const day = berlinDay(now);
        const sent: string[] = [];
        const already: string[] = [];
        for (const e of editors) {
          if (confirmed.has(e.uid) || !isDeliverableAddress(e.email)) continue;
          const dedupeKey = `editor-reminder:${id}:${e.uid}:${day}`;
          if (await trx('outbox').where({ dedupe_key: dedupeKey }).first('id')) {
            already.push(e.name);
            continue;
          }
          await enqueue(
            trx,
            {
              template: 'editor_confirmation_needed',
              to: { uid: e.uid, email: e.email, name: e.name },
              requestId: id,
              dedupeKey,
              params: { requestTitle: request.title || `Antrag Nr. ${id}`, authorName: request.author_name, url: link },
            },
            now,
          );
          sent.push(e.name);
        }
        if (sent.length === 0 && already.length === 0) throw new RequestError('not_editable');
        if (sent.length > 0) {
          await recordHistory(trx, {
            at: now,
            actorUid: user.uid,
            actorName: user.name,
            action: 'request.editors_reminded',
            entityType: 'request',
            entityId: id,
            requestId: id,
            comment: sent.join(', '),
          });
        }
        return { sent, already };
      });
    },

    /** The author deletes a draft that was never submitted; nothing of it is left but its history. */
    async deleteDraft(user: SessionUser, id: number): Promise<void> {
      const now = clock();
      await db.transaction(async (trx) => {
        const request = await store.getRequest(trx, id, { forUpdate: true });
        if (!request) throw new RequestError('not_found');
        const refusal = draftDeleteRefusal(user, request);
        if (refusal) throw new RequestError(refusal);
        if (await store.getInstance(trx, id)) throw new RequestError('not_editable');
        await trx('requests').where({ id }).delete();
        await recordHistory(trx, {
          at: now,
          actorUid: user.uid,
          actorName: user.name,
          action: 'request.draft_deleted',
          entityType: 'request',
          entityId: id,
          requestId: id,
          comment: request.title || null,
        });
      });
    },

    /**
     * A change after publication: name, address, description, concept or editors. Only
     * editors changed → the unit head alone decides; otherwise communications (and
     * Hannover.de editorial when name or address change). Until approved, the public sees
     * the old data.
     */
    async requestChange(
      user: SessionUser,
      presenceId: number,
      data: RequestData,
    ): Promise<{ ok: true; id: number } | { ok: false; problems: FormProblem[] }> {
      const now = clock();
      const current = await presenceAsRequestData(db, presenceId);
      if (!current) throw new RequestError('not_found');
      const open = await db('requests')
        .where({ presence_id: presenceId })
        .whereIn('status', ['draft', 'in_review', 'returned'])
        .first('id');
      if (open)
        return {
          ok: false,
          problems: [{ field: 'name', message: 'requests.error.changeOpen', params: { id: String(open.id) } }],
        };
      const changed = Object.keys(
        diffRecords(current as unknown as Record<string, unknown>, data as unknown as Record<string, unknown>),
      );
      if (changed.length === 0)
        return { ok: false, problems: [{ field: 'name', message: 'requests.error.nothingChanged' }] };
      const problems = [...validateChange(data)];
      const checked = await checkAgainstRegister(data, undefined, presenceId);
      for (const p of checked.problems) if (!problems.some((q) => q.field === p.field)) problems.push(p);
      if (problems.length > 0) return { ok: false, problems: nameEditors(problems, checked.editors) };
      const kind = changed.every((f) => f === 'editors') ? 'editors' : 'change';
      const unit = await unitByCode(db, data.orgUnit);
      const id = await db.transaction(async (trx) => {
        await rememberPerson(trx, user, now);
        const requestId = await store.insertRequest(
          trx,
          {
            kind,
            presence_id: presenceId,
            author_uid: user.uid,
            author_name: user.name,
            org_unit_id: unit?.id ?? null,
            title: data.name,
            data,
          },
          now,
        );
        await recordHistory(trx, {
          at: now,
          actorUid: user.uid,
          actorName: user.name,
          action: 'request.created',
          entityType: 'request',
          entityId: requestId,
          requestId,
          presenceId,
        });
        return requestId;
      });
      const result = await this.submit(user, id, data);
      if (!result.ok) return result;
      return { ok: true, id };
    },

    readForm,
    identityFields: IDENTITY_FIELDS,
  };
}

export type RequestService = ReturnType<typeof createRequestService>;

const isDecision = (e: WorkflowEvent): boolean =>
  e.type === 'approved' || e.type === 'returned' || e.type === 'rejected';

/** decisions.checklist and decisions.sections of a decision with a review (JSON columns). */
function decisionReview(review: Review) {
  return {
    checklist: JSON.stringify({ checked: review.checked, unchecked: review.unchecked }),
    sections: JSON.stringify(review.sections),
  };
}

/** The review as history changes: ticked items, unticked items, sections pointed to. */
function historyReview(review: Review) {
  return {
    ...(review.checked.length + review.unchecked.length > 0
      ? {
          checklist: { before: null, after: review.checked },
          checklistOpen: { before: null, after: review.unchecked },
        }
      : {}),
    ...(review.sections.length > 0 ? { sections: { before: null, after: review.sections } } : {}),
  };
}
