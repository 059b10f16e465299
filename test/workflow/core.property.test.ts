import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide, isFinal, newInstance, type Action, type Actor, type Instance } from '../../src/workflow/core';
import { DIENSTANWEISUNG_V1 } from '../../src/workflow/default-definitions';

const UNIT = '41';
const person = (
  uid: string,
  roles: Actor['roles'],
  headOfUnits: string[] = [],
  actingFor: Actor['actingFor'] = [],
): Actor => ({
  uid,
  roles,
  headOfUnits,
  actingFor,
});

// A pool with overlapping roles, deputies, the author and editors holding decider roles.
const anna = person('anna', ['employee', 'communications']); // the author, also in communications
const emma = person('emma', ['employee', 'data_protection']); // an editor, also in data protection
const erik = person('erik', ['employee', 'hannoverde']); // an editor, also at Hannover.de
const hans = person('hans', ['unit_head', 'communications'], [UNIT]);
const hugo = person('hugo', ['unit_head', 'data_protection'], [UNIT]);
const POOL: Actor[] = [
  anna,
  emma,
  erik,
  hans,
  hugo,
  person('dora', ['communications'], [], [hans]), // deputy of the unit head
  person('xena', [], [], [anna, emma]), // deputy of the author and of an editor
  person('paul', [], [], [hugo, hans]), // deputy of both heads
  person('carl', ['communications']),
  person('dana', ['data_protection', 'hannoverde']),
  person('hedi', ['hannoverde']),
  person('otto', ['unit_head'], ['50']),
  person('system', []),
];

const STEP_IDS = [...DIENSTANWEISUNG_V1.steps.map((s) => s.id), 'bogus'];

/**
 * A step target: mostly "one of the steps open right now" (resolved when the move is played,
 * so sequences make progress), sometimes any step id including an unknown one.
 */
type Target = { open: number } | { id: string };
const target: fc.Arbitrary<Target> = fc.oneof(
  { weight: 4, arbitrary: fc.nat(3).map((open) => ({ open })) },
  { weight: 1, arbitrary: fc.constantFrom(...STEP_IDS).map((id) => ({ id })) },
);
const comment = fc.constantFrom('', '   ', 'Begründung');
const changedFields = fc.option(fc.subarray(['name', 'url', 'description', 'editors']), { nil: undefined });

type Move =
  | { type: 'submit' | 'resubmit'; changedFields: string[] | undefined }
  | { type: 'approve' | 'publish'; target: Target; comment: string | undefined }
  | { type: 'return' | 'reject'; target: Target; comment: string }
  | { type: 'withdraw'; comment: string | undefined }
  | { type: 'sync' };

// Submissions are mostly tried by the author (else sequences rarely leave the draft); decisions
// and withdrawals by anybody in the pool (a withdrawal by the author ends the run early).
const anyone = fc.constantFrom(...POOL);
const mostlyAuthor = fc.oneof({ weight: 4, arbitrary: fc.constant(anna) }, { weight: 1, arbitrary: anyone });
const by = (kind: fc.Arbitrary<Move>, actor: fc.Arbitrary<Actor>) => fc.record({ kind, actor });

const moveKind = fc.oneof(
  {
    weight: 4,
    arbitrary: by(
      changedFields.map((f): Move => ({ type: 'submit', changedFields: f })),
      mostlyAuthor,
    ),
  },
  {
    weight: 4,
    arbitrary: by(
      changedFields.map((f): Move => ({ type: 'resubmit', changedFields: f })),
      mostlyAuthor,
    ),
  },
  {
    weight: 30,
    arbitrary: by(
      fc
        .tuple(fc.constantFrom('approve', 'publish'), target, fc.option(comment, { nil: undefined }))
        .map(([type, t, c]): Move => ({ type, target: t, comment: c })),
      anyone,
    ),
  },
  {
    weight: 3,
    arbitrary: by(
      fc.tuple(target, comment).map(([t, c]): Move => ({ type: 'return', target: t, comment: c })),
      anyone,
    ),
  },
  {
    weight: 1,
    arbitrary: by(
      fc.tuple(target, comment).map(([t, c]): Move => ({ type: 'reject', target: t, comment: c })),
      anyone,
    ),
  },
  {
    weight: 1,
    arbitrary: by(
      fc.option(comment, { nil: undefined }).map((c): Move => ({ type: 'withdraw', comment: c })),
      anyone,
    ),
  },
  { weight: 3, arbitrary: by(fc.constant<Move>({ type: 'sync' }), anyone) },
);

