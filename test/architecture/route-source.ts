/**
 * Reading a route file for database use (test/architecture/routes-no-db.test.ts): what its code
 * names, with comments and the contents of string literals left out.
 */

/** What gives a database away in a route file's code (comments and strings are not code). */
const DATABASE_USE: ReadonlyArray<[string, RegExp]> = [
  ['a `db`', /\bdb\b/],
  ['a `trx`', /\btrx\b/],
  ['a transaction', /\btransaction\s*\(/],
  ['raw SQL', /\.raw\s*\(/],
  ['knex', /\bknex\b/i],
];

/** The code of a TypeScript file without its comments and the contents of its string literals. */
function codeOf(source: string): string {
  return source.replace(
    /\/\*[\s\S]*?\*\/|\/\/[^\n]*|'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\.|[^`\\])*`/g,
    (m) => (m.startsWith('/') ? ' ' : m[0] === '`' ? '``' : `${m[0]}${m[0]}`),
  );
}

/** Which kinds of database use a file's code shows. */
export function databaseUse(source: string): string[] {
  const code = codeOf(source);
  return DATABASE_USE.filter(([, pattern]) => pattern.test(code)).map(([what]) => what);
}
