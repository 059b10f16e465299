import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  AENDERUNG_V1,
  AENDERUNG_V2,
  DEFAULT_DEFINITIONS,
  DIENSTANWEISUNG_V1,
  DIENSTANWEISUNG_V2,
  EDITOR_CHANGE_V1,
  EDITOR_CHANGE_V2,
} from '../../src/workflow/default-definitions';
import { REQUEST_SECTIONS } from '../../src/requests/form';
import {
  REQUEST_SECTION_COUNT,
  parseDefinition,
  publishingStep,
  type WorkflowDefinition,
} from '../../src/workflow/definition';

/** A mutable deep copy of the default workflow, to break in one place per test. */
const editable = (): any => structuredClone(DIENSTANWEISUNG_V1);

function errorsOf(input: unknown): string[] {
  const result = parseDefinition(input);
  if (result.ok) throw new Error('expected the definition to be invalid');
  return result.errors;
}

describe('default definitions', () => {
  it.each([
    ['DIENSTANWEISUNG_V1', DIENSTANWEISUNG_V1],
    ['AENDERUNG_V1', AENDERUNG_V1],
    ['EDITOR_CHANGE_V1', EDITOR_CHANGE_V1],
    ['DIENSTANWEISUNG_V2', DIENSTANWEISUNG_V2],
    ['AENDERUNG_V2', AENDERUNG_V2],
    ['EDITOR_CHANGE_V2', EDITOR_CHANGE_V2],
  ])('%s passes parseDefinition unchanged', (_name, definition) => {
    expect(parseDefinition(definition)).toEqual({ ok: true, definition });
  });

  it('DIENSTANWEISUNG_V1 has the steps and order of PRODUCT.md', () => {
    expect(DIENSTANWEISUNG_V1.key).toBe('dienstanweisung');
    expect(DIENSTANWEISUNG_V1.version).toBe(1);
    expect(DIENSTANWEISUNG_V1.steps.map((s) => [s.id, s.decider, s.after])).toEqual([
      ['unit_head', { kind: 'unit_head' }, []],
      ['communications', { kind: 'role', role: 'communications' }, ['unit_head']],
      ['data_protection', { kind: 'role', role: 'data_protection' }, ['unit_head']],
      ['hannoverde', { kind: 'role', role: 'hannoverde' }, ['communications', 'data_protection']],
    ]);
    expect(DIENSTANWEISUNG_V1.steps.map((s) => s.name.de)).toEqual([
      'Leitung der Organisationseinheit',
      'Presse- und Informationsamt (Kommunikation)',
      'Datenschutz',
      'Redaktion Hannover.de',
    ]);
    expect(DIENSTANWEISUNG_V1.steps.map((s) => s.deadline)).toEqual([
      { remindAfterWorkingDays: 5, escalateAfterWorkingDays: 10, fallbackRole: 'communications' },
      { remindAfterWorkingDays: 5, escalateAfterWorkingDays: 10, fallbackRole: 'admin' },
      { remindAfterWorkingDays: 5, escalateAfterWorkingDays: 10, fallbackRole: 'admin' },
      { remindAfterWorkingDays: 5, escalateAfterWorkingDays: 10, fallbackRole: 'admin' },
    ]);
    expect(publishingStep(DIENSTANWEISUNG_V1)).toMatchObject({
      id: 'hannoverde',
      requiresEditorConfirmation: true,
      notifyOnOpen: ['staff_council'],
    });
  });

  it('AENDERUNG_V1 involves Hannover.de only when name or URL change', () => {
    expect(AENDERUNG_V1.key).toBe('aenderung');
    expect(publishingStep(AENDERUNG_V1)).toMatchObject({
      id: 'hannoverde',
      after: ['communications'],
      when: { changedFieldsAny: ['name', 'url'] },
    });
  });

  it('EDITOR_CHANGE_V1 is a single unit-head step that publishes', () => {
    expect(EDITOR_CHANGE_V1.key).toBe('redaktionswechsel');
    expect(EDITOR_CHANGE_V1.steps).toHaveLength(1);
    expect(EDITOR_CHANGE_V1.steps[0]).toMatchObject({
      id: 'unit_head',
      decider: { kind: 'unit_head' },
      after: [],
      publishes: true,
    });
  });

  it('version 2 names the sections each step reviews and a checklist, and changes nothing else', () => {
    expect(DIENSTANWEISUNG_V2.version).toBe(2);
    expect(DIENSTANWEISUNG_V2.steps.map((s) => [s.id, s.sections])).toEqual([
      ['unit_head', [1, 3, 7, 10]],
      ['communications', [3, 4, 6, 9, 10]],
      ['data_protection', [8]],
      ['hannoverde', [5, 2]],
    ]);
    for (const d of [DIENSTANWEISUNG_V2, AENDERUNG_V2, EDITOR_CHANGE_V2]) {
      for (const step of d.steps) {
        expect(step.checklist?.length, `${d.key}/${step.id}`).toBeGreaterThan(0);
        for (const item of step.checklist ?? []) expect(item.text.de && item.text.en).toBeTruthy();
      }
    }
    // data protection checks the platform's Art. 26 agreement
    expect(DIENSTANWEISUNG_V2.steps[2]?.checklist?.map((i) => i.id)).toContain('art26');
    // apart from sections and checklists, version 2 is version 1
    const strip = (d: WorkflowDefinition) => ({
      ...d,
      version: 0,
      steps: d.steps.map(({ sections: _s, checklist: _c, ...rest }) => rest),
    });
    expect(strip(DIENSTANWEISUNG_V2)).toEqual(strip(DIENSTANWEISUNG_V1));
    expect(strip(AENDERUNG_V2)).toEqual(strip(AENDERUNG_V1));
    expect(strip(EDITOR_CHANGE_V2)).toEqual(strip(EDITOR_CHANGE_V1));
    expect(DEFAULT_DEFINITIONS).toEqual([DIENSTANWEISUNG_V2, AENDERUNG_V2, EDITOR_CHANGE_V2]);
  });

  it('the section numbers are those of the request form', () => {
    expect(REQUEST_SECTIONS.map((s) => s.n)).toEqual(Array.from({ length: REQUEST_SECTION_COUNT }, (_, i) => i + 1));
  });

  it('are frozen, so a running request can never see its definition change', () => {
    expect(DEFAULT_DEFINITIONS).toHaveLength(3);
    expect(Object.isFrozen(DIENSTANWEISUNG_V1.steps[0]?.after)).toBe(true);
    expect(() => {
      (DIENSTANWEISUNG_V1.steps as unknown[]).push({});
    }).toThrow(TypeError);
  });

  it('round-trips through JSON and YAML, as administrators upload them', () => {
    const yaml = `
key: aenderung
version: 2
name: { de: Änderungsantrag, en: Change request }
steps:
  - id: communications
    name: { de: Kommunikation, en: Communications }
    decider: { kind: role, role: communications }
    after: []
  - id: hannoverde
    name: { de: Redaktion Hannover.de, en: Hannover.de editorial team }
    decider: { kind: role, role: hannoverde }
    after: [communications]
    when: { changedFieldsAny: [name, url] }
    publishes: true
`;
    expect(parseDefinition(parseYaml(yaml))).toMatchObject({ ok: true, definition: { key: 'aenderung', version: 2 } });
    expect(parseDefinition(JSON.parse(JSON.stringify(DIENSTANWEISUNG_V1)))).toEqual({
      ok: true,
      definition: DIENSTANWEISUNG_V1,
    });
  });
});

