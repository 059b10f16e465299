import type { Knex } from 'knex';
import { LIMITS } from '../../limits';
import type { SessionUser } from '../../directory/user';
import type { Directory } from '../../directory/directory';
import { recordHistory, diffRecords } from '../../audit/history';
import { listUnits, type OrgUnit } from '../../registry/org-units';
import type { FieldError } from '../../web/forms';
import { error, formErrors } from '../web';
import { UNIT_FIELDS, unitFormSchema } from './schemas';

export { CODE, UNIT_KINDS, type UnitKind } from './schemas';
const UID = new RegExp(`^[A-Za-z0-9][A-Za-z0-9._-]{0,${LIMITS.uid - 1}}$`);

/** The unit form as typed (field names as in the form). */
export interface UnitForm {
  code: string;
  name: string;
  kurzname: string;
  art: string;
  oberhalb: string; // parent code, '' = top level
  hannoverDe: string;
  reihenfolge: string;
}

export const emptyUnitForm = (): UnitForm => ({
  code: '',
  name: '',
  kurzname: '',
  art: '',
  oberhalb: '',
  hannoverDe: '',
  reihenfolge: '0',
});

export const unitToForm = (u: OrgUnit, units: OrgUnit[]): UnitForm => ({
  code: u.code,
  name: u.name,
  kurzname: u.short_name ?? '',
  art: u.kind,
  oberhalb: units.find((p) => p.id === u.parent_id)?.code ?? '',
  hannoverDe: u.hannover_de_url ?? '',
  reihenfolge: String(u.sort_order),
});

/** Would `parentId` as the new parent of `unitId` close a loop (the unit itself or one below it)? */
export function wouldCycle(
  units: Array<Pick<OrgUnit, 'id' | 'parent_id'>>,
  unitId: number,
  parentId: number | null,
): boolean {
  const byId = new Map(units.map((u) => [u.id, u]));
  const seen = new Set<number>();
  for (let current = parentId; current !== null; current = byId.get(current)?.parent_id ?? null) {
    if (current === unitId || seen.has(current)) return true;
    seen.add(current);
  }
  return false;
}

/** Every unit below `unitId` (not the unit itself). */
export function descendants(units: OrgUnit[], unitId: number): OrgUnit[] {
  const out: OrgUnit[] = [];
  const walk = (id: number) => {
    for (const child of units.filter((u) => u.parent_id === id)) {
      if (out.includes(child)) continue;
      out.push(child);
      walk(child.id);
    }
  };
  walk(unitId);
  return out;
}

function validate(
  form: UnitForm,
  units: OrgUnit[],
  existing: OrgUnit | undefined,
): { errors: FieldError[]; parent: OrgUnit | undefined } {
  const checked = unitFormSchema.safeParse(form);
  const errors: FieldError[] = checked.success ? [] : formErrors(checked.error, UNIT_FIELDS);
  const codeOk = !errors.some((e) => e.field === 'code');
  if (codeOk && units.some((u) => u.code.toLowerCase() === form.code.toLowerCase() && u.id !== existing?.id)) {
    errors.push(error('code', 'admin.units.error.codeTaken', { code: form.code }));
  }
  let parent: OrgUnit | undefined;
  if (form.oberhalb) {
    parent = units.find((u) => u.code === form.oberhalb);
    if (!parent) errors.push(error('oberhalb', 'admin.units.error.parentUnknown'));
    else if (existing && wouldCycle(units, existing.id, parent.id))
      errors.push(error('oberhalb', 'admin.units.error.cycle', { parent: parent.name }));
    else if (parent.retired_at && parent.id !== existing?.parent_id)
      errors.push(error('oberhalb', 'admin.units.error.parentRetired'));
  }
  const rank = (f: string) => UNIT_FIELDS.indexOf(f);
  return { errors: errors.sort((a, b) => rank(a.field) - rank(b.field)), parent };
}

