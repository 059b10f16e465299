import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Request } from 'express';

/**
 * Nothing typed is lost to a timeout. When a staff form arrives after its session ended (idle
 * timeout, absolute lifetime) or with a token that is no longer valid, the portal does not
 * process it — but it keeps what was sent and offers to send it again:
 *
 * - signed in (a stale token): the answer is a page with the entries and a fresh token;
 * - signed out: the sign-in page carries the entries, sealed (AES-256-GCM, key derived from
 *   SESSION_SECRET) in a hidden field; after the sign-in the same page with the entries follows.
 *
 * Nothing is stored for a signed-out visitor (no row per anonymous request, see
 * test/security/anonymous.test.ts), and nothing is replayed by itself: sending again is always
 * the person's own click on a page of the portal with a valid token, so a form another site
 * posted in someone's name can never be carried through the sign-in into an action.
 */

/** How long sealed entries stay usable: a person may come back to the sign-in page after lunch. */
export const KEPT_FORM_MAX_AGE_MS = 24 * 3_600_000;
/** Never kept or shown again: the old token, and the sign-in's own fields. */
const NOT_KEPT = new Set(['_csrf', 'gesichert', 'username', 'password']);

export interface KeptForm {
  /** the form's target inside the staff area, without the /en prefix */
  path: string;
  /** name/value pairs in the order they came */
  fields: [string, string][];
  /** when it was sent (ms since epoch) */
  at: number;
}

/** Only forms of the staff area are kept (never the sign-in itself, never another host). */
export function isKeepablePath(path: string): boolean {
  return /^\/intern(\/[A-Za-z0-9\-._~%/]*)?$/.test(path) && !path.includes('//') && path.length <= 300;
}

/** The name/value pairs of a parsed form body (urlencoded, extended: false). */
export function formFields(body: unknown): [string, string][] {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return [];
  const out: [string, string][] = [];
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    if (NOT_KEPT.has(name)) continue;
    for (const v of Array.isArray(value) ? value : [value]) if (typeof v === 'string') out.push([name, v]);
  }
  return out;
}

/** The form that a request carried, if it is one worth keeping. */
export function keptFormOf(req: Request, now: Date): KeptForm | undefined {
  if (req.method !== 'POST' || !isKeepablePath(req.path)) return undefined;
  const fields = formFields(req.body);
  if (!fields.some(([, v]) => v.trim() !== '')) return undefined;
  return { path: req.path, fields, at: now.getTime() };
}

const keyOf = (secret: string) => createHash('sha256').update(`smr-kept-form\u0000${secret}`).digest();

/** Seals entries for a hidden field: compressed, encrypted and authenticated. */
export function sealForm(secret: string, form: KeptForm): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(secret), iv);
  const plain = deflateRawSync(Buffer.from(JSON.stringify([form.path, form.at, form.fields]), 'utf8'));
  const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
}

/** Opens sealed entries; undefined for anything forged, damaged, foreign or too old. */
export function openForm(secret: string, value: unknown, now: Date): KeptForm | undefined {
  if (typeof value !== 'string' || value.length < 40 || value.length > 1_500_000 || !/^[A-Za-z0-9_-]+$/.test(value))
    return undefined;
  try {
    const raw = Buffer.from(value, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', keyOf(secret), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    const plain = inflateRawSync(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]), {
      maxOutputLength: 4_000_000,
    });
    const [path, at, fields] = JSON.parse(plain.toString('utf8')) as [unknown, unknown, unknown];
    if (typeof path !== 'string' || !isKeepablePath(path) || typeof at !== 'number' || !Array.isArray(fields))
      return undefined;
    const age = now.getTime() - at;
    if (!(age >= -60_000 && age <= KEPT_FORM_MAX_AGE_MS)) return undefined;
    const pairs = fields.filter(
      (f): f is [string, string] =>
        Array.isArray(f) &&
        f.length === 2 &&
        typeof f[0] === 'string' &&
        typeof f[1] === 'string' &&
        !NOT_KEPT.has(f[0]),
    );
    return { path, at, fields: pairs };
  } catch {
    return undefined;
  }
}
