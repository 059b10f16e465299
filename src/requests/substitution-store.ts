import type { Knex } from 'knex';
import type { SessionUser } from '../directory/user';
import { recordHistory } from '../audit/history';
import { berlinDay } from '../policy/actors';
import { whereSubstitutionVisible } from '../policy/access';

export interface SubstitutionRow {
  id: number;
  principal_uid: string;
  principal_name: string;
  deputy_uid: string;
  deputy_name: string;
  starts_on: string;
  ends_on: string;
  created_by: string;
  created_at: Date;
  revoked_at: Date | null;
}

/** Deputies: who decides whose tasks for which days; every change in the history. */
export function createSubstitutionService(deps: { db: Knex; clock: () => Date }) {
  const { db, clock } = deps;
  return {
    /** Today in Berlin (the first day a new deputy may start). */
    today: () => berlinDay(clock()),

    /** The deputies that are not over yet, as far as this person may see them (the policy's SQL filter). */
    async current(me: SessionUser): Promise<SubstitutionRow[]> {
      const q = db('substitutions')
        .whereNull('revoked_at')
        .where('ends_on', '>=', berlinDay(clock()))
        .orderBy('starts_on');
      whereSubstitutionVisible(q, me);
      return q;
    },

    async find(id: number): Promise<SubstitutionRow | undefined> {
      return db('substitutions').where({ id }).first();
    },

    /** Names a deputy; the principal's roles are remembered, so that the deputy can act on their behalf. */
    async create(me: SessionUser, principal: SessionUser, deputy: SessionUser, range: { von: string; bis: string }) {
      const now = clock();
      await db.transaction(async (trx) => {
        const [row] = await trx('substitutions')
          .insert({
            principal_uid: principal.uid,
            principal_name: principal.name,
            deputy_uid: deputy.uid,
            deputy_name: deputy.name,
            starts_on: range.von,
            ends_on: range.bis,
            created_by: me.uid,
            created_at: now,
          })
          .returning('id');
        // the principal's roles must be known to act on their behalf
        await trx('people')
          .insert({
            uid: principal.uid,
            name: principal.name,
            email: principal.email ?? null,
            unit: principal.unit ?? null,
            roles: JSON.stringify(principal.roles),
            seen_at: now,
          })
          .onConflict('uid')
          .merge();
        await recordHistory(trx, {
          at: now,
          actorUid: me.uid,
          actorName: me.name,
          action: 'substitution.created',
          entityType: 'substitution',
          entityId: row.id,
          changes: {
            deputy: { before: null, after: deputy.uid },
            principal: { before: null, after: principal.uid },
            range: { before: null, after: `${range.von}..${range.bis}` },
          },
        });
      });
    },

    /** Ends a deputy now (the caller has asked the policy: mayEndSubstitution). */
    async end(me: SessionUser, id: number) {
      const now = clock();
      await db.transaction(async (trx) => {
        await trx('substitutions').where({ id }).update({ revoked_at: now });
        await recordHistory(trx, {
          at: now,
          actorUid: me.uid,
          actorName: me.name,
          action: 'substitution.revoked',
          entityType: 'substitution',
          entityId: id,
        });
      });
    },
  };
}

export type SubstitutionService = ReturnType<typeof createSubstitutionService>;
