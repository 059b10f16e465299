import { describe, expect, it } from 'vitest';
import {
  renderTemplate,
  TEMPLATE_KEYS,
  TEMPLATE_PARAMS,
  TemplateError,
  type MailLocale,
  type TemplateKey,
} from '../../src/notifications/templates';
import { de, en } from '../../src/notifications/messages';

const LOCALES: MailLocale[] = ['de', 'en'];

/** A distinctive value per parameter, so the test can find each one in the text. */
function sampleParams(key: TemplateKey): Record<string, string> {
  const params: Record<string, string> = {};
  for (const name of TEMPLATE_PARAMS[key]) {
    params[name] =
      name === 'url'
        ? 'https://smr.hannover-stadt.de/intern/antraege/42'
        : name.endsWith('Url')
          ? `https://www.hannover.de/${name}`
          : `«${name}»`;
  }
  return params;
}

const cases = TEMPLATE_KEYS.flatMap((key) => LOCALES.map((locale) => [key, locale] as const));

describe('mail templates', () => {
  it('covers every mail the workflow sends', () => {
    expect([...TEMPLATE_KEYS].sort()).toEqual(
      [
        'approved',
        'editor_confirmation_needed',
        'escalation',
        'published',
        'rejected',
        'reminder',
        'returned',
        'staff_council_notice',
        'step_waiting',
        'task_cancelled',
        'withdrawn',
        'review_due',
        'review_overdue',
        'editor_missing',
        'report_digest',
      ].sort(),
    );
  });

  it.each(cases)('%s renders in %s with all its parameters, the link and the footer', (key, locale) => {
    const params = sampleParams(key);
    const { subject, body } = renderTemplate(key, locale, params as never, 'Maria Muster');
    const text = `${subject}\n${body}`;
    expect(subject.length).toBeGreaterThan(5);
    expect(subject).not.toMatch(/[\r\n]/);
    expect(text).not.toMatch(/\{\w+\}/);
    // every declared parameter is actually used (none is asked for in vain)
    for (const value of Object.values(params)) expect(text).toContain(value);
    expect(body).toContain('https://smr.hannover-stadt.de/intern/antraege/42');
    expect(body.startsWith(locale === 'de' ? 'Guten Tag Maria Muster,\n\n' : 'Dear Maria Muster,\n\n')).toBe(true);
    expect(body).toContain(
      locale === 'de'
        ? 'automatisch versandte Nachricht des Social-Media-Registers'
        : 'automatic message from the Social-Media-Register',
    );
    expect(body).not.toMatch(/<[a-z]/i); // plain text, no HTML
  });

  it.each(TEMPLATE_KEYS)('%s throws when any one parameter is missing', (key) => {
    for (const name of TEMPLATE_PARAMS[key]) {
      const params = sampleParams(key);
      delete params[name];
      expect(() => renderTemplate(key, 'de', params as never)).toThrow(TemplateError);
      expect(() => renderTemplate(key, 'en', params as never)).toThrow(new RegExp(`parameter ${name} is missing`));
    }
  });

  it('needs the link to the matter in every template (the footer shows it)', () => {
    for (const key of TEMPLATE_KEYS) expect(TEMPLATE_PARAMS[key]).toContain('url');
  });

  it('refuses relative links: mails are read outside the portal', () => {
    const params = { requestTitle: 'A', presenceName: 'B', publicUrl: '/angebote/b', url: 'https://smr.test/x' };
    expect(() => renderTemplate('published', 'de', params)).toThrow('absolute');
    expect(() => renderTemplate('step_waiting', 'de', { requestTitle: 'A', stepName: 'S', url: 'intern/1' })).toThrow(
      'absolute',
    );
  });

  it('refuses a parameter that is not a string', () => {
    expect(() =>
      renderTemplate('step_waiting', 'de', { requestTitle: 42, stepName: 'S', url: 'https://x.test/' } as never),
    ).toThrow('parameter requestTitle is missing');
  });

  it('refuses an unknown template or locale', () => {
    expect(() => renderTemplate('nonsense' as never, 'de', {} as never)).toThrow('Unknown mail template');
    expect(() => renderTemplate('step_waiting', 'fr' as never, sampleParams('step_waiting') as never)).toThrow(
      'Unknown mail locale',
    );
  });

  it('keeps the subject on one line and within the column width, whatever the title holds', () => {
    const { subject } = renderTemplate('rejected', 'de', {
      requestTitle: `Böse\r\nBcc: x@evil.example ${'lang '.repeat(100)}`,
      stepName: 'Kommunikation',
      actorName: 'K',
      reason: 'R',
      url: 'https://smr.test/1',
    });
    expect(subject).not.toMatch(/[\r\n]/);
    expect(subject.length).toBeLessThanOrEqual(300);
    expect(subject.endsWith('…')).toBe(true);
  });

  it('keeps line breaks of a comment in the body and does not interpret placeholders inside values', () => {
    const { body } = renderTemplate('returned', 'de', {
      requestTitle: 'T',
      stepName: 'S',
      actorName: 'A',
      comment: 'Zeile 1\r\nZeile 2 mit {url}',
      url: 'https://smr.test/1',
    });
    expect(body).toContain('Begründung:\nZeile 1\nZeile 2 mit {url}\n');
  });

  it('greets without a name when none is known', () => {
    expect(
      renderTemplate('withdrawn', 'de', { requestTitle: 'T', actorName: 'A', url: 'https://smr.test/1' }).body,
    ).toMatch(/^Guten Tag,\n/);
    expect(
      renderTemplate('withdrawn', 'en', { requestTitle: 'T', actorName: 'A', url: 'https://smr.test/1' }).body,
    ).toMatch(/^Hello,\n/);
  });

  it('speaks German formally and gender-inclusively', () => {
    const german = Object.entries(de)
      .filter(([k]) => k.startsWith('notifications.mail.'))
      .map(([, v]) => v)
      .join('\n');
    expect(german).not.toMatch(/\b(du|dich|dein|deine)\b/);
    // only the inclusive forms (Redakteur*in, Antragsteller*in), never the bare masculine
    expect(german).not.toMatch(/\b(Redakteur|Antragsteller|Mitarbeiter|Entscheider)(?![*\w])/);
    expect(german).toContain('Redakteur*in');
    expect(german).toContain('Antragsteller*in');
    expect(german).toContain('Sie');
  });

  it('has an English text and a label for the outbox page for every template', () => {
    for (const key of TEMPLATE_KEYS) {
      for (const part of ['subject', 'body'] as const) {
        const k = `notifications.mail.${key}.${part}` as const;
        expect(de[k]).toBeTruthy();
        expect(en[k]).toBeTruthy();
        // same placeholders in both languages
        const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
        expect(names(en[k])).toEqual(names(de[k]));
      }
      expect(de[`notifications.template.${key}` as const]).toBeTruthy();
    }
  });

  it('checks parameters at compile time for callers', () => {
    // @ts-expect-error stepName is missing
    expect(() => renderTemplate('step_waiting', 'de', { requestTitle: 'T', url: 'https://smr.test/1' })).toThrow(
      'parameter stepName is missing',
    );
  });
});
