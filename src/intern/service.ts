import type { Knex } from 'knex';
import type { SessionUser } from '../directory/user';
import type { Status } from '../workflow/core';
import { whereRequestVisible } from '../policy/access';
import { requestViewer } from '../policy/viewer';
import type { RequestRow } from '../requests/store';
import { toDoFor, type ToDo } from './todo';

/** The request list's filter: one status, or every request (undefined). */
export const REQUEST_STATUSES = ['draft', 'in_review', 'returned', 'rejected', 'withdrawn', 'published'] as const;

/** The staff area's start page and request list: what they read. */
export function createInternService(deps: { db: Knex; clock: () => Date }) {
  const { db, clock } = deps;
  return {
    /** The start page: own requests, what to do apart from decisions, the own unit's name. */
    async home(me: SessionUser): Promise<{ mine: RequestRow[]; todo: ToDo; unitName: string | undefined }> {
      const mine = await db('requests')
        .where({ author_uid: me.uid })
        .orderBy('updated_at', 'desc')
        .limit(50)
        .select<RequestRow[]>('*');
      const todo = await toDoFor(db, me, clock());
      const unit = me.unit
        ? await db('org_units').where({ code: me.unit }).first<{ name: string } | undefined>('name')
        : undefined;
      return { mine, todo, unitName: unit?.name };
    },

    /**
     * The requests this person may see, newest change first: the same rule as the request
     * page (a deputy sees what the people they deputise for today may see), as SQL.
     */
    async requestList(
      me: SessionUser,
      status: Status | undefined,
    ): Promise<Array<RequestRow & { unit_name: string | null }>> {
      const q = db('requests as r')
        .leftJoin('org_units as u', 'u.id', 'r.org_unit_id')
        .select('r.*', 'u.name as unit_name')
        .orderBy('r.updated_at', 'desc')
        .limit(500);
      if (status) q.where('r.status', status);
      const { viewer } = await requestViewer(db, me, clock());
      whereRequestVisible(q, db, viewer);
      return q;
    },
  };
}

export type InternService = ReturnType<typeof createInternService>;
