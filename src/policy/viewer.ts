import type { Knex } from 'knex';
import type { SessionUser } from '../directory/user';
import type { Actor } from '../workflow/core';
import { buildActor } from './actors';
import { unitsHeadedBy } from '../registry/org-units';
import type { Viewer } from './access';

/** The signed-in person as themselves: their roles and the units they head. */
export async function selfViewer(db: Knex | Knex.Transaction, me: SessionUser): Promise<Viewer> {
  return { uid: me.uid, roles: me.roles, headOf: await unitsHeadedBy(db, me) };
}

/** Viewer from a workflow actor: a deputy sees and reminds what the people they deputise for today may. */
export function viewerOfActor(actor: Actor): Viewer {
  const asPrincipals = [actor, ...actor.actingFor];
  return {
    uid: actor.uid,
    roles: [...new Set(asPrincipals.flatMap((p) => p.roles))],
    headOf: [...new Set(asPrincipals.flatMap((p) => p.headOfUnits))],
  };
}

/** The signed-in person on a request: with the roles and units of the people they deputise for today. */
export async function requestViewer(
  db: Knex | Knex.Transaction,
  me: SessionUser,
  now: Date,
): Promise<{ viewer: Viewer; actor: Actor }> {
  const actor = await buildActor(db, me, now);
  return { viewer: viewerOfActor(actor), actor };
}
