import { z } from 'zod';
import { LIMITS, isCalendarDate, isoDay } from '../limits';

/**
 * The request form (PRODUCT.md "The request", items 1–11) as plain data. A draft may be
 * incomplete; `validateForSubmit` names every problem at once.
 */
export const TEXT_FIELDS = [
  'orgUnit',
  'kind',
  'existingSince',
  'platform',
  'name',
  'url',
  'description',
  'necessity',
  'purpose',
  'targetGroups',
  'topics',
  'contentTypes',
  'postingFrequency',
  'interaction',
  'moderation',
  'staffedHours',
  'responseTime',
  'hannoverDeUrl',
  'trainingDate',
  'imprintUrl',
  'privacyUrl',
  'alternativeChannel',
  'offboarding',
  'reviewMonths',
] as const;

export const CHECK_FIELDS = [
  'commitHannoverDeOnly',
  'commitNotExclusive',
  'commitLinkBack',
  'noServices',
  'jointControllerAck',
  'a11yAltText',
  'a11ySubtitles',
  'twoFactor',
  'noSharedCredentials',
] as const;

export const EDITOR_SLOTS = 4;

export type TextField = (typeof TEXT_FIELDS)[number];
export type CheckField = (typeof CHECK_FIELDS)[number];

export interface RequestData extends Record<TextField, string>, Record<CheckField, boolean> {
  editors: string[]; // directory user ids, lead first
}

const LONG = new Set<TextField>([
  'necessity',
  'purpose',
  'targetGroups',
  'topics',
  'contentTypes',
  'interaction',
  'moderation',
  'offboarding',
  'description',
]);
/** The longest entry of each field (src/limits.ts: the name is the title column, URLs the register's). */
export const maxLength = (f: TextField): number =>
  LONG.has(f)
    ? LIMITS.longText
    : f.endsWith('Url') || f === 'url'
      ? LIMITS.url
      : f === 'name'
        ? LIMITS.name
        : LIMITS.shortText;

export function emptyRequestData(): RequestData {
  const data = { editors: [] } as unknown as RequestData;
  for (const f of TEXT_FIELDS) (data as unknown as Record<string, string>)[f] = '';
  for (const f of CHECK_FIELDS) (data as unknown as Record<string, boolean>)[f] = false;
  data.kind = 'new';
  data.reviewMonths = '12';
  return data;
}

const DATE_FIELDS = ['existingSince', 'trainingDate'] as const;

const text = z.unknown().transform((v) => (typeof v === 'string' ? v.replace(/\r\n/g, '\n').trim() : ''));

/**
 * Reads a submitted form into RequestData. Anything that is not a string becomes empty,
 * unknown fields are ignored. Over-long text is kept as typed: `lengthProblems` refuses it
 * before anything is stored, and the form comes back with every entry.
 */
export function readForm(body: Record<string, unknown>): RequestData {
  const data = emptyRequestData();
  for (const f of TEXT_FIELDS) (data as unknown as Record<string, string>)[f] = text.parse(body[f]);
  for (const f of CHECK_FIELDS) (data as unknown as Record<string, boolean>)[f] = body[f] === 'ja';
  // a browser without a date picker sends what the hint asks for: TT.MM.JJJJ
  for (const f of DATE_FIELDS) data[f] = isoDay(data[f]);
  const editors: string[] = [];
  for (let i = 1; i <= EDITOR_SLOTS; i++) {
    const v = text.parse(body[`editor${i}`]).toLowerCase();
    if (v) editors.push(v);
  }
  data.editors = editors;
  if (!data.kind) data.kind = 'new';
  return data;
}

/** Stored data from older drafts may lack newer fields: fill them in. */
export function normaliseStored(stored: unknown): RequestData {
  const base = emptyRequestData();
  if (!stored || typeof stored !== 'object') return base;
  const s = stored as Record<string, unknown>;
  for (const f of TEXT_FIELDS) if (typeof s[f] === 'string') (base as unknown as Record<string, string>)[f] = s[f];
  for (const f of CHECK_FIELDS) if (typeof s[f] === 'boolean') (base as unknown as Record<string, boolean>)[f] = s[f];
  if (Array.isArray(s.editors)) base.editors = s.editors.filter((e): e is string => typeof e === 'string');
  return base;
}

