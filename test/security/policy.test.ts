import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import {
  CENTRAL_ROLES,
  maySeePresence,
  maySeeRequest,
  maySeeSubstitution,
  wherePresenceVisible,
  whereSubstitutionVisible,
  whereRequestVisible,
  type Viewer,
} from '../../src/policy/access';

/**
 * The access policy's predicates and its SQL list filters are one rule each: for every viewer
 * × request state (and presence state) in the table, the request/presence list on a real
 * database (PGlite or PostgreSQL) holds exactly what the predicate lets the viewer see.
 */

const STATUSES = ['draft', 'in_review', 'returned', 'rejected', 'withdrawn', 'published'] as const;
const UNITS = ['PX1', 'PX2', undefined] as const;
const AUTHOR = 'pol-author';
const EDITOR = 'pol-editor';

const VIEWERS: Record<string, Viewer> = {
  author: { uid: AUTHOR, roles: ['employee'], headOf: [] },
  editor: { uid: EDITOR, roles: ['employee'], headOf: [] },
  employee: { uid: 'pol-employee', roles: ['employee'], headOf: [] },
  headOfUnit: { uid: 'pol-head', roles: ['employee', 'unit_head'], headOf: ['PX1'] },
  headOfOtherUnit: { uid: 'pol-head2', roles: ['employee', 'unit_head'], headOf: ['PX2'] },
  headOfBoth: { uid: 'pol-head3', roles: ['employee'], headOf: ['PX1', 'PX2'] },
  unitHeadRoleOnly: { uid: 'pol-head4', roles: ['employee', 'unit_head'], headOf: [] },
  ...Object.fromEntries(
    CENTRAL_ROLES.map((role) => [role, { uid: `pol-${role}`, roles: ['employee', role], headOf: [] }]),
  ),
  centralEditor: { uid: EDITOR, roles: ['employee', 'communications'], headOf: [] },
  centralAuthor: { uid: AUTHOR, roles: ['employee', 'admin'], headOf: ['PX2'] },
};

let database: TestDatabase;
let db: Knex;
const requests: Array<{ id: number; status: string; unitCode: string | undefined }> = [];
const presences: Array<{ id: number; status: string; unitCode: string }> = [];
const substitutions: Array<{ id: number; principal_uid: string; deputy_uid: string }> = [];

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
  const unitIds: Record<string, number> = {};
  for (const code of ['PX1', 'PX2']) {
    const [row] = await db('org_units')
      .insert({ code, name: `Policy ${code}`, kind: 'stelle' })
      .returning('id');
    unitIds[code] = (row as { id: number }).id;
  }
  for (const unitCode of UNITS) {
    for (const status of STATUSES) {
      const [row] = await db('requests')
        .insert({
          kind: 'new',
          author_uid: AUTHOR,
          author_name: 'Author',
          org_unit_id: unitCode ? unitIds[unitCode] : null,
          status,
          title: `Policy ${status} ${unitCode ?? '-'}`,
          data: JSON.stringify(unitCode ? { orgUnit: unitCode } : {}),
        })
        .returning('id');
      const id = (row as { id: number }).id;
      await db('request_editors').insert({ request_id: id, uid: EDITOR, name: 'Editor', position: 0 });
      requests.push({ id, status, unitCode });
    }
  }
  await db('platforms')
    .insert({ key: 'policytest', name: 'Policy test', rules: JSON.stringify({}) })
    .onConflict('key')
    .ignore();
  for (const unitCode of ['PX1', 'PX2']) {
    for (const status of ['active', 'closed']) {
      const slug = `policy-${unitCode}-${status}`.toLowerCase();
      const [row] = await db('presences')
        .insert({
          slug,
          platform_key: 'policytest',
          account_id: slug,
          url: `https://example.org/${slug}`,
          name: slug,
          org_unit_id: unitIds[unitCode],
          status,
        })
        .returning('id');
      const id = (row as { id: number }).id;
      await db('presence_editors').insert({ presence_id: id, uid: EDITOR, name: 'Editor', position: 0 });
      presences.push({ id, status, unitCode });
    }
  }
  for (const [principal_uid, deputy_uid] of [
    [AUTHOR, EDITOR],
    [EDITOR, 'pol-head'],
    ['pol-head2', 'pol-admin'],
  ] as const) {
    const [row] = await db('substitutions')
      .insert({
        principal_uid,
        principal_name: principal_uid,
        deputy_uid,
        deputy_name: deputy_uid,
        starts_on: '2026-01-01',
        ends_on: '2026-12-31',
        created_by: principal_uid,
      })
      .returning('id');
    substitutions.push({ id: (row as { id: number }).id, principal_uid, deputy_uid });
  }
});

