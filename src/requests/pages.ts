import type { Knex } from 'knex';
import type { SessionUser } from '../directory/user';
import { decidableSteps, stepsAwaitingEditors, type Actor, type Instance } from '../workflow/core';
import type { WorkflowDefinition, WorkflowStep } from '../workflow/definition';
import { headsForUnit, listUnits, unitById, unitByCode, unitTree, type OrgUnit } from '../registry/org-units';
import { historyOfRequest, diffRecords, type HistoryRow } from '../audit/history';
import { currentTexts } from '../guidelines/store';
import { maySeeRequest, isNeverSubmittedDraft, type Viewer } from '../policy/access';
import { requestViewer, viewerOfActor } from '../policy/viewer';
import * as store from './store';
import { storedSections } from './review';
import type { RequestService } from './service';

/** An open step and who decides it, for the "what happens next" panel. */
export interface NextDecider {
  stepId: string;
  stepName: { de: string; en: string };
  /** unit head: the unit ("41 Fachbereich Kultur") and the heads' names; else the deciding role. */
  unit?: string;
  names?: string[];
  role?: string;
}

export interface AwaitingEditors {
  stepId: string;
  stepName: { de: string; en: string };
  names: string[];
  since: Date | undefined;
}

/** A request as the signed-in person may see it, with who they act as on it. */
export interface VisibleRequest {
  request: store.RequestRow;
  editors: store.EditorRow[];
  actor: Actor;
  viewer: Viewer;
}

export interface DecisionRow {
  id: number;
  request_id: number;
  step_id: string;
  version: number;
  outcome: string;
  actor_uid: string;
  actor_name: string;
  on_behalf_of: string | null;
  comment: string | null;
  decided_at: Date;
  /** JSON: { checked, unchecked } checklist item ids (#15) */
  checklist: unknown;
  /** JSON: the request sections a return or rejection points to (#15) */
  sections: unknown;
}

/** Whether the person (as workflow actor: a deputy sees what their principal may see) may see the request. */
export function maySeeAsActor(actor: Actor, request: store.RequestRow, editors: store.EditorRow[]): boolean {
  return maySeeRequest(viewerOfActor(actor), {
    author_uid: request.author_uid,
    status: request.status,
    unitCode: request.data.orgUnit,
    editorUids: editors.map((e) => e.uid),
  });
}

const latestDecision = (instance: Instance): Date | undefined => {
  const times = Object.values(instance.steps).flatMap((s) => (s.decidedAt ? [new Date(s.decidedAt).getTime()] : []));
  return times.length ? new Date(Math.max(...times)) : undefined;
};

/**
 * What the request pages read: the form's choices, the request someone may see (the policy
 * decides), the request page with its history, changes and next step. Queries only; every
 * change goes through the request service.
 */
