import type { DeciderRole, WorkflowDefinition } from './definition';

/**
 * The workflows the portal ships with. Administrators may upload newer versions; requests in
 * flight keep the version they started with, so these objects must never change in place
 * (they are frozen) — publish a new version instead.
 */

/** The directive's default deadlines: remind after a working week, escalate after two. */
const deadline = (fallbackRole: DeciderRole) => ({
  remindAfterWorkingDays: 5,
  escalateAfterWorkingDays: 10,
  fallbackRole,
});

const STEP_NAMES = {
  unit_head: { de: 'Leitung der Organisationseinheit', en: 'Head of the organisational unit' },
  communications: {
    de: 'Presse- und Informationsamt (Kommunikation)',
    en: 'Press and Information Office (Communications)',
  },
  data_protection: { de: 'Datenschutz', en: 'Data protection' },
  hannoverde: { de: 'Redaktion Hannover.de', en: 'Hannover.de editorial team' },
} as const;

/** New presence (and registration of an existing one): PRODUCT.md "The default workflow". */
export const DIENSTANWEISUNG_V1: WorkflowDefinition = deepFreeze({
  key: 'dienstanweisung',
  version: 1,
  name: {
    de: 'Antrag auf ein dienstliches Social-Media-Angebot',
    en: 'Request for an official social-media presence',
  },
  steps: [
    {
      id: 'unit_head',
      name: STEP_NAMES.unit_head,
      decider: { kind: 'unit_head' },
      after: [],
      deadline: deadline('communications'),
    },
    {
      id: 'communications',
      name: STEP_NAMES.communications,
      decider: { kind: 'role', role: 'communications' },
      after: ['unit_head'],
      deadline: deadline('admin'),
    },
    {
      id: 'data_protection',
      name: STEP_NAMES.data_protection,
      decider: { kind: 'role', role: 'data_protection' },
      after: ['unit_head'],
      deadline: deadline('admin'),
    },
    {
      id: 'hannoverde',
      name: STEP_NAMES.hannoverde,
      decider: { kind: 'role', role: 'hannoverde' },
      after: ['communications', 'data_protection'],
      // The editors carry the presence afterwards; it goes live only once all of them signed.
      requiresEditorConfirmation: true,
      // The staff council is informed of every new presence.
      notifyOnOpen: ['staff_council'],
      deadline: deadline('admin'),
      publishes: true,
    },
  ],
});

/**
 * Change request after publication: communications always; Hannover.de editorial only when the
 * name or URL change (otherwise that step is skipped and the change publishes right after
 * communications approves).
 */
export const AENDERUNG_V1: WorkflowDefinition = deepFreeze({
  key: 'aenderung',
  version: 1,
  name: { de: 'Änderungsantrag', en: 'Change request' },
  steps: [
    {
      id: 'communications',
      name: STEP_NAMES.communications,
      decider: { kind: 'role', role: 'communications' },
      after: [],
      deadline: deadline('admin'),
    },
    {
      id: 'hannoverde',
      name: STEP_NAMES.hannoverde,
      decider: { kind: 'role', role: 'hannoverde' },
      after: ['communications'],
      when: { changedFieldsAny: ['name', 'url'] },
      deadline: deadline('admin'),
      publishes: true,
    },
  ],
});

/** Replacing editors: the unit head alone decides. */
export const EDITOR_CHANGE_V1: WorkflowDefinition = deepFreeze({
  key: 'redaktionswechsel',
  version: 1,
  name: { de: 'Redaktionswechsel', en: 'Change of editors' },
  steps: [
    {
      id: 'unit_head',
      name: STEP_NAMES.unit_head,
      decider: { kind: 'unit_head' },
      after: [],
      deadline: deadline('communications'),
      publishes: true,
    },
  ],
});

export const DEFAULT_DEFINITIONS: readonly WorkflowDefinition[] = Object.freeze([
  DIENSTANWEISUNG_V1,
  AENDERUNG_V1,
  EDITOR_CHANGE_V1,
]);

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
