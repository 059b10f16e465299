import { z } from 'zod';
import { LIMITS } from '../../limits';
import type { MessageKey } from '../../i18n/keys';
import { key, limited, rawText, text } from '../input';

/** A platform key (platforms.key) as it appears in paths and notices. */
export const PLATFORM_KEY = /^[a-z][a-z0-9_-]{0,39}$/;

/** Enabling or disabling: the page's two buttons, and the confirmation's hidden `bestaetigt`. */
export const enableSchema = z.object({
  freigegeben: text.pipe(z.enum(['ja', 'nein'])),
  bestaetigt: text.pipe(z.enum(['', '1'])),
});

/**
 * The rules form as typed: the host list (one a line), the other rules as JSON and a sample
 * address for the preview. What the rules mean, the platform schema
 * (src/registry/platforms.ts) checks afterwards.
 */
export const rulesFormSchema = z.object({
  hosts: limited(LIMITS.platformHosts),
  regeln: rawText.pipe(z.string().max(LIMITS.platformRules, key('admin.error.tooLong'))),
  beispiel: limited(LIMITS.url),
});

/** The rules form's two buttons and its "save anyway" checkbox. */
export const rulesActionSchema = z.object({
  aktion: text.pipe(z.enum(['vorschau', 'speichern'])),
  trotzdem: text.pipe(z.enum(['', 'ja'])),
});

/** The list's notice after enabling or disabling (the value is the platform's key); none for anything else. */
export function platformNotice(query: unknown): MessageKey | undefined {
  const q = (query ?? {}) as Record<string, unknown>;
  const isKey = (v: unknown) => typeof v === 'string' && PLATFORM_KEY.test(v);
  if (isKey(q.freigegeben)) return 'admin.platforms.notice.enabled';
  if (isKey(q.gesperrt)) return 'admin.platforms.notice.disabled';
  return undefined;
}
