import { de, en } from './messages';

export type MailLocale = 'de' | 'en';

/**
 * Every e-mail the portal sends, with the values its text needs. The texts live in the
 * message catalogue (messages.ts, `notifications.mail.<template>.subject|body`); this list
 * is what makes the parameters typed for callers. `url` (absolute link to the matter in
 * the portal) is in every list because the footer uses it.
 */
export const TEMPLATE_PARAMS = {
  step_waiting: ['requestTitle', 'stepName', 'url'],
  returned: ['requestTitle', 'stepName', 'actorName', 'comment', 'url'],
  rejected: ['requestTitle', 'stepName', 'actorName', 'reason', 'url'],
  approved: ['requestTitle', 'stepName', 'actorName', 'url'],
  published: ['requestTitle', 'presenceName', 'publicUrl', 'url'],
  reminder: ['requestTitle', 'stepName', 'waitingSince', 'url'],
  escalation: ['requestTitle', 'stepName', 'waitingSince', 'url'],
  staff_council_notice: ['requestTitle', 'unitName', 'platformName', 'url'],
  editor_confirmation_needed: ['requestTitle', 'authorName', 'url'],
  withdrawn: ['requestTitle', 'actorName', 'url'],
  task_cancelled: ['requestTitle', 'stepName', 'url'],
  // after publication (registry lifecycle): annual confirmation, overdue, editor gone
  review_due: ['presenceName', 'reviewDue', 'url'],
  review_overdue: ['presenceName', 'reviewDue', 'url'],
  editor_missing: ['presenceName', 'editors', 'url'],
  // fake accounts (src/reports): the daily digest to communications
  report_digest: ['count', 'cases', 'url'],
} as const satisfies Record<string, readonly string[]>;

export type TemplateKey = keyof typeof TEMPLATE_PARAMS;
export const TEMPLATE_KEYS = Object.keys(TEMPLATE_PARAMS) as TemplateKey[];
/** The values a template needs, all plain strings (dates etc. formatted by the caller). */
export type TemplateParams<K extends TemplateKey> = Record<(typeof TEMPLATE_PARAMS)[K][number], string>;

export interface RenderedMail {
  subject: string;
  body: string;
}

/** The outbox column is 300 characters wide; titles come from users and can be long. */
const SUBJECT_MAX = 300;

const catalogues = { de, en } as const;

export class TemplateError extends Error {
  override name = 'TemplateError';
}

export function isTemplateKey(key: string): key is TemplateKey {
  return Object.prototype.hasOwnProperty.call(TEMPLATE_PARAMS, key);
}

/** Replaces {name} from `values`; a placeholder without a value is a bug, so it throws. */
function fill(template: string, text: string, values: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const value = values[name];
    if (value === undefined)
      throw new TemplateError(`Template ${template}: the text uses {${name}}, which has no value`);
    return value;
  });
}

/**
 * Renders subject and plain-text body. Throws on an unknown template, a missing or
 * non-string parameter, or a link that is not absolute — a mail with "{url}" or a relative
 * link in it would reach a real person, so failing in the caller's transaction is better.
 */
export function renderTemplate<K extends TemplateKey>(
  template: K,
  locale: MailLocale,
  params: TemplateParams<K>,
  recipientName?: string,
): RenderedMail {
  if (!isTemplateKey(template)) throw new TemplateError(`Unknown mail template ${String(template)}`);
  const catalogue = catalogues[locale];
  if (!catalogue) throw new TemplateError(`Unknown mail locale ${String(locale)}`);

  const given = params as Record<string, unknown>;
  const values: Record<string, string> = {};
  for (const name of TEMPLATE_PARAMS[template] as readonly string[]) {
    const value = given[name];
    if (typeof value !== 'string') throw new TemplateError(`Template ${template}: parameter ${name} is missing`);
    if ((name === 'url' || name.endsWith('Url')) && !/^https?:\/\/[^\s/]+/.test(value)) {
      throw new TemplateError(`Template ${template}: parameter ${name} must be an absolute http(s) link`);
    }
    values[name] = value.replace(/\r\n?/g, '\n');
  }

  const rawSubject = fill(template, catalogue[`notifications.mail.${template}.subject` as const], values);
  // a line break in a user-supplied title must never reach the mail header
  let subject = rawSubject.replace(/\s+/g, ' ').trim();
  if (subject.length > SUBJECT_MAX) subject = `${subject.slice(0, SUBJECT_MAX - 1)}…`;

  const name = recipientName?.replace(/\s+/g, ' ').trim();
  const greeting = name
    ? fill(template, catalogue['notifications.mail.greeting'], { name })
    : catalogue['notifications.mail.greetingAnonymous'];
  const text = fill(template, catalogue[`notifications.mail.${template}.body` as const], values);
  const footer = fill(template, catalogue['notifications.mail.footer'], values);
  return { subject, body: `${greeting}\n\n${text}\n\n${footer}\n` };
}