describe('parseDefinition: graph errors', () => {
  it('reports a cycle with the steps on it', () => {
    const d = editable();
    d.steps[0].after = ['hannoverde']; // unit_head waits for hannoverde, which (indirectly) waits for unit_head
    const errors = errorsOf(d);
    expect(errors).toContain(
      'steps[0].after (step "unit_head"): cycle between steps: unit_head -> hannoverde -> communications -> unit_head',
    );
    expect(errors).toContain('steps: no step has an empty "after", so no step could open on submit');
  });

  it('reports a step that waits for itself', () => {
    const d = editable();
    d.steps[1].after = ['communications'];
    expect(errorsOf(d)).toContain(
      'steps[1].after[0] (step "communications"): step "communications" cannot wait for itself (cycle)',
    );
  });

  it('reports an unknown step in after, with the known ones', () => {
    const d = editable();
    d.steps[3].after = ['communications', 'datenschutz'];
    expect(errorsOf(d)).toEqual([
      'steps[3].after[1] (step "hannoverde"): step "hannoverde" waits for unknown step "datenschutz" ' +
        '(known steps: "unit_head", "communications", "data_protection", "hannoverde")',
    ]);
  });

  it('reports duplicate step ids', () => {
    const d = editable();
    d.steps[2].id = 'communications';
    d.steps[3].after = ['communications'];
    expect(errorsOf(d)).toEqual(['steps[2].id: duplicate step id "communications" (already used by steps[1])']);
  });

  it('reports two publishing steps', () => {
    const d = editable();
    d.steps[2].publishes = true;
    expect(errorsOf(d)).toEqual([
      'steps[3].publishes (step "hannoverde"): only one step may publish, but "data_protection" and "hannoverde" both have "publishes": true',
    ]);
  });

  it('reports a missing publishing step', () => {
    const d = editable();
    delete d.steps[3].publishes;
    expect(errorsOf(d)).toEqual(['steps: no step has "publishes": true; exactly one step must publish the request']);
  });

  it('reports a publishing step that is not last', () => {
    const d = editable();
    d.steps[3].publishes = false;
    d.steps[1].publishes = true;
    expect(errorsOf(d)).toEqual([
      'steps[3].after[0] (step "hannoverde"): step "hannoverde" waits for the publishing step "communications"; the publishing step must be the last step',
      'steps[3] (step "hannoverde"): step "hannoverde" leads nowhere: no step lists it in "after", so it never leads to the publishing step "communications"',
    ]);
  });

  it('reports a branch that never leads to the publishing step', () => {
    const d = editable();
    d.steps[3].after = ['communications']; // data_protection now leads nowhere
    expect(errorsOf(d)).toEqual([
      'steps[2] (step "data_protection"): step "data_protection" leads nowhere: no step lists it in "after", so it never leads to the publishing step "hannoverde"',
    ]);
  });

  it('reports an escalation that does not come after the reminder', () => {
    const d = editable();
    d.steps[0].deadline = { remindAfterWorkingDays: 5, escalateAfterWorkingDays: 5, fallbackRole: 'communications' };
    expect(errorsOf(d)).toEqual([
      'steps[0].deadline.escalateAfterWorkingDays (step "unit_head"): must be greater than remindAfterWorkingDays (the escalation follows the reminder)',
    ]);
  });
});

