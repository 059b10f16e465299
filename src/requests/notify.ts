import type { Directory } from '../directory/directory';
import type { Candidates } from '../workflow/core';
import { enqueue, isDeliverableAddress, type Recipient, type RoleAddress } from '../notifications/outbox';
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
 */
export function createNotifier(deps: { baseUrl: string; directory: Directory }): Notify {
  return async (trx, request, definition, events) => {
    const link = `${deps.baseUrl}/intern/antraege/${request.id}`;
    const title = request.title || `Antrag Nr. ${request.id}`;
    const stepName = (id: string) => definition.steps.find((s) => s.id === id)?.name.de ?? id;

    const byUid = async (uids: string[]): Promise<Recipient[]> => {
      const known = await findPeople(trx, uids);
      const out: Recipient[] = [];
      for (const uid of uids) {
        let p: { uid: string; name: string; email: string | null | undefined } | undefined = known.get(uid);
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
    const actorName = async (uid: string) => (await findPeople(trx, [uid])).get(uid)?.name ?? uid;
    const send = async (
      to: Array<Recipient | RoleAddress>,
      build: (r: Recipient | RoleAddress) => Parameters<typeof enqueue>[1],
    ) => {
      const seen = new Set<string>();
      for (const r of to) {
        const key = 'role' in r ? `role:${r.role}` : r.email;
        if (seen.has(key)) continue;
        seen.add(key);
        await enqueue(trx, build(r));
      }
    };

    for (const e of events) {
      switch (e.type) {
        case 'step_opened': {
          await send(await candidates(e.candidates), (to) => ({
            template: 'step_waiting',
            to,
            requestId: request.id,
            params: { requestTitle: title, stepName: stepName(e.stepId), url: link },
          }));
          if (e.notify.includes('staff_council')) {
            const unit = await unitByCode(trx, request.data.orgUnit);
            const platform = await trx('platforms').where({ key: request.data.platform }).first('name');
            await send(await candidates({ kind: 'role', role: 'staff_council' }), (to) => ({
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
          await send(await byUid([request.author_uid]), (to) => ({
            template: 'approved',
            to,
            requestId: request.id,
            params: { requestTitle: title, stepName: stepName(e.stepId), actorName: actor, url: link },
          }));
          break;
        }
        case 'returned': {
          const actor = await actorName(e.actorUid);
          await send(await byUid(e.notifyUids), (to) => ({
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
          await send(await byUid(e.notifyUids), (to) => ({
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
            await send(await candidates(c.candidates), (to) => ({
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
            await send(await candidates(c.candidates), (to) => ({
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
          await send(await byUid(e.notifyUids.filter((uid) => !confirmed.has(uid))), (to) => ({
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
          await send(await byUid(e.notifyUids), (to) => ({
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
  };
}
