/**
 * Reduces a pasted social-media URL to a canonical account id, using the DATA in
 * `PlatformRules` (see platforms.ts for the meaning of the rules). Nothing here is
 * specific to a platform.
 *
 * Used by the request form ("one presence per platform and canonical id") and by the
 * public "is this account official?" check, so the matching is strict: the host must be
 * one of the listed hosts exactly, URLs with user info or a non-default port are refused,
 * and only the WHATWG `URL` parser is used (the same parser browsers use, so what we see
 * is where a browser would go).
 */
import type { PlatformRules } from './platforms';

export const MAX_INPUT_LENGTH = 2000;

export type CanonicalFailureReason =
  | 'empty'
  | 'too_long'
  | 'not_a_url'
  | 'unsupported_scheme'
  | 'host_not_allowed'
  | 'not_an_account'
  /** The platform's link names no account (a share link, a short video link): only the platform could tell. */
  | 'unresolvable';

export type CanonicalResult = { ok: true; id: string; url: string } | { ok: false; reason: CanonicalFailureReason };

export type PlatformMatch<K extends string = string> =
  | { ok: true; platform: K; id: string; url: string }
  /** `platform` is set when the host belonged to a platform but the path was no account (or unresolvable). */
  | { ok: false; reason: CanonicalFailureReason; platform?: K };

/** A URL that passed the platform-independent checks. */
interface ParsedInput {
  url: URL;
  /** Lower-case host without one trailing dot. */
  host: string;
}

/** Scheme-like prefix, e.g. "https:", "javascript:", "ftp:". */
const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

function parseInput(input: string): { ok: true; value: ParsedInput } | { ok: false; reason: CanonicalFailureReason } {
  const text = input.trim();
  if (text.length === 0) return { ok: false, reason: 'empty' };
  if (text.length > MAX_INPUT_LENGTH) return { ok: false, reason: 'too_long' };

  let candidate: string;
  let schemeless = false;
  const scheme = SCHEME.exec(text)?.[1]?.toLowerCase();
  if (scheme === 'http' || scheme === 'https') {
    candidate = text;
  } else if (scheme !== undefined && !scheme.includes('.')) {
    // javascript:, data:, mailto:, ftp:, file:, ...
    // (A "scheme" with a dot is really a host with a port: "facebook.com:443/x".)
    return { ok: false, reason: 'unsupported_scheme' };
  } else {
    // No scheme: "facebook.com/hannover.de", "www.facebook.com/...", "//facebook.com/..."
    schemeless = true;
    candidate = `https://${text.replace(/^[/\\]+/, '')}`;
  }

  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return { ok: false, reason: 'not_a_url' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, reason: 'unsupported_scheme' };
  if (url.hostname === '') return { ok: false, reason: 'not_a_url' };
  // Without a scheme, a single word ("hannover", "not-a-url") is text, not a URL.
  if (schemeless && !url.hostname.includes('.') && !url.hostname.startsWith('[')) {
    return { ok: false, reason: 'not_a_url' };
  }

  const host = url.hostname.endsWith('.') ? url.hostname.slice(0, -1) : url.hostname;
  return { ok: true, value: { url, host } };
}

/**
 * Authority checks that do not depend on the path: user info ("facebook.com@evil.org",
 * "user:pass@facebook.com") and non-default ports are refused outright, and the host
 * must be listed exactly.
 */
function hostAllowed(parsed: ParsedInput, rules: PlatformRules): boolean {
  const { url, host } = parsed;
  if (url.username !== '' || url.password !== '') return false;
  if (url.port !== '') return false; // URL drops default ports (80/443), so any port here is non-default
  return rules.hosts.includes(host);
}

/** Small cache of compiled regexes; rule objects come and go (portal preview). */
const regexCache = new Map<string, RegExp | null>();
function compile(source: string, flags: string): RegExp | null {
  const key = `${flags}\u0000${source}`;
  let re = regexCache.get(key);
  if (re === undefined) {
    try {
      re = new RegExp(source, flags);
    } catch {
      re = null; // invalid rules never match; platformRulesSchema refuses them on save
    }
    if (regexCache.size >= 500) regexCache.clear();
    regexCache.set(key, re);
  }
  return re;
}

/**
 * Percent-decodes the path segment by segment and drops empty segments, so "//x//"
 * becomes "/x". Returns null when a segment cannot be decoded or decodes to something
 * that would change the meaning of the path ("/", "\", "?", "#", dot segments, control
 * characters): such a URL is never treated as an account.
 */
