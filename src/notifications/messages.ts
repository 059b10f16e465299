import type { Catalogue } from '../web/messages/types';

/** Texts of the notifications feature; keys start with "notifications.". */
export const de = {
} as const;

export const en: Catalogue<typeof de> = {
};