describe('parseDefinition: shape errors', () => {
  it('names each missing field by its path', () => {
    const d = editable();
    delete d.version;
    delete d.steps[1].name;
    delete d.steps[2].decider;
    delete d.steps[3].after;
    expect(errorsOf(d)).toEqual([
      'version: required field is missing',
      'steps[1].name (step "communications"): required field is missing',
      'steps[2].decider (step "data_protection"): required field is missing',
      'steps[3].after (step "hannoverde"): required field is missing',
    ]);
  });

  it('names a missing translation', () => {
    const d = editable();
    delete d.name.en;
    d.steps[0].name.de = '  ';
    expect(errorsOf(d)).toEqual([
      'name.en: required field is missing',
      'steps[0].name.de (step "unit_head"): must not be empty',
    ]);
  });

  it('rejects unknown keys, so a typo is not silently ignored', () => {
    const d = editable();
    d.steps[3].notifiyOnOpen = ['staff_council'];
    expect(errorsOf(d)).toEqual(['steps[3] (step "hannoverde"): Unrecognized key: "notifiyOnOpen"']);
  });

  it('rejects bad ids, roles, versions and deadlines', () => {
    const d = editable();
    d.version = 0;
    d.steps[0].id = 'Unit Head';
    d.steps[1].decider = { kind: 'role', role: 'employee' };
    d.steps[2].deadline.remindAfterWorkingDays = 2.5;
    d.steps[3].notifyOnOpen = ['citizens'];
    const errors = errorsOf(d);
    expect(errors).toEqual(
      expect.arrayContaining([
        'version: must be an integer >= 1',
        'steps[0].id: must start with a lower-case letter and contain only a-z, 0-9 and _',
        expect.stringMatching(/^steps\[1\]\.decider\.role \(step "communications"\): .*"communications"/),
        expect.stringMatching(/^steps\[2\]\.deadline\.remindAfterWorkingDays \(step "data_protection"\): .*int/i),
        expect.stringMatching(/^steps\[3\]\.notifyOnOpen\[0\] \(step "hannoverde"\): /),
      ]),
    );
  });

  it('accepts a stored version without sections and checklists (older versions still load)', () => {
    const old = JSON.parse(JSON.stringify(DIENSTANWEISUNG_V1));
    const result = parseDefinition(old);
    expect(result).toEqual({ ok: true, definition: DIENSTANWEISUNG_V1 });
    if (result.ok)
      expect(result.definition.steps.every((s) => s.sections === undefined && s.checklist === undefined)).toBe(true);
  });

  it('validates sections and checklists, naming each problem', () => {
    const d = structuredClone(DIENSTANWEISUNG_V2) as any;
    d.steps[0].sections = [0, 3, 3, 12, 'acht'];
    d.steps[1].checklist = [
      { id: 'concept', text: { de: 'Konzept', en: 'Concept' } },
      { id: 'concept', text: { de: 'Noch einmal', en: 'Again' } },
      { id: 'Bad Id', text: { de: 'x', en: 'x' } },
      { id: 'no_en', text: { de: 'Nur deutsch' } },
      { id: 'long', text: { de: 'x'.repeat(301), en: 'x' } },
      { id: 'typo', text: { de: 'x', en: 'x' }, txet: 'x' },
    ];
    d.steps[2].checklist = Array.from({ length: 21 }, (_, i) => ({ id: `item${i}`, text: { de: 'x', en: 'x' } }));
    expect(errorsOf(d)).toEqual(
      expect.arrayContaining([
        'steps[0].sections[0] (step "unit_head"): must be a section number from 1 to 11',
        'steps[0].sections[3] (step "unit_head"): must be a section number from 1 to 11',
        expect.stringMatching(/^steps\[0\]\.sections\[4\] \(step "unit_head"\): /),
        'steps[1].checklist[2].id (step "communications"): must start with a lower-case letter and contain only a-z, 0-9 and _',
        'steps[1].checklist[3].text.en (step "communications"): required field is missing',
        'steps[1].checklist[4].text.de (step "communications"): must be at most 300 characters long',
        'steps[1].checklist[5] (step "communications"): Unrecognized key: "txet"',
        'steps[2].checklist (step "data_protection"): must have at most 20 items',
      ]),
    );
    // repeats are named once every entry itself is well-formed
    const twice = structuredClone(DIENSTANWEISUNG_V2) as any;
    twice.steps[0].sections = [3, 7, 3];
    twice.steps[1].checklist = [
      { id: 'concept', text: { de: 'Konzept', en: 'Concept' } },
      { id: 'concept', text: { de: 'Noch einmal', en: 'Again' } },
    ];
    expect(errorsOf(twice)).toEqual([
      'steps[0].sections[2] (step "unit_head"): section 3 is listed twice',
      'steps[1].checklist[1].id (step "communications"): duplicate checklist item id "concept"',
    ]);
  });

  it('rejects input that is not an object, or has no steps', () => {
    expect(errorsOf('dienstanweisung')).toEqual(['(root): Invalid input: expected object, received string']);
    expect(errorsOf({ ...editable(), steps: [] })).toEqual(['steps: a workflow needs at least one step']);
  });

  it('returns the parsed definition typed', () => {
    const result = parseDefinition(editable());
    expect(result.ok).toBe(true);
    if (result.ok) {
      const definition: WorkflowDefinition = result.definition;
      expect(definition.steps).toHaveLength(4);
    }
  });
});