export function createRequestPages(deps: { db: Knex; clock: () => Date; service: RequestService }) {
  const { db, clock, service } = deps;

  /** Names of the people a page mentions by id (decisions, history, steps), as last seen in the directory. */
  async function namesOf(uids: Iterable<string>): Promise<Map<string, string>> {
    const wanted = [...new Set(uids)];
    if (wanted.length === 0) return new Map();
    const rows = await db('people').whereIn('uid', wanted).select<Array<{ uid: string; name: string }>>('uid', 'name');
    return new Map(rows.map((r) => [r.uid, r.name]));
  }

  /**
   * What the request page says about the next step: who decides the open steps, which step
   * waits for the editors' confirmation (of whom, since when), and the texts they confirm.
   */
  async function nextStep(
    request: store.RequestRow,
    editors: store.EditorRow[],
    definition: WorkflowDefinition | undefined,
    instance: Instance | undefined,
  ) {
    const confirmed = await service.editorConfirmations(editors.map((e) => e.uid));
    const texts = await currentTexts(db);
    const deciders: NextDecider[] = [];
    const awaiting: AwaitingEditors[] = [];
    if (definition && instance && instance.status === 'in_review') {
      for (const step of definition.steps) {
        if (instance.steps[step.id]?.state !== 'open') continue;
        if (step.decider.kind === 'unit_head') {
          const unit = await unitByCode(db, instance.unit);
          const heads = await headsForUnit(db, instance.unit);
          deciders.push({
            stepId: step.id,
            stepName: step.name,
            unit: unit ? `${unit.code} ${unit.name}` : instance.unit,
            names: (heads.some((h) => h.kind === 'head') ? heads.filter((h) => h.kind === 'head') : heads).map(
              (h) => h.name,
            ),
          });
        } else {
          deciders.push({ stepId: step.id, stepName: step.name, role: step.decider.role });
        }
      }
      const editorsConfirmed = editors.length >= 2 && editors.every((e) => confirmed.has(e.uid));
      for (const stepId of stepsAwaitingEditors(definition, instance, { editorsConfirmed })) {
        const step = definition.steps.find((s) => s.id === stepId);
        const asked = await db('history')
          .where({ request_id: request.id, action: 'workflow.editor_confirmation_needed' })
          .orderBy('id', 'desc')
          .first('at');
        awaiting.push({
          stepId,
          stepName: step?.name ?? { de: stepId, en: stepId },
          names: editors.filter((e) => !confirmed.has(e.uid)).map((e) => e.name),
          since: asked?.at ? new Date(asked.at) : latestDecision(instance),
        });
      }
    }
    return {
      deciders,
      awaiting,
      texts,
      editorConfirmedAt: Object.fromEntries([...confirmed].map(([uid, at]) => [uid, at])) as Record<string, Date>,
      mayDelete: isNeverSubmittedDraft(request),
    };
  }

  return {
    /** The request form's choices: the units (without the portal's own) and the enabled platforms. */
    async formChoices() {
      const units = unitTree(await listUnits(db)).filter((u) => u.unit.code !== 'HDE');
      const platforms = await db('platforms')
        .where({ enabled: true })
        .orderBy('sort_order')
        .select<Array<{ key: string; name: string }>>('key', 'name');
      return { units, platforms };
    },

    /**
     * The request if this person may see it (a deputy sees what their principal may see);
     * undefined for one they may not see and for one that does not exist alike.
     */
    async visible(me: SessionUser, id: number): Promise<VisibleRequest | undefined> {
      const request = await store.getRequest(db, id);
      if (!request) return undefined;
      const editors = await store.getEditors(db, id);
      const { viewer, actor } = await requestViewer(db, me, clock());
      return maySeeAsActor(actor, request, editors) ? { request, editors, actor, viewer } : undefined;
    },

    /** The comment of the latest return (shown above the form the author edits). */
    async lastReturnComment(id: number): Promise<string | null> {
      const row = await db('decisions')
        .where({ request_id: id, outcome: 'returned' })
        .orderBy('id', 'desc')
        .first<{ comment: string | null } | undefined>('comment');
      return row?.comment ?? null;
    },

    /** The sections the latest return points to (#15; older returns point to none). */
    async lastReturnSections(id: number): Promise<number[]> {
      const row = await db('decisions')
        .where({ request_id: id, outcome: 'returned' })
        .orderBy('id', 'desc')
        .first<{ sections: unknown } | undefined>('sections');
      return storedSections(row?.sections);
    },

    /** The comment of the latest reminder to the editors (the names it went to). */
    async lastReminder(id: number): Promise<string | undefined> {
      const row = await db('history')
        .where({ request_id: id, action: 'request.editors_reminded' })
        .orderBy('id', 'desc')
        .first<{ comment: string | null } | undefined>('comment');
      return row?.comment ?? undefined;
    },

    /**
     * Everything the request page shows of a request the person may see. Looking at it is
     * recorded (the version seen), so that the next look shows what changed since.
     */
    async page(me: SessionUser, visible: VisibleRequest) {
      const { request, editors, actor } = visible;
      const id = request.id;
      const instance = await store.getInstance(db, id);
      const definition = instance ? await service.definition(instance.definition_id) : undefined;
      // one person decides at most one step of a request: offer the first they may decide
      const decidable = (definition && instance ? decidableSteps(definition, instance.state, actor) : []).slice(0, 1);
      const history: HistoryRow[] = await historyOfRequest(db, id);
      const decisions = await db('decisions').where({ request_id: id }).orderBy('id').select<DecisionRow[]>('*');
      const unit: OrgUnit | undefined = request.org_unit_id ? await unitById(db, request.org_unit_id) : undefined;

      // what changed since this person last looked (deciders see it; everybody's view is recorded)
      let changes: { from: number; to: number; fields: ReturnType<typeof diffRecords> } | undefined;
      if (request.version > 0) {
        const seen = await store.markSeen(db, id, me.uid, request.version, clock());
        if (seen !== undefined && seen < request.version) {
          const before = await store.getVersion(db, id, seen);
          const after = await store.getVersion(db, id, request.version);
          if (before && after)
            changes = {
              from: seen,
              to: request.version,
              fields: diffRecords(
                before as unknown as Record<string, unknown>,
                after as unknown as Record<string, unknown>,
              ),
            };
        }
      }
      // names for every person the page mentions by id: as they acted, else as last seen
      const names = new Map<string, string>();
      for (const d of decisions) names.set(d.actor_uid, d.actor_name);
      for (const h of history) if (h.actor_uid && h.actor_name) names.set(h.actor_uid, h.actor_name);
      const mentioned = [
        ...decisions.flatMap((d) => [d.actor_uid, d.on_behalf_of]),
        ...history.flatMap((h) => [h.actor_uid, h.on_behalf_of]),
        ...Object.values(instance?.state.steps ?? {}).flatMap((s) => [s.decidedBy, s.onBehalfOf]),
        ...decidable.map((d) => d.onBehalfOf),
      ].filter((uid): uid is string => typeof uid === 'string' && uid !== '' && !names.has(uid));
      for (const [uid, name] of await namesOf(mentioned)) names.set(uid, name);

      const next = await nextStep(request, editors, definition, instance?.state);
      const platform = await db('platforms')
        .where({ key: request.data.platform })
        .first<{ name: string } | undefined>('name');
      return {
        instance,
        definition,
        decidable,
        history,
        decisions,
        unit,
        changes,
        names,
        next,
        platformName: platform?.name,
      };
    },

    /** A step of the request's workflow (for the "really reject?" page). */
    async step(id: number, stepId: string): Promise<{ request?: store.RequestRow; step?: WorkflowStep }> {
      const request = await store.getRequest(db, id);
      const instance = await store.getInstance(db, id);
      const definition = instance ? await service.definition(instance.definition_id) : undefined;
      return { request, step: definition?.steps.find((s) => s.id === stepId) };
    },

    /** A person's name as last seen in the directory; their id if the portal never saw them. */
    async nameOf(uid: string): Promise<string> {
      return (await namesOf([uid])).get(uid) ?? uid;
    },
  };
}

export type RequestPages = ReturnType<typeof createRequestPages>;