const columnsOf = (form: UnitForm, parent: OrgUnit | undefined) => ({
  code: form.code,
  name: form.name,
  short_name: form.kurzname || null,
  kind: form.art,
  parent_id: parent?.id ?? null,
  hannover_de_url: form.hannoverDe || null,
  sort_order: Number(form.reihenfolge),
});

/** What the history shows of a unit: codes instead of ids. */
function snapshot(
  u: {
    code: string;
    name: string;
    short_name: string | null;
    kind: string;
    hannover_de_url: string | null;
    sort_order: number;
  },
  parentCode: string | null,
) {
  return {
    code: u.code,
    name: u.name,
    short_name: u.short_name,
    kind: u.kind,
    parent: parentCode,
    hannover_de_url: u.hannover_de_url,
    sort_order: u.sort_order,
  };
}

export type Outcome = { ok: true; id: number } | { ok: false; errors: FieldError[] };

export function createUnitService(deps: { db: Knex; directory: Directory; clock: () => Date }) {
  const { db, directory, clock } = deps;
  const all = (q: Knex | Knex.Transaction = db) => listUnits(q, { includeRetired: true });

  return {
    all,

    async create(actor: SessionUser, form: UnitForm): Promise<Outcome> {
      const now = clock();
      return db.transaction(async (trx) => {
        const units = await all(trx);
        const { errors, parent } = validate(form, units, undefined);
        if (errors.length) return { ok: false, errors };
        const values = columnsOf(form, parent);
        const [row] = await trx('org_units')
          .insert({ ...values, created_at: now, updated_at: now })
          .returning('id');
        await recordHistory(trx, {
          at: now,
          actorUid: actor.uid,
          actorName: actor.name,
          action: 'org_unit.created',
          entityType: 'org_unit',
          entityId: row.id,
          changes: diffRecords({}, snapshot(values, parent?.code ?? null)),
        });
        return { ok: true, id: row.id as number };
      });
    },

    /** Rename, move (change parent; loops refused), change code, kind, Hannover.de page, order. */
    async update(actor: SessionUser, id: number, form: UnitForm): Promise<Outcome | undefined> {
      const now = clock();
      return db.transaction(async (trx) => {
        const units = await all(trx);
        const unit = units.find((u) => u.id === id);
        if (!unit) return undefined;
        const { errors, parent } = validate(form, units, unit);
        // requests store the unit's code: changing it would cut them off from their unit
        if (
          !errors.some((e) => e.field === 'code') &&
          form.code !== unit.code &&
          (await trx('requests').where({ org_unit_id: id }).first('id'))
        ) {
          errors.push(error('code', 'admin.units.error.codeInUse'));
        }
        if (errors.length) return { ok: false, errors };
        const values = columnsOf(form, parent);
        const before = snapshot(unit, units.find((u) => u.id === unit.parent_id)?.code ?? null);
        const after = snapshot(values, parent?.code ?? null);
        const changes = diffRecords(before, after);
        if (Object.keys(changes).length === 0) return { ok: true, id };
        await trx('org_units')
          .where({ id })
          .update({ ...values, updated_at: now });
        const action =
          'parent' in changes ? 'org_unit.moved' : 'name' in changes ? 'org_unit.renamed' : 'org_unit.changed';
        await recordHistory(trx, {
          at: now,
          actorUid: actor.uid,
          actorName: actor.name,
          action,
          entityType: 'org_unit',
          entityId: id,
          changes,
        });
        return { ok: true, id };
      });
    },

    /** Retired units keep their presences but cannot be chosen for new requests. */
    async retire(actor: SessionUser, id: number, reason: string): Promise<Outcome | undefined> {
      const now = clock();
      return db.transaction(async (trx) => {
        const units = await all(trx);
        const unit = units.find((u) => u.id === id);
        if (!unit) return undefined;
        if (unit.retired_at) return { ok: true, id };
        const active = units.filter((u) => u.parent_id === id && !u.retired_at);
        if (active.length > 0) {
          return {
            ok: false,
            errors: [
              error('aufloesen', 'admin.units.error.activeChildren', { names: active.map((u) => u.name).join(', ') }),
            ],
          };
        }
        await trx('org_units').where({ id }).update({ retired_at: now, updated_at: now });
        await recordHistory(trx, {
          at: now,
          actorUid: actor.uid,
          actorName: actor.name,
          action: 'org_unit.retired',
          entityType: 'org_unit',
          entityId: id,
          comment: reason || null,
          changes: { retired_at: { before: null, after: now.toISOString() } },
        });
        return { ok: true, id };
      });
    },

    async reactivate(actor: SessionUser, id: number): Promise<Outcome | undefined> {
      const now = clock();
      return db.transaction(async (trx) => {
        const units = await all(trx);
        const unit = units.find((u) => u.id === id);
        if (!unit) return undefined;
        if (!unit.retired_at) return { ok: true, id };
        const parent = units.find((u) => u.id === unit.parent_id);
        if (parent?.retired_at)
          return { ok: false, errors: [error('reaktivieren', 'admin.units.error.parentRetired')] };
        await trx('org_units').where({ id }).update({ retired_at: null, updated_at: now });
        await recordHistory(trx, {
          at: now,
          actorUid: actor.uid,
          actorName: actor.name,
          action: 'org_unit.reactivated',
          entityType: 'org_unit',
          entityId: id,
          changes: { retired_at: { before: new Date(unit.retired_at).toISOString(), after: null } },
        });
        return { ok: true, id };
      });
    },

    /** Adds a head or deputy head; the person must exist in the directory. */
    async addHead(actor: SessionUser, id: number, uidInput: string, kind: string): Promise<Outcome | undefined> {
      const errors: FieldError[] = [];
      const uid = uidInput.toLowerCase();
      if (!uid) errors.push(error('leitung', 'admin.units.error.headMissing'));
      else if (!UID.test(uid)) errors.push(error('leitung', 'admin.error.uidInvalid'));
      if (kind !== 'head' && kind !== 'deputy') errors.push(error('funktion', 'admin.units.error.headKind'));
      if (errors.length) return { ok: false, errors };
      const person = await directory.findByUid(uid);
      if (!person) return { ok: false, errors: [error('leitung', 'admin.error.uidUnknown', { uid })] };
      const now = clock();
      return db.transaction(async (trx) => {
        const unit = await trx('org_units').where({ id }).first('id');
        if (!unit) return undefined;
        if (await trx('org_unit_heads').where({ org_unit_id: id, uid: person.uid }).first('uid')) {
          return { ok: false, errors: [error('leitung', 'admin.units.error.headTwice', { name: person.name })] };
        }
        await trx('org_unit_heads').insert({ org_unit_id: id, uid: person.uid, name: person.name, kind });
        await recordHistory(trx, {
          at: now,
          actorUid: actor.uid,
          actorName: actor.name,
          action: 'org_unit.head_added',
          entityType: 'org_unit',
          entityId: id,
          changes: { [kind]: { before: null, after: person.uid } },
        });
        return { ok: true, id };
      });
    },

    async removeHead(actor: SessionUser, id: number, uid: string): Promise<Outcome | undefined> {
      const now = clock();
      return db.transaction(async (trx) => {
        const head = await trx('org_unit_heads').where({ org_unit_id: id, uid }).first();
        if (!head) return undefined;
        await trx('org_unit_heads').where({ org_unit_id: id, uid }).delete();
        await recordHistory(trx, {
          at: now,
          actorUid: actor.uid,
          actorName: actor.name,
          action: 'org_unit.head_removed',
          entityType: 'org_unit',
          entityId: id,
          changes: { [head.kind]: { before: uid, after: null } },
        });
        return { ok: true, id };
      });
    },
  };
}

export type UnitService = ReturnType<typeof createUnitService>;
