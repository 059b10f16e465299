/** The portal's languages: German first (the default), English second. */
export const LOCALES = ['de', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/**
 * Every message key of the portal. Each feature registers its own keys from its messages.ts —
 * `declare module '../i18n/keys' { interface MessageRegistry extends Keys<typeof de> {} }` —
 * so this module imports no feature, and every feature can name any key without importing
 * the others. The catalogue is assembled once, in src/messages.ts.
 */
export interface MessageRegistry {}
export type MessageKey = keyof MessageRegistry;

/** The keys of a German catalogue, for registering them in MessageRegistry. */
export type Keys<T> = Record<keyof T, string>;
/** The English catalogue of a feature must have a text for every German key. */
export type Catalogue<T> = Record<keyof T, string>;
/** Both languages' complete catalogues. */
export type Catalogues = Record<Locale, Record<MessageKey, string>>;

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;