const move = fc.record({
  play: moveKind,
  // Mostly confirmed, so that step 3 can open; unconfirmed often enough to exercise `sync`.
  editorsConfirmed: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  minutesLater: fc.integer({ min: 1, max: 60 * 24 * 3 }),
});

function toAction(m: Move, instance: Instance): Action {
  if (!('target' in m))
    return m.type === 'submit' || m.type === 'resubmit' ? { type: m.type, changedFields: m.changedFields } : m;
  const open = Object.entries(instance.steps)
    .filter(([, s]) => s.state === 'open')
    .map(([id]) => id);
  const stepId = 'id' in m.target ? m.target.id : (open[m.target.open % Math.max(open.length, 1)] ?? 'unit_head');
  return { ...m, stepId };
}

const isDone = (state: string) => state === 'approved' || state === 'skipped';

function checkInvariants(instance: Instance): void {
  const steps = DIENSTANWEISUNG_V1.steps;
  const status = (id: string) => instance.steps[id]?.state ?? 'missing';

  // (1) Published only if every step is approved or skipped.
  if (instance.status === 'published') expect(steps.every((s) => isDone(status(s.id)))).toBe(true);

  // (2) Nobody, as decider or principal, appears on two different steps.
  const stepsByUid = new Map<string, Set<string>>();
  for (const [id, s] of Object.entries(instance.steps)) {
    for (const uid of [s.decidedBy, s.onBehalfOf]) {
      if (uid === undefined) continue;
      stepsByUid.set(uid, (stepsByUid.get(uid) ?? new Set()).add(id));
    }
  }
  for (const [uid, ids] of stepsByUid) expect({ uid, steps: ids.size }).toEqual({ uid, steps: 1 });

  // (4) The author and editors never decide.
  for (const uid of [instance.authorUid, ...instance.editorUids]) expect(stepsByUid.has(uid)).toBe(false);

  // Open steps exist only in review, and only once their prerequisites are done.
  for (const step of steps) {
    if (status(step.id) !== 'open') continue;
    expect(instance.status).toBe('in_review');
    expect(step.after.every((dep) => isDone(status(dep)))).toBe(true);
  }
}

describe('decide: properties over random action sequences (Dienstanweisung v1)', () => {
  it('keeps the four-eyes, own-request, publication and finality invariants', () => {
    let published = 0;
    let finished = 0;
    fc.assert(
      fc.property(fc.array(move, { minLength: 10, maxLength: 60, size: 'max' }), (moves) => {
        let instance = newInstance(DIENSTANWEISUNG_V1, {
          authorUid: anna.uid,
          editorUids: [emma.uid, erik.uid],
          unit: UNIT,
        });
        let time = Date.parse('2027-01-04T08:00:00Z');
        for (const m of moves) {
          const action = toAction(m.play.kind, instance);
          time += m.minutesLater * 60_000;
          const before = structuredClone(instance);
          const result = decide({
            definition: DIENSTANWEISUNG_V1,
            instance,
            action,
            actor: m.play.actor,
            now: new Date(time),
            context: { editorsConfirmed: m.editorsConfirmed },
          });
          // The input is never mutated, whatever the outcome.
          expect(instance).toEqual(before);

          if (isFinal(before.status)) {
            // (3) A finished request accepts nothing and stays as it is.
            expect(result).toEqual({ ok: false, refusal: { code: 'finished', status: before.status } });
            continue;
          }
          if (!result.ok) continue;
          instance = result.instance;
          checkInvariants(instance);
          if (instance.status === 'published') {
            published++;
            expect(result.events.map((e) => e.type)).toContain('published');
          }
        }
        if (isFinal(instance.status)) finished++;
      }),
      { numRuns: 300 },
    );
    // The generator must actually reach the interesting end states, or the properties say little.
    expect(published).toBeGreaterThan(0);
    expect(finished).toBeGreaterThan(0);
  });
});
