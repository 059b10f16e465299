/** The English catalogue of a feature must have a text for every German key. */
export type Catalogue<T> = Record<keyof T, string>;
