import { describe, expect, it } from 'vitest';
import {
  authorizeDecision,
  decidableSteps,
  decide,
  newInstance,
  stepsAwaitingEditors,
  type Action,
  type Actor,
  type DecideResult,
  type Instance,
  type RefusalCode,
  type Status,
  type WorkflowEvent,
} from '../../src/workflow/core';
import { AENDERUNG_V1, DIENSTANWEISUNG_V1, EDITOR_CHANGE_V1 } from '../../src/workflow/default-definitions';
import type { WorkflowDefinition } from '../../src/workflow/definition';

// --- People -------------------------------------------------------------------------------------

const UNIT = '41';
const person = (
  uid: string,
  roles: Actor['roles'] = [],
  headOfUnits: string[] = [],
  actingFor: Actor['actingFor'] = [],
): Actor => ({
  uid,
  roles,
  headOfUnits,
  actingFor,
});

const anna = person('anna', ['employee']); // author
const erik = person('erik', ['employee']); // editor
const emma = person('emma', ['employee', 'data_protection']); // editor who also works in data protection
const hans = person('hans', ['unit_head', 'communications'], [UNIT]); // head of unit 41, also in communications
const dora = person('dora', ['communications'], [], [hans]); // hans's deputy, also in communications
const carl = person('carl', ['communications']);
const cleo = person('cleo', ['communications']);
const dana = person('dana', ['data_protection']);
const hedi = person('hedi', ['hannoverde']);
const hugo = person('hugo', ['unit_head', 'communications'], [UNIT]); // deputy head of 41, also in communications
const otto = person('otto', ['unit_head'], ['50']); // head of another unit
const system = person('system');

// --- Helpers ------------------------------------------------------------------------------------

let clock = Date.parse('2027-03-01T08:00:00.000Z');
const tick = () => new Date((clock += 60_000));

function act(
  instance: Instance,
  action: Action,
  actor: Actor,
  options: { definition?: WorkflowDefinition; editorsConfirmed?: boolean; now?: Date } = {},
): DecideResult {
  return decide({
    definition: options.definition ?? DIENSTANWEISUNG_V1,
    instance,
    action,
    actor,
    now: options.now ?? tick(),
    context: { editorsConfirmed: options.editorsConfirmed ?? true },
  });
}

function ok(result: DecideResult): { instance: Instance; events: WorkflowEvent[] } {
  if (!result.ok) throw new Error(`expected success, got refusal ${JSON.stringify(result.refusal)}`);
  return result;
}

/** Runs actions that must all succeed and returns the final instance. */
function run(
  instance: Instance,
  steps: Array<[Action, Actor]>,
  options: { definition?: WorkflowDefinition; editorsConfirmed?: boolean } = {},
): Instance {
  return steps.reduce((current, [action, actor]) => ok(act(current, action, actor, options)).instance, instance);
}

const draft = (definition: WorkflowDefinition = DIENSTANWEISUNG_V1, authorUid = anna.uid) =>
  newInstance(definition, { authorUid, editorUids: [erik.uid, emma.uid], unit: UNIT });

const approve = (stepId: string): Action => ({ type: 'approve', stepId });
const submitted = () => run(draft(), [[{ type: 'submit' }, anna]]);
const inParallelReview = () => run(submitted(), [[approve('unit_head'), hugo]]);

const states = (instance: Instance) =>
  Object.fromEntries(Object.entries(instance.steps).map(([id, s]) => [id, s.state]));
const types = (events: WorkflowEvent[]) => events.map((e) => e.type);

