import type { Knex } from 'knex';
import type { SessionUser } from '../directory/user';
import type { RequestRow } from '../requests/store';
import { toDoFor, type ToDo } from './todo';

/** The staff area's start page: what it reads (the task lists: src/requests/task-list.ts). */
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
  };
}

export type InternService = ReturnType<typeof createInternService>;
