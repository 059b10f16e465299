/**
 * The part of jsonld.js (https://github.com/digitalbazaar/jsonld.js) this project uses.
 * @types/jsonld describes version 1.5; these signatures follow jsonld 9's documentation.
 */
declare module 'jsonld' {
  export type JsonLdDocument = Record<string, unknown> | Array<Record<string, unknown>>;
  export type RemoteDocument = { contextUrl: string | null; documentUrl: string; document: unknown };
  export interface Options {
    /** Loads remote contexts; the register's documents never need one, so ours refuses all. */
    documentLoader?: (url: string) => Promise<RemoteDocument>;
    format?: 'application/n-quads';
    base?: string;
    safe?: boolean;
  }
  export function fromRDF(input: string, options: Options & { format: 'application/n-quads' }): Promise<JsonLdDocument>;
  export function compact(
    input: JsonLdDocument,
    context: Record<string, unknown>,
    options?: Options,
  ): Promise<Record<string, unknown>>;
  export function toRDF(input: JsonLdDocument, options: Options & { format: 'application/n-quads' }): Promise<string>;
  const jsonld: { fromRDF: typeof fromRDF; compact: typeof compact; toRDF: typeof toRDF };
  export default jsonld;
}
