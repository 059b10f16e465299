import type { Knex } from 'knex';
import { canonicalise } from '../registry/canonical';
import { platformRulesSchema } from '../registry/platforms';
import { unitByCode } from '../registry/org-units';
import { RequestError } from './errors';
import * as store from './store';
import { emptyRequestData, normaliseStored, type RequestData } from './form';
import { recordHistory, diffRecords } from '../audit/history';
import type { SessionUser } from '../directory/user';

/** "Museum August Kestner" on facebook → "museum-august-kestner-facebook". */
export function slugify(name: string, platform: string): string {
  const base = name
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return `${base || 'angebot'}-${platform}`;
}

function addMonths(d: Date, months: number): string {
  const r = new Date(d);
  r.setUTCMonth(r.getUTCMonth() + months);
  return r.toISOString().slice(0, 10);
}

/**
 * Puts the approved request into the register as an active presence (new, or an existing
 * presence that was registered) and returns its id. Runs inside the decision's transaction.
 */
export async function publishPresence(trx: Knex.Transaction, request: store.RequestRow, now: Date): Promise<number> {
  const data = request.data;
  const platform = await trx('platforms').where({ key: data.platform }).first();
  const canonical = platform ? canonicalise(data.url, platformRulesSchema.parse(platform.rules)) : undefined;
  if (!platform || !canonical?.ok) throw new RequestError('refused');
  const unit = await unitByCode(trx, data.orgUnit);
  if (!unit) throw new RequestError('refused');
  const duplicate = await trx('presences')
    .where({ platform_key: platform.key })
    .whereRaw('lower(account_id) = ?', [canonical.id])
    .first('id');
  if (duplicate) throw new RequestError('duplicate_presence');

  let slug = slugify(data.name, platform.key);
  for (let n = 2; await trx('presences').where({ slug }).first('id'); n++)
    slug = `${slugify(data.name, platform.key)}-${n}`;
  const months = Number(data.reviewMonths) || 12;
  const [row] = await trx('presences')
    .insert({
      slug,
      platform_key: platform.key,
      account_id: canonical.id,
      url: canonical.url,
      name: data.name,
      description: data.description,
      org_unit_id: unit.id,
      hannover_de_url: data.hannoverDeUrl || null,
      status: 'active',
      central: false,
      published_at: now,
      last_confirmed_at: now,
      review_due: addMonths(now, months),
      details: JSON.stringify({
        kind: data.kind,
        existingSince: data.existingSince || null,
        purpose: data.purpose,
        targetGroups: data.targetGroups,
        topics: data.topics,
        imprintUrl: data.imprintUrl,
        privacyUrl: data.privacyUrl,
        alternativeChannel: data.alternativeChannel,
      }),
      request_id: request.id,
      created_at: now,
      updated_at: now,
    })
    .returning('id');
  const presenceId = row.id as number;
  const editors = await store.getEditors(trx, request.id);
  if (editors.length > 0) {
    await trx('presence_editors').insert(
      editors.map((e) => ({ presence_id: presenceId, uid: e.uid, name: e.name, email: e.email, position: e.position })),
    );
  }
  return presenceId;
}

/**
 * The presence as the register holds it, in the shape of the request form: the base of a
 * change request. Fields the register does not keep come from the request that published it.
 */
export async function presenceAsRequestData(
  db: Knex | Knex.Transaction,
  presenceId: number,
): Promise<RequestData | undefined> {
  const p = await db('presences as p')
    .join('org_units as u', 'u.id', 'p.org_unit_id')
    .where('p.id', presenceId)
    .first('p.*', 'u.code as unit_code');
  if (!p) return undefined;
  const origin = p.request_id ? await db('requests').where({ id: p.request_id }).first('data') : undefined;
  const base = origin ? normaliseStored(origin.data) : emptyRequestData();
  const editors = await db('presence_editors').where({ presence_id: presenceId }).orderBy('position').pluck('uid');
  return {
    ...base,
    orgUnit: p.unit_code,
    platform: p.platform_key,
    name: p.name,
    url: p.url,
    description: p.description,
    hannoverDeUrl: p.hannover_de_url ?? '',
    editors,
  };
}

/** Applies an approved change request to its presence (inside the decision's transaction). */
export async function applyChange(
  trx: Knex.Transaction,
  request: store.RequestRow,
  actor: SessionUser | null,
  now: Date,
): Promise<void> {
  if (!request.presence_id) throw new RequestError('refused');
  const data = request.data;
  const before = await trx('presences').where({ id: request.presence_id }).first();
  const platform = await trx('platforms').where({ key: data.platform }).first();
  const canonical = platform ? canonicalise(data.url, platformRulesSchema.parse(platform.rules)) : undefined;
  const unit = await unitByCode(trx, data.orgUnit);
  if (!before || !canonical?.ok || !unit) throw new RequestError('refused');
  const duplicate = await trx('presences')
    .where({ platform_key: platform.key })
    .whereRaw('lower(account_id) = ?', [canonical.id])
    .whereNot('id', before.id)
    .first('id');
  if (duplicate) throw new RequestError('duplicate_presence');
  const after = {
    name: data.name,
    url: canonical.url,
    account_id: canonical.id,
    platform_key: platform.key,
    description: data.description,
    hannover_de_url: data.hannoverDeUrl || null,
    org_unit_id: unit.id,
  };
  await trx('presences')
    .where({ id: before.id })
    .update({ ...after, request_id: request.id, editors_flagged: false, updated_at: now });
  const editorsBefore = await trx('presence_editors')
    .where({ presence_id: before.id })
    .orderBy('position')
    .pluck('uid');
  const editors = await store.getEditors(trx, request.id);
  await trx('presence_editors').where({ presence_id: before.id }).delete();
  if (editors.length > 0) {
    await trx('presence_editors').insert(
      editors.map((e) => ({ presence_id: before.id, uid: e.uid, name: e.name, email: e.email, position: e.position })),
    );
  }
  const changes = diffRecords(
    { ...Object.fromEntries(Object.keys(after).map((k) => [k, before[k]])), editors: editorsBefore },
    { ...after, editors: editors.map((e) => e.uid) },
  );
  await recordHistory(trx, {
    at: now,
    actorUid: actor?.uid ?? null,
    actorName: actor?.name ?? null,
    action: 'presence.changed',
    entityType: 'presence',
    entityId: before.id,
    presenceId: before.id,
    requestId: request.id,
    changes,
  });
}
