import { de as coreDe } from './core.de';
import { en as coreEn } from './core.en';
import * as publicMessages from '../../public/messages';
import * as requestMessages from '../../requests/messages';
import * as notificationMessages from '../../notifications/messages';
import * as adminMessages from '../../admin/messages';
import * as registryMessages from '../../registry/messages';
import * as historyMessages from '../../audit/messages';
import * as nextStepMessages from '../../requests/next-step-messages';
import * as guidelineMessages from '../../guidelines/messages';

/**
 * The message catalogue: every text a person reads. Each feature keeps its texts next to
 * its code (a `messages.ts` exporting `de` and `en`, keys prefixed with the feature name);
 * they are merged here. An English text missing for a German key fails the type check.
 */
export const de = {
  ...coreDe,
  ...publicMessages.de,
  ...requestMessages.de,
  ...notificationMessages.de,
  ...adminMessages.de,
  ...registryMessages.de,
  ...historyMessages.de,
  ...nextStepMessages.de,
  ...guidelineMessages.de,
};
export type MessageKey = keyof typeof de;

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
};

export type { Catalogue } from './types';
