import type { Catalogues, MessageKey } from './i18n/keys';
import { de as coreDe } from './web/messages/core.de';
import { en as coreEn } from './web/messages/core.en';
import * as publicMessages from './public/messages';
import * as requestMessages from './requests/messages';
import * as notificationMessages from './notifications/messages';
import * as adminMessages from './admin/messages';
import * as registryMessages from './registry/messages';
import * as historyMessages from './audit/messages';
import * as nextStepMessages from './requests/next-step-messages';
import * as guidelineMessages from './guidelines/messages';
import * as oversightMessages from './oversight/messages';
import * as reportMessages from './reports/messages';

/**
 * The message catalogue: every text a person reads. Each feature keeps its texts next to
 * its code (a `messages.ts` exporting `de` and `en`, keys prefixed with the feature name) and
 * registers its keys in src/i18n/keys.ts; they are merged here, in the one module above every
 * feature, which no feature imports (app.ts hands the catalogue to src/web/i18n.ts).
 * A feature whose texts are not merged here, or an English text missing for a German key,
 * fails the type check.
 */
export const de: Record<MessageKey, string> = {
  ...coreDe,
  ...publicMessages.de,
  ...requestMessages.de,
  ...notificationMessages.de,
  ...adminMessages.de,
  ...registryMessages.de,
  ...historyMessages.de,
  ...nextStepMessages.de,
  ...guidelineMessages.de,
  ...oversightMessages.de,
  ...reportMessages.de,
};

export const en: Record<MessageKey, string> = {
  ...coreEn,
  ...publicMessages.en,
  ...requestMessages.en,
  ...notificationMessages.en,
  ...adminMessages.en,
  ...registryMessages.en,
  ...historyMessages.en,
  ...nextStepMessages.en,
  ...guidelineMessages.en,
  ...oversightMessages.en,
  ...reportMessages.en,
};

export const catalogues: Catalogues = { de, en };

export type { Catalogue, MessageKey } from './i18n/keys';