export interface FormProblem {
  field: string;
  message: string; // message key (requests.error.*)
  params?: Record<string, string>;
}

const isDate = isCalendarDate;

/**
 * Entries longer than their field allows (src/limits.ts). Checked before a draft is
 * stored, on saving as on submitting: nothing over-long reaches the database.
 */
export function lengthProblems(data: RequestData): FormProblem[] {
  const problems: FormProblem[] = [];
  for (const f of TEXT_FIELDS) {
    if (data[f].length > maxLength(f))
      problems.push({ field: f, message: 'requests.error.tooLong', params: { max: String(maxLength(f)) } });
  }
  for (const [i, uid] of data.editors.entries()) {
    if (uid.length > LIMITS.uid)
      problems.push({
        field: `editor${i + 1}`,
        message: 'requests.error.tooLong',
        params: { max: String(LIMITS.uid) },
      });
  }
  return problems;
}

function httpsUrl(v: string): URL | undefined {
  try {
    const u = new URL(v);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u : undefined;
  } catch {
    return undefined;
  }
}

/** Is this URL on hannover.de (the domain or a subdomain of it)? */
export function isHannoverDeUrl(v: string): boolean {
  const u = httpsUrl(v);
  if (!u || u.username || u.password) return false;
  const host = u.hostname.toLowerCase().replace(/\.$/, '');
  return host === 'hannover.de' || host.endsWith('.hannover.de');
}

/**
 * The editors list, each problem at the slot it concerns: too few names at the first empty
 * slot (the form shows the names it kept in slots 1, 2, …), a person named twice at the second
 * naming, with the person's id as `name` (the service puts the directory's name in).
 */
export function editorProblems(editors: string[]): FormProblem[] {
  if (editors.length < 2) return [{ field: `editor${editors.length + 1}`, message: 'requests.error.editorsTooFew' }];
  return editors.flatMap((uid, i) =>
    editors.indexOf(uid) < i
      ? [{ field: `editor${i + 1}`, message: 'requests.error.editorsDuplicate', params: { name: uid, uid } }]
      : [],
  );
}

/**
 * Everything that can be checked without the database. Checks that need it (unit exists,
 * platform enabled, URL canonical and not yet registered, editors in the directory) are
 * added by the service.
 */
export function validateForSubmit(data: RequestData, now: Date): FormProblem[] {
  const problems: FormProblem[] = [];
  const need = (field: TextField, key = `requests.error.${field}`) => {
    if (!data[field]) problems.push({ field, message: key });
  };
  const tooLong = (field: TextField) => {
    if (data[field].length > maxLength(field))
      problems.push({ field, message: 'requests.error.tooLong', params: { max: String(maxLength(field)) } });
  };
  const check = (field: CheckField) => {
    if (!data[field]) problems.push({ field, message: `requests.error.${field}` });
  };

  need('orgUnit');
  if (data.kind !== 'new' && data.kind !== 'existing') problems.push({ field: 'kind', message: 'requests.error.kind' });
  if (data.kind === 'existing') {
    if (!data.existingSince) problems.push({ field: 'existingSince', message: 'requests.error.existingSince' });
    else if (!isDate(data.existingSince) || new Date(data.existingSince) > now)
      problems.push({ field: 'existingSince', message: 'requests.error.existingSinceInvalid' });
  }
  need('platform');
  need('name');
  need('url');
  need('description');
  need('necessity');
  for (const f of [
    'purpose',
    'targetGroups',
    'topics',
    'contentTypes',
    'postingFrequency',
    'interaction',
    'moderation',
    'staffedHours',
    'responseTime',
  ] as const)
    need(f);
  if (!data.hannoverDeUrl) need('hannoverDeUrl');
  else if (!isHannoverDeUrl(data.hannoverDeUrl))
    problems.push({ field: 'hannoverDeUrl', message: 'requests.error.hannoverDeUrlDomain' });
  check('commitHannoverDeOnly');
  check('commitNotExclusive');
  check('commitLinkBack');
  check('noServices');

  problems.push(...editorProblems(data.editors));
  if (!data.trainingDate) need('trainingDate');
  else if (!isDate(data.trainingDate)) problems.push({ field: 'trainingDate', message: 'requests.error.dateInvalid' });

  for (const f of ['imprintUrl', 'privacyUrl'] as const) {
    if (!data[f]) need(f);
    else if (!httpsUrl(data[f])) problems.push({ field: f, message: 'requests.error.urlInvalid' });
  }
  check('jointControllerAck');
  check('a11yAltText');
  check('a11ySubtitles');
  need('alternativeChannel');
  check('twoFactor');
  check('noSharedCredentials');
  need('offboarding');
  const months = Number(data.reviewMonths);
  if (!Number.isInteger(months) || months < 1 || months > 12)
    problems.push({ field: 'reviewMonths', message: 'requests.error.reviewMonths' });

  for (const f of TEXT_FIELDS) if (!problems.some((p) => p.field === f)) tooLong(f);
  return problems;
}

