import type { Catalogue } from '../web/messages/types';

/** Texts of the admin feature; keys start with "admin.". */
export const de = {
} as const;

export const en: Catalogue<typeof de> = {
};
