import type { DeciderRole, WorkflowDefinition, WorkflowStep } from './definition';

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

// ---------------------------------------------------------------------------------------------
// Version 2 (issue #15): each step names the request sections it reviews and a short checklist.
// Migration 0014 adds them as new versions; requests in flight keep version 1.

type Review = Pick<WorkflowStep, 'sections' | 'checklist'>;

/** What each step of the directive reviews (section numbers of the request form, 1–11). */
export const STEP_REVIEWS = {
  unit_head: {
    sections: [1, 3, 7, 10],
    checklist: [
      {
        id: 'necessity',
        text: {
          de: 'Der Auftritt ist für die Aufgaben der Organisationseinheit erforderlich (Abschnitt 3).',
          en: 'The presence is necessary for the tasks of the organisational unit (section 3).',
        },
      },
      {
        id: 'staffing',
        text: {
          de: 'Das Redaktionsteam hat genug Arbeitszeit für Beiträge, Moderation und Antworten.',
          en: 'The editorial team has enough working time for posts, moderation and replies.',
        },
      },
      {
        id: 'training',
        text: {
          de: 'Die Redakteur*innen sind geschult oder zur Schulung angemeldet (Abschnitt 7).',
          en: 'The editors are trained or registered for the training (section 7).',
        },
      },
      {
        id: 'offboarding',
        text: {
          de: 'Vertretung und Entzug der Zugänge beim Ausscheiden sind geregelt (Abschnitt 10).',
          en: 'Deputies and the removal of access when someone leaves are arranged (section 10).',
        },
      },
    ],
  },
  communications: {
    sections: [3, 4, 6, 9, 10],
    checklist: [
      {
        id: 'necessity',
        text: {
          de: 'Die Erforderlichkeit ist überzeugend begründet; kein vorhandener Kanal erfüllt den Zweck.',
          en: 'The necessity is convincingly argued; no existing channel serves the purpose.',
        },
      },
      {
        id: 'concept',
        text: {
          de: 'Das Nutzungskonzept (Zielgruppen, Themen, Takt, Moderation, Erreichbarkeit) ist tragfähig.',
          en: 'The usage concept (audiences, topics, frequency, moderation, availability) is sound.',
        },
      },
      {
        id: 'no_services',
        text: {
          de: 'Über den Auftritt werden keine Verwaltungsleistungen angeboten.',
          en: 'No administrative services are offered through the presence.',
        },
      },
      {
        id: 'accessibility',
        text: {
          de: 'Barrierefreiheit: Alternativtexte, Untertitel und ein alternativer Kanal sind zugesagt.',
          en: 'Accessibility: alt texts, subtitles and an alternative channel are committed to.',
        },
      },
      {
        id: 'security',
        text: {
          de: 'Kontosicherheit: Zwei-Faktor-Anmeldung, keine geteilten Zugangsdaten, Offboarding geregelt.',
          en: 'Account security: two-factor sign-in, no shared credentials, offboarding arranged.',
        },
      },
    ],
  },
  data_protection: {
    sections: [8],
    checklist: [
      {
        id: 'imprint',
        text: {
          de: 'Das Impressum ist erreichbar und vollständig.',
          en: 'The imprint is reachable and complete.',
        },
      },
      {
        id: 'privacy',
        text: {
          de: 'Die Datenschutzerklärung gilt für diesen Auftritt und ist erreichbar.',
          en: 'The privacy notice covers this presence and is reachable.',
        },
      },
      {
        id: 'art26',
        text: {
          de: 'Für die Plattform liegt eine Vereinbarung nach Art. 26 DSGVO (gemeinsame Verantwortlichkeit) vor.',
          en: 'An Art. 26 GDPR agreement (joint controllership) exists for the platform.',
        },
      },
      {
        id: 'joint_controller_ack',
        text: {
          de: 'Die Organisationseinheit hat die gemeinsame Verantwortlichkeit zur Kenntnis genommen.',
          en: 'The organisational unit has acknowledged the joint controllership.',
        },
      },
    ],
  },
  hannoverde: {
    sections: [5, 2],
    checklist: [
      {
        id: 'name_address',
        text: {
          de: 'Name und Adresse des Auftritts sind eindeutig und folgen den Namensregeln.',
          en: 'The name and address of the presence are unambiguous and follow the naming rules.',
        },
      },
      {
        id: 'hannoverde_page',
        text: {
          de: 'Die Seite auf Hannover.de ist benannt; der Auftritt verlinkt auf sie.',
          en: 'The page on Hannover.de is named; the presence links to it.',
        },
      },
      {
        id: 'commitments',
        text: {
          de: 'Zusagen: Inhalte zuerst auf Hannover.de, nicht exklusiv auf der Plattform.',
          en: 'Commitments: content first on Hannover.de, never exclusive to the platform.',
        },
      },
    ],
  },
} as const satisfies Record<string, Review>;

const withReview = (definition: WorkflowDefinition, reviews: Record<string, Review>): WorkflowDefinition =>
  deepFreeze({
    ...structuredClone(definition),
    version: 2,
    steps: definition.steps.map((step) => ({ ...structuredClone(step), ...structuredClone(reviews[step.id] ?? {}) })),
  });

export const DIENSTANWEISUNG_V2: WorkflowDefinition = withReview(DIENSTANWEISUNG_V1, STEP_REVIEWS);

/** A change touches the register's data: the press office reads the concept, Hannover.de name and address. */
export const AENDERUNG_V2: WorkflowDefinition = withReview(AENDERUNG_V1, {
  communications: { sections: [2, 4], checklist: STEP_REVIEWS.communications.checklist.slice(1, 2) },
  hannoverde: { sections: [2, 5], checklist: STEP_REVIEWS.hannoverde.checklist.slice(0, 2) },
});

export const EDITOR_CHANGE_V2: WorkflowDefinition = withReview(EDITOR_CHANGE_V1, {
  unit_head: {
    sections: [7],
    checklist: [STEP_REVIEWS.unit_head.checklist[1], STEP_REVIEWS.unit_head.checklist[2]],
  },
});

/** The newest shipped version of each workflow. */
export const DEFAULT_DEFINITIONS: readonly WorkflowDefinition[] = Object.freeze([
  DIENSTANWEISUNG_V2,
  AENDERUNG_V2,
  EDITOR_CHANGE_V2,
]);

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
