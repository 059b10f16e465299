import type { Knex } from 'knex';
import type { SessionUser } from '../directory/user';
import { listUnits, unitTree } from '../registry/org-units';
import { wherePresenceVisible, type PresenceAccess } from '../policy/access';
import { selfViewer } from '../policy/viewer';
import { presenceAsRequestData } from '../requests/publish';
import type { RequestData } from '../requests/form';
import { historyOfPresence } from '../audit/history';
import type { WorkflowDefinition } from '../workflow/definition';
import { loadPresenceAccess, confirmPresence, closePresence } from './lifecycle';

/** The staff list's filters: due for review, editors flagged, closed; '' is every active presence. */
export const PRESENCE_FILTERS = ['', 'ueberfaellig', 'markiert', 'geschlossen'] as const;
export type PresenceFilter = (typeof PRESENCE_FILTERS)[number];

export interface PresenceListRow {
  id: number;
  name: string;
  status: string;
  review_due: string | null;
  review_overdue: boolean;
  editors_flagged: boolean;
  last_confirmed_at: Date | null;
  unit_name: string;
  platform_name: string;
}

/** A presence with its unit and platform, as the staff pages show it. */
export interface PresenceRecord {
  id: number;
  org_unit_id: number;
  status: string;
  name: string;
  url: string;
  unit_name: string;
  unit_code: string;
  platform_name: string;
  [column: string]: unknown;
}

/** Step ids of a request's workflow, per request, for naming steps in a presence's timeline. */
export type StepsByRequest = Map<number, WorkflowDefinition['steps']>;

/** Presences after publication: the staff list, a presence's page, its confirmation, closing and change. */
export function createPresenceService(deps: { db: Knex; clock: () => Date }) {
  const { db, clock } = deps;
  return {
    /** The presences this person may see (the policy's SQL filter), filtered and by name. */
    async list(me: SessionUser, filter: PresenceFilter): Promise<PresenceListRow[]> {
      const q = db('presences as p')
        .join('org_units as u', 'u.id', 'p.org_unit_id')
        .join('platforms as pl', 'pl.key', 'p.platform_key')
        .select(
          'p.id',
          'p.name',
          'p.status',
          'p.review_due',
          'p.review_overdue',
          'p.editors_flagged',
          'p.last_confirmed_at',
          'u.name as unit_name',
          'pl.name as platform_name',
        )
        .orderBy('p.name');
      if (filter === 'ueberfaellig') q.where('p.review_overdue', true);
      if (filter === 'markiert') q.where('p.editors_flagged', true);
      q.where('p.status', filter === 'geschlossen' ? 'closed' : 'active');
      wherePresenceVisible(q, db, await selfViewer(db, me));
      return q;
    },

    /** The presence and what this person may do with it; undefined if it does not exist. */
    async load(me: SessionUser, id: number): Promise<{ presence: PresenceRecord; access: PresenceAccess } | undefined> {
      const presence = await db('presences as p')
        .join('org_units as u', 'u.id', 'p.org_unit_id')
        .join('platforms as pl', 'pl.key', 'p.platform_key')
        .where('p.id', id)
        .first<PresenceRecord | undefined>(
          'p.*',
          'u.name as unit_name',
          'u.code as unit_code',
          'pl.name as platform_name',
        );
      if (!presence) return undefined;
      return { presence, access: await loadPresenceAccess(db, me, presence) };
    },

    /**
     * The presence page's details: editors (with whether the directory still knows them), its
     * whole life (the creating request, every change request, its own entries), the requests,
     * and for the timeline the step names and the names of people it names only by id — a
     * fixed number of queries, whatever the timeline's length.
     */
    async details(id: number) {
      const editors = await db('presence_editors as e')
        .leftJoin('people as pe', 'pe.uid', 'e.uid')
        .where('e.presence_id', id)
        .orderBy('e.position')
        .select<Array<Record<string, unknown>>>('e.*', 'pe.missing_since');
      const history = await historyOfPresence(db, id);
      const requests = await db('requests')
        .where({ presence_id: id })
        .orderBy('id', 'desc')
        .select<Array<Record<string, unknown>>>('id', 'kind', 'status', 'title', 'updated_at');

      const requestIds = [...new Set(history.flatMap((h) => (h.request_id === null ? [] : [h.request_id])))];
      const definitions: Array<{ request_id: number; definition: WorkflowDefinition }> = requestIds.length
        ? await db('workflow_instances as i')
            .join('workflow_definitions as d', 'd.id', 'i.definition_id')
            .whereIn('i.request_id', requestIds)
            .select('i.request_id', 'd.definition')
        : [];
      const steps: StepsByRequest = new Map(definitions.map((d) => [d.request_id, d.definition.steps]));
      // people acted for, and actors the entry names only by their id
      const unnamed = [
        ...new Set(
          history.flatMap((h) => [h.on_behalf_of, h.actor_name ? null : h.actor_uid].filter((u): u is string => !!u)),
        ),
      ];
      const names: Record<string, string> = {};
      if (unnamed.length)
        for (const p of await db('people')
          .whereIn('uid', unnamed)
          .select<Array<{ uid: string; name: string }>>('uid', 'name'))
          names[p.uid] = p.name;
      return { editors, history, requests, steps, names };
    },

    /** The units a change may move the presence to (without the portal's own). */
    async unitChoices() {
      return unitTree(await listUnits(db)).filter((u) => u.unit.code !== 'HDE');
    },

    /** The presence as the data of a change request (what it was approved with). */
    changeData: (id: number): Promise<RequestData | undefined> => presenceAsRequestData(db, id),

    /** The yearly confirmation (the rule is checked again inside, on the locked row). */
    confirm: (me: SessionUser, id: number) => confirmPresence(db, me, id, clock()),

    /** Closing (the rule is checked again inside, on the locked row). */
    close: (me: SessionUser, id: number, reason: string) => closePresence(db, me, id, reason, clock()),
  };
}

export type PresenceService = ReturnType<typeof createPresenceService>;