function refusalCode(result: DecideResult): RefusalCode | 'ok' {
  return result.ok ? 'ok' : result.refusal.code;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

// --- Instances in every status -----------------------------------------------------------------

const instanceIn: Record<Status, () => Instance> = {
  draft: () => draft(),
  in_review: submitted,
  returned: () =>
    run(submitted(), [[{ type: 'return', stepId: 'unit_head', comment: 'Bitte Konzept ergänzen' }, hans]]),
  rejected: () => run(submitted(), [[{ type: 'reject', stepId: 'unit_head', comment: 'Nicht erforderlich' }, hans]]),
  withdrawn: () => run(submitted(), [[{ type: 'withdraw' }, anna]]),
  published: () =>
    run(submitted(), [
      [approve('unit_head'), hans],
      [approve('communications'), carl],
      [approve('data_protection'), dana],
      [{ type: 'publish', stepId: 'hannoverde' }, hedi],
    ]),
};

// Each action is performed by the person entitled to it, so only the status decides the outcome.
const actionsByActor: Array<[string, Action, Actor]> = [
  ['submit', { type: 'submit' }, anna],
  ['resubmit', { type: 'resubmit' }, anna],
  ['approve', approve('unit_head'), hans],
  ['publish (on a step that is not open)', { type: 'publish', stepId: 'hannoverde' }, hedi],
  ['return', { type: 'return', stepId: 'unit_head', comment: 'Bitte ergänzen' }, hans],
  ['reject', { type: 'reject', stepId: 'unit_head', comment: 'Abgelehnt' }, hans],
  ['withdraw', { type: 'withdraw' }, anna],
  ['sync', { type: 'sync' }, system],
];

const expected: Record<Status, Record<string, RefusalCode | 'ok'>> = {
  draft: {
    submit: 'ok',
    resubmit: 'invalid_state',
    approve: 'invalid_state',
    'publish (on a step that is not open)': 'invalid_state',
    return: 'invalid_state',
    reject: 'invalid_state',
    withdraw: 'ok',
    sync: 'ok',
  },
  in_review: {
    submit: 'invalid_state',
    resubmit: 'invalid_state',
    approve: 'ok',
    'publish (on a step that is not open)': 'step_not_open',
    return: 'ok',
    reject: 'ok',
    withdraw: 'ok',
    sync: 'ok',
  },
  returned: {
    submit: 'invalid_state',
    resubmit: 'ok',
    approve: 'invalid_state',
    'publish (on a step that is not open)': 'invalid_state',
    return: 'invalid_state',
    reject: 'invalid_state',
    withdraw: 'ok',
    sync: 'ok',
  },
  rejected: Object.fromEntries(actionsByActor.map(([name]) => [name, 'finished'])),
  withdrawn: Object.fromEntries(actionsByActor.map(([name]) => [name, 'finished'])),
  published: Object.fromEntries(actionsByActor.map(([name]) => [name, 'finished'])),
};

describe('decide: every action in every status', () => {
  for (const status of Object.keys(instanceIn) as Status[]) {
    describe(`status ${status}`, () => {
      it('builds an instance in that status', () => {
        expect(instanceIn[status]().status).toBe(status);
      });
      for (const [name, action, actor] of actionsByActor) {
        it(`${name} -> ${expected[status][name]}`, () => {
          const result = act(instanceIn[status](), action, actor);
          expect(refusalCode(result)).toBe(expected[status][name]);
          if (!result.ok && result.refusal.code === 'finished') expect(result.refusal.status).toBe(status);
          if (!result.ok && result.refusal.code === 'invalid_state') {
            expect(result.refusal).toEqual({ code: 'invalid_state', status, action: action.type });
          }
        });
      }
    });
  }

  it('a sync outside review changes nothing and reports nothing', () => {
    for (const status of ['draft', 'returned'] as const) {
      const before = instanceIn[status]();
      const result = ok(act(before, { type: 'sync' }, system));
      expect(result.instance).toEqual(before);
      expect(result.events).toEqual([]);
    }
  });
});

describe('decide: submission', () => {
  it('newInstance starts as a draft with every step waiting', () => {
    const instance = draft();
    expect(instance).toEqual({
      status: 'draft',
      authorUid: 'anna',
      editorUids: ['erik', 'emma'],
      unit: UNIT,
      steps: {
        unit_head: { state: 'waiting' },
        communications: { state: 'waiting' },
        data_protection: { state: 'waiting' },
        hannoverde: { state: 'waiting' },
      },
      pausedSteps: [],
      submissions: 0,
    });
  });

  it('submit opens the steps without prerequisites and names their candidates', () => {
    const now = new Date('2027-03-01T09:00:00.000Z');
    const { instance, events } = ok(act(draft(), { type: 'submit' }, anna, { now }));
    expect(instance.status).toBe('in_review');
    expect(instance.submissions).toBe(1);
    expect(instance.steps.unit_head).toEqual({ state: 'open', openedAt: '2027-03-01T09:00:00.000Z' });
    expect(states(instance)).toMatchObject({
      communications: 'waiting',
      data_protection: 'waiting',
      hannoverde: 'waiting',
    });
    expect(events).toEqual([
      { type: 'submitted', at: '2027-03-01T09:00:00.000Z', actorUid: 'anna', submission: 1 },
      {
        type: 'step_opened',
        at: '2027-03-01T09:00:00.000Z',
        stepId: 'unit_head',
        candidates: { kind: 'unit_head', unit: UNIT },
        notify: [],
        reopened: false,
      },
    ]);
  });

  it('only the author may submit, resubmit or withdraw', () => {
    expect(act(draft(), { type: 'submit' }, erik)).toEqual({
      ok: false,
      refusal: { code: 'not_author', action: 'submit' },
    });
    expect(act(instanceIn.returned(), { type: 'resubmit' }, hans)).toEqual({
      ok: false,
      refusal: { code: 'not_author', action: 'resubmit' },
    });
    expect(act(submitted(), { type: 'withdraw' }, carl)).toEqual({
      ok: false,
      refusal: { code: 'not_author', action: 'withdraw' },
    });
  });
});

describe('decide: the full Dienstanweisung happy path', () => {
  for (const order of [
    ['communications', 'data_protection'],
    ['data_protection', 'communications'],
  ] as const) {
    it(`opens step 3 only after both parallel steps approved (${order.join(' then ')}) and the editors confirmed`, () => {
      let instance = submitted();

      const step1 = ok(
        act(instance, { type: 'approve', stepId: 'unit_head', comment: 'Einverstanden' }, hans, {
          editorsConfirmed: false,
        }),
      );
      instance = step1.instance;
      expect(types(step1.events)).toEqual(['approved', 'step_opened', 'step_opened']);
      expect(states(instance)).toEqual({
        unit_head: 'approved',
        communications: 'open',
        data_protection: 'open',
        hannoverde: 'waiting',
      });
      expect(instance.steps.unit_head).toMatchObject({ decidedBy: 'hans', comment: 'Einverstanden' });
      expect(instance.steps.unit_head?.onBehalfOf).toBeUndefined();

      const deciders = { communications: carl, data_protection: dana };
      const first = ok(act(instance, approve(order[0]), deciders[order[0]], { editorsConfirmed: false }));
      instance = first.instance;
      expect(types(first.events)).toEqual(['approved']);
      expect(instance.steps.hannoverde?.state).toBe('waiting');

      const second = ok(act(instance, approve(order[1]), deciders[order[1]], { editorsConfirmed: false }));
      instance = second.instance;
      // Both approved, but the editors have not all confirmed the guidelines yet.
      expect(instance.steps.hannoverde?.state).toBe('waiting');
      expect(second.events).toContainEqual(
        expect.objectContaining({
          type: 'editor_confirmation_needed',
          stepId: 'hannoverde',
          notifyUids: ['erik', 'emma'],
        }),
      );

      // The request page can say which step waits for the editors, and only while it does.
      expect(stepsAwaitingEditors(DIENSTANWEISUNG_V1, instance, { editorsConfirmed: false })).toEqual(['hannoverde']);
      expect(stepsAwaitingEditors(DIENSTANWEISUNG_V1, instance, { editorsConfirmed: true })).toEqual([]);
      expect(stepsAwaitingEditors(DIENSTANWEISUNG_V1, step1.instance, { editorsConfirmed: false })).toEqual([]);

      // A sync before the confirmation changes nothing and does not nag the editors again.
      const early = ok(act(instance, { type: 'sync' }, system, { editorsConfirmed: false }));
      expect(early.events).toEqual([]);
      expect(early.instance).toEqual(instance);

      const synced = ok(act(instance, { type: 'sync' }, system, { editorsConfirmed: true }));
      instance = synced.instance;
      expect(instance.steps.hannoverde?.state).toBe('open');
      expect(synced.events).toEqual([
        expect.objectContaining({
          type: 'step_opened',
          stepId: 'hannoverde',
          candidates: { kind: 'role', role: 'hannoverde' },
          notify: ['staff_council'],
        }),
      ]);

      const published = ok(act(instance, { type: 'publish', stepId: 'hannoverde', comment: 'Verlinkt' }, hedi));
      expect(published.instance.status).toBe('published');
      expect(Object.values(published.instance.steps).every((s) => s.state === 'approved')).toBe(true);
      expect(types(published.events)).toEqual(['approved', 'published']);
      expect(published.events[1]).toMatchObject({
        stepId: 'hannoverde',
        actorUid: 'hedi',
        notifyUids: ['anna', 'erik', 'emma'],
      });
    });
  }

  it('opens step 3 right away when the editors already confirmed', () => {
    const instance = run(inParallelReview(), [
      [approve('communications'), carl],
      [approve('data_protection'), dana],
    ]);
    expect(instance.steps.hannoverde?.state).toBe('open');
  });

  it('approving the publishing step with "approve" publishes as well', () => {
    const instance = run(inParallelReview(), [
      [approve('communications'), carl],
      [approve('data_protection'), dana],
      [approve('hannoverde'), hedi],
    ]);
    expect(instance.status).toBe('published');
  });

  it('is deterministic: the same input gives the same output', () => {
    const input = { definition: DIENSTANWEISUNG_V1, instance: submitted(), action: approve('unit_head'), actor: hans };
    const now = new Date('2027-04-01T10:00:00Z');
    const a = decide({ ...input, now, context: { editorsConfirmed: true } });
    const b = decide({ ...input, now, context: { editorsConfirmed: true } });
    expect(a).toEqual(b);
  });
});

describe('decide: return and resubmit', () => {
  it('return at 2b while 2a is open pauses 2a; resubmit reopens both and keeps step 1 approved', () => {
    const reviewing = inParallelReview();
    const returned = ok(
      act(reviewing, { type: 'return', stepId: 'data_protection', comment: ' Datenschutzhinweis fehlt ' }, dana),
    );
    expect(returned.instance.status).toBe('returned');
    expect(states(returned.instance)).toEqual({
      unit_head: 'approved',
      communications: 'waiting',
      data_protection: 'returned',
      hannoverde: 'waiting',
    });
    expect(returned.instance.pausedSteps).toEqual(['communications']);
    expect(returned.instance.steps.data_protection).toMatchObject({
      decidedBy: 'dana',
      comment: 'Datenschutzhinweis fehlt',
    });
    expect(returned.events).toEqual([
      expect.objectContaining({
        type: 'returned',
        stepId: 'data_protection',
        actorUid: 'dana',
        comment: 'Datenschutzhinweis fehlt',
        pausedSteps: ['communications'],
        notifyUids: ['anna'],
      }),
    ]);

    const resubmitted = ok(act(returned.instance, { type: 'resubmit' }, anna));
    expect(resubmitted.instance.status).toBe('in_review');
    expect(resubmitted.instance.submissions).toBe(2);
    expect(resubmitted.instance.pausedSteps).toEqual([]);
    expect(states(resubmitted.instance)).toEqual({
      unit_head: 'approved',
      communications: 'open',
      data_protection: 'open',
      hannoverde: 'waiting',
    });
    expect(resubmitted.instance.steps.unit_head).toEqual(reviewing.steps.unit_head);
    // The returned step starts over: the old decision lives on in the history only.
    expect(resubmitted.instance.steps.data_protection?.decidedBy).toBeUndefined();
    expect(types(resubmitted.events)).toEqual(['resubmitted', 'step_opened', 'step_opened']);
    expect(resubmitted.events[0]).toMatchObject({
      reopenedSteps: ['communications', 'data_protection'],
      submission: 2,
    });
    expect(resubmitted.events.filter((e) => e.type === 'step_opened')).toEqual([
      expect.objectContaining({ stepId: 'communications', reopened: true }),
      expect.objectContaining({ stepId: 'data_protection', reopened: true }),
    ]);
  });

  it('after return at step 1 and resubmission, step 1 opens again', () => {
    const instance = run(instanceIn.returned(), [[{ type: 'resubmit' }, anna]]);
    expect(states(instance)).toMatchObject({ unit_head: 'open', communications: 'waiting' });
  });

  it('return and reject need a non-blank comment', () => {
    const reviewing = submitted();
    for (const [type, comment] of [
      ['return', ''],
      ['return', '   '],
      ['reject', ''],
      ['reject', '\n\t'],
    ] as const) {
      expect(act(reviewing, { type, stepId: 'unit_head', comment }, hans)).toEqual({
        ok: false,
        refusal: { code: 'comment_required', stepId: 'unit_head', action: type },
      });
    }
  });
});

describe('decide: reject and withdraw are final', () => {
  it('reject ends the request and closes the other open steps', () => {
    const result = ok(
      act(inParallelReview(), { type: 'reject', stepId: 'communications', comment: 'Kein Bedarf' }, carl),
    );
    expect(result.instance.status).toBe('rejected');
    expect(states(result.instance)).toMatchObject({ communications: 'rejected', data_protection: 'waiting' });
    expect(result.events).toEqual([
      expect.objectContaining({
        type: 'rejected',
        stepId: 'communications',
        actorUid: 'carl',
        comment: 'Kein Bedarf',
        cancelledSteps: [{ stepId: 'data_protection', candidates: { kind: 'role', role: 'data_protection' } }],
        notifyUids: ['anna'],
      }),
    ]);
    expect(act(result.instance, approve('data_protection'), dana)).toEqual({
      ok: false,
      refusal: { code: 'finished', status: 'rejected' },
    });
  });

  it('the author may withdraw from draft, review and returned, and nothing happens afterwards', () => {
    for (const status of ['draft', 'in_review', 'returned'] as const) {
      const result = ok(act(instanceIn[status](), { type: 'withdraw', comment: 'Erledigt sich' }, anna));
      expect(result.instance.status).toBe('withdrawn');
      expect(Object.values(result.instance.steps).some((s) => s.state === 'open')).toBe(false);
      expect(result.events[0]).toMatchObject({ type: 'withdrawn', actorUid: 'anna', comment: 'Erledigt sich' });
      expect(act(result.instance, { type: 'resubmit' }, anna)).toEqual({
        ok: false,
        refusal: { code: 'finished', status: 'withdrawn' },
      });
    }
  });

  it('withdrawing during review names the steps whose candidates lose a task', () => {
    const result = ok(act(inParallelReview(), { type: 'withdraw' }, anna));
    expect(result.events).toEqual([
      expect.objectContaining({
        type: 'withdrawn',
        cancelledSteps: [
          { stepId: 'communications', candidates: { kind: 'role', role: 'communications' } },
          { stepId: 'data_protection', candidates: { kind: 'role', role: 'data_protection' } },
        ],
      }),
    ]);
  });
});

describe('decide: step guards', () => {
  it('refuses unknown steps', () => {
    expect(act(submitted(), approve('nope'), hans)).toEqual({
      ok: false,
      refusal: { code: 'unknown_step', stepId: 'nope' },
    });
  });

  it('refuses "publish" on a step that does not publish', () => {
    expect(act(inParallelReview(), { type: 'publish', stepId: 'communications' }, carl)).toEqual({
      ok: false,
      refusal: { code: 'not_publishing_step', stepId: 'communications', publishingStepId: 'hannoverde' },
    });
  });

  it('says who already decided a step and when', () => {
    const now = new Date('2027-03-02T10:15:00.000Z');
    const instance = ok(act(submitted(), approve('unit_head'), hans, { now })).instance;
    expect(act(instance, approve('unit_head'), hugo)).toEqual({
      ok: false,
      refusal: {
        code: 'step_not_open',
        stepId: 'unit_head',
        state: 'approved',
        decidedBy: 'hans',
        decidedAt: '2027-03-02T10:15:00.000Z',
      },
    });
  });

  it('refuses steps that have not opened yet', () => {
    expect(act(submitted(), approve('communications'), carl)).toEqual({
      ok: false,
      refusal: { code: 'step_not_open', stepId: 'communications', state: 'waiting' },
    });
  });

  it('refuses people who are not candidates', () => {
    expect(act(submitted(), approve('unit_head'), otto)).toEqual({
      ok: false,
      refusal: { code: 'not_candidate', stepId: 'unit_head', candidates: { kind: 'unit_head', unit: UNIT } },
    });
    expect(act(inParallelReview(), approve('data_protection'), carl)).toEqual({
      ok: false,
      refusal: {
        code: 'not_candidate',
        stepId: 'data_protection',
        candidates: { kind: 'role', role: 'data_protection' },
      },
    });
  });

  it('an editor may not decide the request even with the right role', () => {
    expect(act(inParallelReview(), approve('data_protection'), emma)).toEqual({
      ok: false,
      refusal: { code: 'own_request', stepId: 'data_protection', uid: 'emma', as: 'self' },
    });
  });

  it('a unit head may not approve their own request', () => {
    const instance = run(draft(DIENSTANWEISUNG_V1, hans.uid), [[{ type: 'submit' }, hans]]);
    expect(act(instance, approve('unit_head'), hans)).toEqual({
      ok: false,
      refusal: { code: 'own_request', stepId: 'unit_head', uid: 'hans', as: 'self' },
    });
  });

  it('a person who approved step 1 cannot approve step 2a even though they hold that role', () => {
    const instance = inParallelReview(); // hugo approved step 1 and is in communications too
    expect(act(instance, approve('communications'), hugo)).toEqual({
      ok: false,
      refusal: {
        code: 'already_decided_another_step',
        stepId: 'communications',
        uid: 'hugo',
        as: 'self',
        otherStepId: 'unit_head',
      },
    });
    // Somebody else from communications may.
    expect(refusalCode(act(instance, approve('communications'), carl))).toBe('ok');
  });

  it('nobody decides both parallel steps', () => {
    const both = person('bea', ['communications', 'data_protection']);
    const instance = run(inParallelReview(), [[approve('communications'), both]]);
    expect(act(instance, approve('data_protection'), both)).toMatchObject({
      ok: false,
      refusal: { code: 'already_decided_another_step', otherStepId: 'communications' },
    });
  });
});

describe('decide: deputies', () => {
  it('a deputy decides on behalf of an absent unit head, and the history says so', () => {
    const { instance, events } = ok(act(submitted(), approve('unit_head'), dora));
    expect(instance.steps.unit_head).toMatchObject({ state: 'approved', decidedBy: 'dora', onBehalfOf: 'hans' });
    expect(events[0]).toMatchObject({ type: 'approved', stepId: 'unit_head', actorUid: 'dora', onBehalfOf: 'hans' });
  });

  it('the principal counts as having decided: neither deputy nor principal decides another step', () => {
    const instance = run(submitted(), [[approve('unit_head'), dora]]);
    expect(act(instance, approve('communications'), dora)).toMatchObject({
      ok: false,
      refusal: { code: 'already_decided_another_step', uid: 'dora', as: 'self', otherStepId: 'unit_head' },
    });
    expect(act(instance, approve('communications'), hans)).toMatchObject({
      ok: false,
      refusal: { code: 'already_decided_another_step', uid: 'hans', as: 'self', otherStepId: 'unit_head' },
    });
  });

  it('a deputy cannot decide when the principal authored the request', () => {
    const instance = run(draft(DIENSTANWEISUNG_V1, hans.uid), [[{ type: 'submit' }, hans]]);
    expect(act(instance, approve('unit_head'), dora)).toEqual({
      ok: false,
      refusal: { code: 'own_request', stepId: 'unit_head', uid: 'hans', as: 'principal' },
    });
  });

  it('a deputy cannot decide for someone when the deputy is an editor of the request', () => {
    const editorDeputy = person('erik', ['employee'], [], [hans]);
    expect(act(submitted(), approve('unit_head'), editorDeputy)).toEqual({
      ok: false,
      refusal: { code: 'own_request', stepId: 'unit_head', uid: 'erik', as: 'self' },
    });
  });

  it('a deputy for a principal who already decided another step is refused', () => {
    // A deputy without roles of their own can only act through hans, who is spent.
    const plainDeputy = person('paul', [], [], [hans]);
    const instance = run(submitted(), [[approve('unit_head'), hans]]);
    expect(act(instance, approve('communications'), plainDeputy)).toEqual({
      ok: false,
      refusal: {
        code: 'already_decided_another_step',
        stepId: 'communications',
        uid: 'hans',
        as: 'principal',
        otherStepId: 'unit_head',
      },
    });
  });

  it('acts as themselves when they qualify, even if they deputise for someone', () => {
    const { instance } = ok(act(inParallelReview(), approve('communications'), dora));
    expect(instance.steps.communications).toMatchObject({ decidedBy: 'dora' });
    expect(instance.steps.communications?.onBehalfOf).toBeUndefined();
  });

  it('skips a blocked principal and acts for the next one who qualifies', () => {
    // anna heads unit 41 too but authored the request; olga is the other head.
    const annaAsHead = { ...anna, headOfUnits: [UNIT] };
    const otherHead = person('olga', ['unit_head'], [UNIT]);
    const deputyOfBoth = person('paul', [], [], [annaAsHead, otherHead]);
    expect(authorizeDecision(DIENSTANWEISUNG_V1, submitted(), 'unit_head', deputyOfBoth)).toEqual({
      ok: true,
      onBehalfOf: 'olga',
    });
  });

  it('decidableSteps lists the open steps an actor may decide', () => {
    expect(decidableSteps(DIENSTANWEISUNG_V1, submitted(), dora)).toEqual([
      { stepId: 'unit_head', onBehalfOf: 'hans' },
    ]);
    expect(decidableSteps(DIENSTANWEISUNG_V1, inParallelReview(), dora)).toEqual([{ stepId: 'communications' }]);
    expect(decidableSteps(DIENSTANWEISUNG_V1, inParallelReview(), hugo)).toEqual([]);
    expect(decidableSteps(DIENSTANWEISUNG_V1, draft(), hans)).toEqual([]);
  });
});

describe('decide: change requests (Änderung) and editor changes', () => {
  const change = () => draft(AENDERUNG_V1);

  it('publishes after communications alone when only the description changed', () => {
    const submittedChange = ok(
      act(change(), { type: 'submit', changedFields: ['description'] }, anna, { definition: AENDERUNG_V1 }),
    );
    expect(states(submittedChange.instance)).toEqual({ communications: 'open', hannoverde: 'skipped' });
    expect(submittedChange.events).toContainEqual(
      expect.objectContaining({
        type: 'step_skipped',
        stepId: 'hannoverde',
        conditionFields: ['name', 'url'],
        changedFields: ['description'],
      }),
    );

    const approved = ok(act(submittedChange.instance, approve('communications'), carl, { definition: AENDERUNG_V1 }));
    expect(approved.instance.status).toBe('published');
    expect(types(approved.events)).toEqual(['approved', 'published']);
    expect(approved.events[1]).toMatchObject({ stepId: 'hannoverde', actorUid: 'carl' });
  });

  it('needs Hannover.de editorial when the URL changed', () => {
    const options = { definition: AENDERUNG_V1 };
    let instance = run(change(), [[{ type: 'submit', changedFields: ['url', 'description'] }, anna]], options);
    instance = run(instance, [[approve('communications'), carl]], options);
    expect(instance.status).toBe('in_review');
    expect(instance.steps.hannoverde?.state).toBe('open');
    instance = run(instance, [[{ type: 'publish', stepId: 'hannoverde' }, hedi]], options);
    expect(instance.status).toBe('published');
  });

  it('assumes every step applies when the changed fields are unknown', () => {
    const instance = run(
      change(),
      [
        [{ type: 'submit' }, anna],
        [approve('communications'), carl],
      ],
      { definition: AENDERUNG_V1 },
    );
    expect(instance.steps.hannoverde?.state).toBe('open');
  });

  it('re-evaluates the condition on resubmission when the change grew to include the name', () => {
    const options = { definition: AENDERUNG_V1 };
    let instance = run(
      change(),
      [
        [{ type: 'submit', changedFields: ['description'] }, anna],
        [{ type: 'return', stepId: 'communications', comment: 'Bitte auch den Namen anpassen' }, carl],
        [{ type: 'resubmit', changedFields: ['description', 'name'] }, anna],
      ],
      options,
    );
    expect(states(instance)).toEqual({ communications: 'open', hannoverde: 'waiting' });
    instance = run(instance, [[approve('communications'), cleo]], options);
    expect(instance.steps.hannoverde?.state).toBe('open');
  });

  it('a skipped first step lets the next one open at once', () => {
    const definition: WorkflowDefinition = {
      ...AENDERUNG_V1,
      steps: [
        { ...AENDERUNG_V1.steps[0]!, when: { changedFieldsAny: ['concept'] } },
        { ...AENDERUNG_V1.steps[1]!, when: undefined },
      ],
    };
    const { instance, events } = ok(act(change(), { type: 'submit', changedFields: ['url'] }, anna, { definition }));
    expect(states(instance)).toEqual({ communications: 'skipped', hannoverde: 'open' });
    expect(types(events)).toEqual(['submitted', 'step_skipped', 'step_opened']);
  });

  it('an editor change is published by the unit head alone', () => {
    const instance = run(
      draft(EDITOR_CHANGE_V1),
      [
        [{ type: 'submit' }, anna],
        [approve('unit_head'), hans],
      ],
      {
        definition: EDITOR_CHANGE_V1,
      },
    );
    expect(instance.status).toBe('published');
  });
});

describe('decide: never mutates its input', () => {
  const cases: Array<[string, () => Instance, Action, Actor]> = [
    ['submit', () => draft(), { type: 'submit', changedFields: ['name'] }, anna],
    ['approve', submitted, approve('unit_head'), dora],
    [
      'publish',
      () =>
        run(inParallelReview(), [
          [approve('communications'), carl],
          [approve('data_protection'), dana],
        ]),
      { type: 'publish', stepId: 'hannoverde' },
      hedi,
    ],
    ['return', inParallelReview, { type: 'return', stepId: 'communications', comment: 'x' }, carl],
    ['resubmit', instanceIn.returned, { type: 'resubmit' }, anna],
    ['reject', inParallelReview, { type: 'reject', stepId: 'data_protection', comment: 'x' }, dana],
    ['withdraw', inParallelReview, { type: 'withdraw' }, anna],
    ['sync', inParallelReview, { type: 'sync' }, system],
    ['refused action', submitted, approve('unit_head'), anna],
  ];
  for (const [name, build, action, actor] of cases) {
    it(name, () => {
      const instance = build();
      const snapshot = structuredClone(instance);
      // Frozen: any write to the input would throw.
      const result = act(deepFreeze(instance), action, actor);
      expect(instance).toEqual(snapshot);
      if (result.ok) {
        expect(result.instance).not.toBe(instance);
        expect(result.instance.steps).not.toBe(instance.steps);
      }
    });
  }
});
