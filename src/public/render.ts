import type { Response } from 'express';
import type { Locale } from '../web/i18n';

/**
 * Renders a public view to a string (with or without the page layout), so the result can
 * be cached and answered with ETag/304. Same two steps as web/render.ts' renderPage.
 */
export function renderHtml(res: Response, view: string, locals: Record<string, unknown>, layout = true): Promise<string> {
  return new Promise((resolve, reject) => {
    const data = { ...res.locals, fmt: formatters(res.locals.locale as Locale), ...locals };
    res.app.render(view, data, (err, body) => {
      if (err) return reject(err);
      if (!layout) return resolve(body);
      res.app.render('layouts/main', { ...data, body }, (layoutErr, html) => (layoutErr ? reject(layoutErr) : resolve(html)));
    });
  });
}

const TIME_ZONE = 'Europe/Berlin';
const dateFormats: Record<Locale, Intl.DateTimeFormat> = {
  de: new Intl.DateTimeFormat('de-DE', { dateStyle: 'long', timeZone: TIME_ZONE }),
  en: new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: TIME_ZONE }),
};
const isoDay = new Intl.DateTimeFormat('sv-SE', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

export interface Formatters {
  /** "12. März 2026" / "12 March 2026" (Hannover time). */
  date(d: Date): string;
  /** "2026-03-12" for <time datetime>. */
  day(d: Date): string;
}

export function formatters(locale: Locale): Formatters {
  const f = dateFormats[locale] ?? dateFormats.de;
  return { date: (d) => f.format(d), day: (d) => isoDay.format(d) };
}
