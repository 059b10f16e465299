import type { Catalogue, Keys } from '../i18n/keys';

/** Texts around the guidelines and the service agreement pages; keys start with "guidelines.". */
export const de = {
  'guidelines.version': 'Fassung {version}, gültig ab {date}',
  'guidelines.confirmedOn': 'Sie haben diese Fassung am {date} bestätigt.',
  'guidelines.notConfirmed':
    'Sie haben diese Fassung noch nicht bestätigt. Bestätigen können Sie sie auf der Seite eines Antrags, in dem Sie als Redakteur*in benannt sind.',
  'guidelines.summary': 'Zusammenfassung nach der Informationsdrucksache 1112/2013 der Landeshauptstadt Hannover.',
  'guidelines.other': 'Siehe auch',
} as const;

declare module '../i18n/keys' {
  // the feature registers its keys (see src/i18n/keys.ts)
  interface MessageRegistry extends Keys<typeof de> {}
}

export const en: Catalogue<typeof de> = {
  'guidelines.version': 'Version {version}, valid from {date}',
  'guidelines.confirmedOn': 'You confirmed this version on {date}.',
  'guidelines.notConfirmed':
    'You have not confirmed this version yet. You can confirm it on the page of a request that names you as an editor.',
  'guidelines.summary': 'Summary based on council information paper 1112/2013 of the City of Hannover.',
  'guidelines.other': 'See also',
};
