import type { Catalogue } from '../web/messages/types';

/** Texts of the requests feature; keys start with "requests.". */
export const de = {
} as const;

export const en: Catalogue<typeof de> = {
};
