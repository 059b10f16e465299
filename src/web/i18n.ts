import type { NextFunction, Request, Response } from 'express';
import { LOCALES, type Catalogues, type Locale, type MessageKey, type Translate } from '../i18n/keys';
import { datesFor } from './dates';

export { LOCALES, type Catalogues, type Locale, type MessageKey, type Translate };

/** The catalogues (src/messages.ts) come from app.ts, so that web/ imports no feature. */
export function translator(locale: Locale, catalogues: Catalogues): Translate {
  const catalogue = catalogues[locale];
  return (key, params) => {
    const text = catalogue[key] ?? catalogues.de[key] ?? key;
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
  };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A message as escaped HTML in which the named parameters — names that exist in German only
 * (units, presences, workflow steps) — are marked `<span lang="de">` on English pages, so a
 * screen reader pronounces them in German. Output with `<%-`; every piece is escaped.
 */
export function translatorMarkingGerman(locale: Locale, t: Translate) {
  return (key: MessageKey, params: Record<string, string | number>, german: string[]): string => {
    if (locale === 'de') return escapeHtml(t(key, params));
    const clean = (v: string | number) => String(v).replace(/\u0000/g, '');
    const marked: Record<string, string> = {};
    for (const [k, v] of Object.entries(params)) marked[k] = clean(v);
    german.forEach((k, i) => {
      if (k in params) marked[k] = `\u0000${i}\u0000`;
    });
    return escapeHtml(t(key, marked)).replace(/\u0000(\d+)\u0000/g, (_m, i: string) => {
      const value = clean(params[german[Number(i)]!] ?? '');
      return value ? `<span lang="de">${escapeHtml(value)}</span>` : '';
    });
  };
}

/** Path of the same page in a locale: German has no prefix, English lives under /en. */
export function localePath(locale: Locale, path: string): string {
  // one leading slash, always: "//host/…" would be a link to another site
  const p = `/${path.replace(/^[/\\]+/, '')}`;
  if (locale === 'de') return p;
  return p === '/' ? '/en' : `/en${p}`;
}

/**
 * The language is part of the path (/en/...), never a cookie: public pages stay
 * cookie-free and cacheable, links and bookmarks keep their language, and no header is
 * built from user input. The prefix is stripped so that every router is mounted once.
 */
/**
 * `catalogues` (src/messages.ts) and `historyLabel` (src/audit/labels.ts) come from app.ts, so
 * that web/ imports no feature.
 */
export function setUpLocale(catalogues: Catalogues, historyLabel: (t: Translate, action: string) => string) {
  // built once: this runs on every request, the overview's included
  const build = (l: Locale, other: Locale) => {
    const t = translator(l, catalogues);
    // views label history entries through the one function (src/audit/labels.ts)
    // one date format per kind of date (src/web/dates.ts); deLang() marks German content
    // (names typed by editors, German-only texts) on English pages: ` lang="de"` there, '' on German ones
    // deLang(false) for a value that may be English (a step name with an English version)
    const deLang = l === 'en' ? (german = true) => (german ? ' lang="de"' : '') : (_german?: boolean) => '';
    // deText(value): the value escaped, in <span lang="de"> on English pages (German pages unchanged)
    const deText =
      l === 'en'
        ? (v: string | number | null | undefined) => `<span lang="de">${escapeHtml(String(v ?? ''))}</span>`
        : (v: string | number | null | undefined) => escapeHtml(String(v ?? ''));
    return {
      t,
      url: (path: string) => localePath(l, path),
      other,
      historyLabel: (action: string) => historyLabel(t, action),
      dates: datesFor(l),
      deLang,
      deText,
      tDe: translatorMarkingGerman(l, t),
    };
  };
  const per = { de: build('de', 'en'), en: build('en', 'de') };
  return (req: Request, res: Response, next: NextFunction) => {
    let locale: Locale = 'de';
    if (req.url === '/en' || req.url.startsWith('/en/') || req.url.startsWith('/en?')) {
      locale = 'en';
      req.url = req.url.slice(3) || '/';
      if (req.url.startsWith('?')) req.url = `/${req.url}`;
    }
    req.locale = locale;
    const l = per[locale];
    res.locals.locale = locale;
    res.locals.t = l.t;
    res.locals.url = l.url;
    res.locals.otherLocale = l.other;
    res.locals.historyLabel = l.historyLabel;
    Object.assign(res.locals, l.dates);
    res.locals.deLang = l.deLang;
    res.locals.tDe = l.tDe;
    res.locals.deText = l.deText;
    res.locals.switchLocaleUrl = localePath(l.other, req.url);
    next();
  };
}
