import type { Catalogue } from '../web/messages/types';

/** Texts of the public feature; keys start with "public.". */
export const de = {
} as const;

export const en: Catalogue<typeof de> = {
};