function normalisePath(pathname: string): string[] | null {
  const segments: string[] = [];
  for (const raw of pathname.split('/')) {
    if (raw === '') continue;
    let seg: string;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      return null;
    }
    // eslint-disable-next-line no-control-regex
    if (/[/\\?#\u0000-\u001f\u007f]/.test(seg) || seg === '.' || seg === '..') return null;
    segments.push(seg);
  }
  return segments;
}

/** Characters kept as they are in URL templates; everything else is percent-encoded. */
function encodeForUrl(value: string): string {
  return value.replace(/[^A-Za-z0-9._~@:-]/g, (c) => encodeURIComponent(c));
}

function render(template: string, vars: Record<string, string | undefined>, encode: boolean): string | null {
  let failed = false;
  const out = template.replace(/\{([^{}]*)\}/g, (_m, name: string) => {
    const value = vars[name];
    if (value === undefined || value === '') {
      failed = true;
      return '';
    }
    return encode ? encodeForUrl(value) : value;
  });
  return failed ? null : out;
}

function matchPath(parsed: ParsedInput, rules: PlatformRules): CanonicalResult {
  const segments = normalisePath(parsed.url.pathname);
  if (segments === null || segments.length === 0) return { ok: false, reason: 'not_an_account' };
  const path = `/${segments.join('/')}`;
  const firstSegment = segments[0] ?? '';
  const firstEnd = 1 + firstSegment.length;
  const reserved = new Set(rules.reservedFirstSegments.map((s) => s.toLowerCase()));

  for (const rule of rules.unresolvable ?? []) {
    if (rule.hosts !== undefined && !rule.hosts.includes(parsed.host)) continue;
    if (compile(`^(?:${rule.path})$`, 'i')?.test(path)) return { ok: false, reason: 'unresolvable' };
  }

  for (const pattern of rules.patterns) {
    const re = compile(`^(?:${pattern.path})$`, 'id');
    const m = re?.exec(path);
    if (!m) continue;
    // The first pattern whose path matches decides.

    // Reserved words are never an account name: refuse when a capture group covers
    // the first segment and that segment is reserved. (Literal prefixes such as
    // "/pages/..." are not captures, so they still work.)
    if (reserved.has(firstSegment.toLowerCase())) {
      const capturesFirst = (m.indices ?? []).some(
        (range, i) => i > 0 && range !== undefined && range[0] < firstEnd && range[1] > 1,
      );
      if (capturesFirst) return { ok: false, reason: 'not_an_account' };
    }

    const vars: Record<string, string | undefined> = { host: parsed.host };
    m.forEach((g, i) => {
      if (i > 0) vars[String(i)] = g;
    });

    if (pattern.query !== undefined) {
      // Exactly one occurrence: "?id=1&id=2" is ambiguous (PHP takes the last value,
      // URLSearchParams.get the first), so an attacker could show one account and
      // have us check another.
      const values = parsed.url.searchParams.getAll(pattern.query);
      if (values.length !== 1) return { ok: false, reason: 'not_an_account' };
      const value = (values[0] ?? '').trim();
      const valueRe = compile(`^(?:${pattern.queryPattern ?? '.+'})$`, 'i');
      if (value === '' || !valueRe?.test(value)) return { ok: false, reason: 'not_an_account' };
      vars.query = value;
    }

    const rawId = render(pattern.idTemplate, vars, false);
    if (rawId === null || rawId.trim() === '') return { ok: false, reason: 'not_an_account' };
    const id = rawId.toLowerCase();
    vars.id = id;

    let template = pattern.urlTemplate;
    if (template === undefined && rules.numericIdUrlTemplate !== undefined) {
      const num = /^(?:[a-z]+:)?([0-9]+)$/.exec(id)?.[1];
      if (num !== undefined) {
        vars.num = num;
        template = rules.numericIdUrlTemplate;
      }
    }
    const url = render(template ?? rules.canonicalUrlTemplate, vars, true);
    if (url === null) return { ok: false, reason: 'not_an_account' };
    return { ok: true, id, url };
  }
  return { ok: false, reason: 'not_an_account' };
}

/**
 * Reduces `input` (what an editor or a citizen pasted) to the canonical account id on
 * one platform. Input without a scheme is read as https; http and https are accepted,
 * any other scheme is refused. Ids are lower-case and compare case-insensitively.
 */
export function canonicalise(input: string, rules: PlatformRules): CanonicalResult {
  const parsed = parseInput(input);
  if (!parsed.ok) return parsed;
  if (!hostAllowed(parsed.value, rules)) return { ok: false, reason: 'host_not_allowed' };
  return matchPath(parsed.value, rules);
}

/**
 * Finds the platform `input` belongs to (platforms are tried in the given order; pass
 * only enabled ones if that is what the caller needs). On failure the reason is the
 * closest one: 'unresolvable' or else 'not_an_account' (with the platform) if some
 * platform's host matched, else 'host_not_allowed', or the platform-independent reason
 * (empty, too_long, not_a_url, unsupported_scheme).
 */
export function matchPlatform<K extends string>(
  input: string,
  platforms: ReadonlyArray<{ key: K; rules: PlatformRules }>,
): PlatformMatch<K> {
  const parsed = parseInput(input);
  if (!parsed.ok) return parsed;
  let hostMatched: K | undefined;
  let unresolvable: K | undefined;
  for (const platform of platforms) {
    if (!hostAllowed(parsed.value, platform.rules)) continue;
    const result = matchPath(parsed.value, platform.rules);
    if (result.ok) return { ok: true, platform: platform.key, id: result.id, url: result.url };
    hostMatched ??= platform.key;
    if (result.reason === 'unresolvable') unresolvable ??= platform.key;
  }
  if (unresolvable !== undefined) return { ok: false, reason: 'unresolvable', platform: unresolvable };
  if (hostMatched !== undefined) return { ok: false, reason: 'not_an_account', platform: hostMatched };
  return { ok: false, reason: 'host_not_allowed' };
}
