import type { Directory } from '../directory/directory';
import type { Candidates } from '../workflow/core';
import {
  enqueueMany,
  isDeliverableAddress,
  type OutgoingMessage,
  type Recipient,
  type RoleAddress,
} from '../notifications/outbox';
import { findPeople } from '../people/store';
import { headsForUnit, unitByCode } from '../registry/org-units';
import { confirmedCurrent } from '../guidelines/store';
import type { Notify } from './service';

/**
 * Turns workflow events into mails in the outbox, inside the decision's transaction:
 * the step's candidates when it opens, the author on return/rejection/approval, author and
 * editors on publication, the staff council when the Hannover.de step starts.
 * Mails to a role are queued addressed to the role: the delivery job reads the role's
 * members from the directory when it sends them (never from who has signed in).
 * The people the events name are read in one query, and all mails go in with one INSERT at
 * the end, in the order the events produced them (issue 14: statements per decision).
 */
export function createNotifier(deps: { baseUrl: string; directory: Directory }): Notify {
  return async (trx, request, definition, events) => {
    const link = `${deps.baseUrl}/intern/antraege/${request.id}`;
    const title = request.title || `Antrag Nr. ${request.id}`;
    const stepName = (id: string) => definition.steps.find((s) => s.id === id)?.name.de ?? id;

    // everyone the events name (author, deciders, people to tell), read once
    const named = new Set<string>([request.author_uid]);
    for (const e of events) {
      if ('actorUid' in e) named.add(e.actorUid);
      if ('notifyUids' in e) e.notifyUids.forEach((uid) => named.add(uid));
    }
    const people = await findPeople(trx, [...named]);
    const known = async (uids: string[]) => {
      const missing = uids.filter((uid) => !people.has(uid));
      if (missing.length > 0) for (const [uid, p] of await findPeople(trx, missing)) people.set(uid, p);
      return people;
    };

    const byUid = async (uids: string[]): Promise<Recipient[]> => {
      const knownPeople = await known(uids);
      const out: Recipient[] = [];
      for (const uid of uids) {
        let p: { uid: string; name: string; email: string | null | undefined } | undefined = knownPeople.get(uid);
        if (!p) {
          const found = await deps.directory.findByUid(uid).catch(() => undefined);
          if (found) p = { uid: found.uid, name: found.name, email: found.email };
        }
        if (p && isDeliverableAddress(p.email)) out.push({ uid: p.uid, email: p.email, name: p.name });
      }
      return out;
    };
    const candidates = async (c: Candidates): Promise<Array<Recipient | RoleAddress>> => {
      if (c.kind === 'unit_head') return byUid((await headsForUnit(trx, c.unit)).map((h) => h.uid));
      return [{ role: c.role }];
    };
    const actorName = async (uid: string) => (await known([uid])).get(uid)?.name ?? uid;
    const queued: OutgoingMessage[] = [];
    const send = (to: Array<Recipient | RoleAddress>, build: (r: Recipient | RoleAddress) => OutgoingMessage) => {
      const seen = new Set<string>();
      for (const r of to) {
        const key = 'role' in r ? `role:${r.role}` : r.email;
        if (seen.has(key)) continue;
        seen.add(key);
        queued.push(build(r));
      }
    };

    for (const e of events) {
      switch (e.type) {
        case 'step_opened': {
          send(await candidates(e.candidates), (to) => ({
            template: 'step_waiting',
            to,
            requestId: request.id,
            params: { requestTitle: title, stepName: stepName(e.stepId), url: link },
          }));
          if (e.notify.includes('staff_council')) {
            const unit = await unitByCode(trx, request.data.orgUnit);
            const platform = await trx('platforms').where({ key: request.data.platform }).first('name');
            send(await candidates({ kind: 'role', role: 'staff_council' }), (to) => ({
              template: 'staff_council_notice',
              to,
              requestId: request.id,
              params: {
                requestTitle: title,
                unitName: unit?.name ?? request.data.orgUnit,
                platformName: platform?.name ?? request.data.platform,
                url: link,
              },
            }));
          }
          break;
        }
        case 'approved': {
          const actor = await actorName(e.actorUid);
          send(await byUid([request.author_uid]), (to) => ({
            template: 'approved',
            to,
            requestId: request.id,
            params: { requestTitle: title, stepName: stepName(e.stepId), actorName: actor, url: link },
          }));
          break;
        }
        case 'returned': {
          const actor = await actorName(e.actorUid);
          send(await byUid(e.notifyUids), (to) => ({
            template: 'returned',
            to,
            requestId: request.id,
            params: {
              requestTitle: title,
              stepName: stepName(e.stepId),
              actorName: actor,
              comment: e.comment,
              url: link,
            },
          }));
          break;
        }
        case 'rejected': {
          const actor = await actorName(e.actorUid);
          send(await byUid(e.notifyUids), (to) => ({
            template: 'rejected',
            to,
            requestId: request.id,
            params: {
              requestTitle: title,
              stepName: stepName(e.stepId),
              actorName: actor,
              reason: e.comment,
              url: link,
            },
          }));
          for (const c of e.cancelledSteps) {
            send(await candidates(c.candidates), (to) => ({
              template: 'task_cancelled',
              to,
              requestId: request.id,
              params: { requestTitle: title, stepName: stepName(c.stepId), url: link },
            }));
          }
          break;
        }
        case 'withdrawn':
          for (const c of e.cancelledSteps) {
            send(await candidates(c.candidates), (to) => ({
              template: 'withdrawn',
              to,
              requestId: request.id,
              params: { requestTitle: title, actorName: request.author_name, url: link },
            }));
          }
          break;
        case 'editor_confirmation_needed': {
          // one confirmation covers all requests: only those without one for the current texts are asked
          const confirmed = await confirmedCurrent(trx, e.notifyUids);
          send(await byUid(e.notifyUids.filter((uid) => !confirmed.has(uid))), (to) => ({
            template: 'editor_confirmation_needed',
            to,
            requestId: request.id,
            params: { requestTitle: title, authorName: request.author_name, url: link },
          }));
          break;
        }
        case 'published': {
          const presence = await trx('requests as r')
            .join('presences as p', 'p.id', 'r.presence_id')
            .where('r.id', request.id)
            .first('p.slug', 'p.name');
          send(await byUid(e.notifyUids), (to) => ({
            template: 'published',
            to,
            requestId: request.id,
            params: {
              requestTitle: title,
              presenceName: presence?.name ?? title,
              publicUrl: presence ? `${deps.baseUrl}/angebote/${presence.slug}` : deps.baseUrl,
              url: link,
            },
          }));
          break;
        }
        default:
          break;
      }
    }
    await enqueueMany(trx, queued);
  };
}