/** After publication only the register's data is checked again: name, address, description, editors. */
export function validateChange(data: RequestData): FormProblem[] {
  const problems: FormProblem[] = [];
  for (const f of ['name', 'url', 'description', 'orgUnit', 'platform'] as const) {
    if (!data[f]) problems.push({ field: f, message: `requests.error.${f}` });
  }
  // every field of the change form, not only the five above, ends up in the register
  for (const p of lengthProblems(data)) if (!problems.some((q) => q.field === p.field)) problems.push(p);
  if (data.hannoverDeUrl && !isHannoverDeUrl(data.hannoverDeUrl))
    problems.push({ field: 'hannoverDeUrl', message: 'requests.error.hannoverDeUrlDomain' });
  problems.push(...editorProblems(data.editors));
  return problems;
}

/** A short title for lists: the proposed name, or a placeholder for an empty draft. */
export function requestTitle(data: RequestData): string {
  return data.name || '';
}

/** Fields whose change after publication needs the Hannover.de editorial step again. */
export const IDENTITY_FIELDS = ['name', 'url', 'platform'] as const;

/**
 * The form's numbered sections (PRODUCT.md "The request", items 1–11) and the fields each
 * holds. Workflow steps name them by number (src/workflow/definition.ts REQUEST_SECTION_COUNT);
 * the request page shows a decider their step's sections first, and a return points to them.
 */
export const REQUEST_SECTIONS = [
  { n: 1, key: 'unit', fields: ['orgUnit', 'kind', 'existingSince'] },
  { n: 2, key: 'platform', fields: ['platform', 'name', 'url', 'description'] },
  { n: 3, key: 'necessity', fields: ['necessity'] },
  {
    n: 4,
    key: 'concept',
    fields: [
      'purpose',
      'targetGroups',
      'topics',
      'contentTypes',
      'postingFrequency',
      'interaction',
      'moderation',
      'staffedHours',
      'responseTime',
    ],
  },
  {
    n: 5,
    key: 'hannoverde',
    fields: ['hannoverDeUrl', 'commitHannoverDeOnly', 'commitNotExclusive', 'commitLinkBack'],
  },
  { n: 6, key: 'services', fields: ['noServices'] },
  { n: 7, key: 'editors', fields: ['editors', 'trainingDate'] },
  { n: 8, key: 'legal', fields: ['imprintUrl', 'privacyUrl', 'jointControllerAck'] },
  { n: 9, key: 'accessibility', fields: ['a11yAltText', 'a11ySubtitles', 'alternativeChannel'] },
  { n: 10, key: 'security', fields: ['twoFactor', 'noSharedCredentials', 'offboarding'] },
  { n: 11, key: 'review', fields: ['reviewMonths'] },
] as const satisfies ReadonlyArray<{
  n: number;
  key: string;
  fields: ReadonlyArray<TextField | CheckField | 'editors'>;
}>;

export type RequestSection = (typeof REQUEST_SECTIONS)[number];

/** The section a field belongs to (editor slots "editor1"… belong to 7). */
export function sectionOfField(field: string): number | undefined {
  const name = /^editor\d+$/.test(field) ? 'editors' : field;
  return REQUEST_SECTIONS.find((s) => (s.fields as readonly string[]).includes(name))?.n;
}

/** The message-key part of a section number ("legal" for 8). */
export function sectionKey(n: number): string {
  return REQUEST_SECTIONS.find((s) => s.n === n)?.key ?? String(n);
}