afterAll(async () => {
  await database?.close();
});

describe('access policy: predicate and SQL filter agree', () => {
  it.each(Object.keys(VIEWERS))('requests, viewer %s', async (name) => {
    const viewer = VIEWERS[name] as Viewer;
    const q = db('requests as r')
      .whereIn(
        'r.id',
        requests.map((r) => r.id),
      )
      .select('r.id');
    whereRequestVisible(q, db, viewer);
    const fromSql = ((await q) as Array<{ id: number }>).map((r) => r.id).sort((a, b) => a - b);
    const fromPredicate = requests
      .filter((r) =>
        maySeeRequest(viewer, { author_uid: AUTHOR, status: r.status, unitCode: r.unitCode, editorUids: [EDITOR] }),
      )
      .map((r) => r.id)
      .sort((a, b) => a - b);
    expect(fromSql).toEqual(fromPredicate);
  });

  it.each(Object.keys(VIEWERS))('presences, viewer %s', async (name) => {
    const viewer = VIEWERS[name] as Viewer;
    const q = db('presences as p')
      .join('org_units as u', 'u.id', 'p.org_unit_id')
      .whereIn(
        'p.id',
        presences.map((p) => p.id),
      )
      .select('p.id');
    wherePresenceVisible(q, db, viewer);
    const fromSql = ((await q) as Array<{ id: number }>).map((r) => r.id).sort((a, b) => a - b);
    const fromPredicate = presences
      .filter((p) => maySeePresence(viewer, { status: p.status, unitCode: p.unitCode, editorUids: [EDITOR] }))
      .map((p) => p.id)
      .sort((a, b) => a - b);
    expect(fromSql).toEqual(fromPredicate);
  });

  it.each(Object.keys(VIEWERS))('deputy entries, viewer %s', async (name) => {
    const viewer = VIEWERS[name] as Viewer;
    const q = db('substitutions')
      .whereIn(
        'id',
        substitutions.map((r) => r.id),
      )
      .select('id');
    whereSubstitutionVisible(q, viewer);
    const fromSql = ((await q) as Array<{ id: number }>).map((r) => r.id).sort((a, b) => a - b);
    const fromPredicate = substitutions
      .filter((r) => maySeeSubstitution(viewer, r))
      .map((r) => r.id)
      .sort((a, b) => a - b);
    expect(fromSql).toEqual(fromPredicate);
  });

  it('the table is not trivial: each rule both grants and refuses', () => {
    const req = (status: string, unitCode: string | undefined) => ({
      author_uid: AUTHOR,
      status,
      unitCode,
      editorUids: [EDITOR],
    });
    const v = VIEWERS;
    expect(maySeeRequest(v.author!, req('draft', 'PX1'))).toBe(true);
    expect(maySeeRequest(v.editor!, req('draft', 'PX1'))).toBe(true);
    expect(maySeeRequest(v.communications!, req('draft', 'PX1'))).toBe(false);
    expect(maySeeRequest(v.communications!, req('in_review', undefined))).toBe(true);
    expect(maySeeRequest(v.headOfUnit!, req('in_review', 'PX1'))).toBe(true);
    expect(maySeeRequest(v.headOfUnit!, req('draft', 'PX1'))).toBe(false);
    expect(maySeeRequest(v.headOfOtherUnit!, req('in_review', 'PX1'))).toBe(false);
    expect(maySeeRequest(v.unitHeadRoleOnly!, req('published', 'PX1'))).toBe(false);
    expect(maySeeRequest(v.employee!, req('published', 'PX1'))).toBe(false);
    const pres = (status: string, unitCode: string) => ({ status, unitCode, editorUids: [EDITOR] });
    expect(maySeePresence(v.headOfUnit!, pres('closed', 'PX1'))).toBe(true);
    expect(maySeePresence(v.headOfOtherUnit!, pres('active', 'PX1'))).toBe(false);
    expect(maySeePresence(v.staff_council!, pres('closed', 'PX2'))).toBe(true);
    expect(maySeePresence(v.employee!, pres('active', 'PX1'))).toBe(false);
    expect(substitutions.filter((r) => maySeeSubstitution(v.editor!, r))).toHaveLength(2);
    expect(substitutions.filter((r) => maySeeSubstitution(v.admin!, r))).toHaveLength(3);
    expect(substitutions.filter((r) => maySeeSubstitution(v.employee!, r))).toHaveLength(0);
  });
});
