import type { NextFunction, Request, Response } from 'express';
import { de, type MessageKey } from './messages';
import { en } from './messages';
import { historyLabel } from '../audit/labels';
import { datesFor } from './dates';

export const LOCALES = ['de', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

const catalogues: Record<Locale, Record<MessageKey, string>> = { de, en };

export function translator(locale: Locale): Translate {
  const catalogue = catalogues[locale];
  return (key, params) => {
    const text = catalogue[key] ?? de[key] ?? key;
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
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
export function setUpLocale() {
  // built once: this runs on every request, the overview's included
  const build = (l: Locale, other: Locale) => {
    const t = translator(l);
    // views label history entries through the one function (src/audit/labels.ts)
    // one date format per kind of date (src/web/dates.ts); deLang() marks German content
    // (names typed by editors, German-only texts) on English pages: ` lang="de"` there, '' on German ones
    const deLang = l === 'en' ? () => ' lang="de"' : () => '';
    return { t, url: (path: string) => localePath(l, path), other, historyLabel: (action: string) => historyLabel(t, action), dates: datesFor(l), deLang };
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
    res.locals.switchLocaleUrl = localePath(l.other, req.url);
    next();
  };
}
