import type { Knex } from 'knex';
import { recordHistory, type HistoryEntry } from '../../audit/history';

const CHUNK = 500;

export const chunks = <T>(list: T[], size = CHUNK) =>
  Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size));

/**
 * History entries written in bulk. Each row is made by recordHistory itself (it writes into a
 * collector instead of the database), so the rows are exactly what recordHistory writes; they
 * then go to the table a few hundred at a time instead of one statement per entry.
 */
export async function recordHistoryInBulk(trx: Knex.Transaction, entries: HistoryEntry[]): Promise<void> {
  const rows: unknown[] = [];
  const collector = ((table: string) => {
    if (table !== 'history') throw new Error(`recordHistory wrote to ${table}`);
    return {
      insert: (row: unknown) => {
        rows.push(row);
        return Promise.resolve();
      },
    };
  }) as unknown as Knex;
  for (const entry of entries) await recordHistory(collector, entry);
  for (const chunk of chunks(rows)) await trx('history').insert(chunk);
}

const READS = new Set(['select', 'first', 'pluck']);

export interface BatchingTransaction {
  trx: Knex.Transaction;
  /** Writes the collected rows; call it before the transaction ends. */
  flush(): Promise<void>;
}

/**
 * Leans on knex internals (a Proxy around the transaction, `then` replaced on its builders),
 * kept because it pays: the 5,000-row import in test/admin/import.test.ts takes 3.8 s on PGlite
 * and 2.3 s on PostgreSQL with it, 12.1 s and 5.5 s with the notifier on the plain transaction
 * (measured 1 December 2026, 2 vCPU). If the notifier ever takes its reads and its outbox
 * writes as parameters, this can go. The import's tests pin what it must not change.
 *
 * The import's transaction as the notifier sees it. Reads of reference tables the import never
 * writes (units, heads, people, platforms) are answered once per distinct query and then from
 * memory; plain single-row inserts into `collect` (the outbox) are gathered and written in bulk
 * by flush(). Everything else goes to the transaction unchanged. 5,000 rows of one import ask
 * the notifier the same few questions, and each answer stays true until the import commits.
 */
export function batchingTransaction(
  trx: Knex.Transaction,
  opts: { cacheReads: readonly string[]; collect: string },
): BatchingTransaction {
  const cacheable = new Set(opts.cacheReads);
  const cache = new Map<string, Promise<unknown>>();
  const collected: Array<Record<string, unknown>> = [];

  const table = (name: string) => {
    const builder = trx(name);
    const base = name.split(/\s+/)[0] ?? '';
    if (base === opts.collect) {
      const insert = builder.insert.bind(builder);
      builder.insert = (row: unknown, ...rest: unknown[]) => {
        const query = (insert as (...a: unknown[]) => Knex.QueryBuilder)(row, ...rest);
        const run = query.then.bind(query);
        // oxlint-disable-next-line unicorn/no-thenable -- the point: this insert resolves without a round trip
        query.then = ((onFulfilled?: (v: unknown) => unknown, onRejected?: (e: unknown) => unknown) => {
          // ON CONFLICT, RETURNING or several rows: not ours to reorder
          const sql = query.toSQL();
          if (
            rest.length > 0 ||
            Array.isArray(row) ||
            typeof row !== 'object' ||
            row === null ||
            /on conflict|returning/i.test(sql.sql)
          )
            return run(onFulfilled, onRejected);
          collected.push(row as Record<string, unknown>);
          return Promise.resolve([]).then(onFulfilled, onRejected);
        }) as unknown as typeof query.then;
        return query;
      };
      return builder;
    }
    if (!cacheable.has(base)) return builder;
    const run = builder.then.bind(builder);
    // oxlint-disable-next-line unicorn/no-thenable -- the point: a repeated read is answered from the cache
    builder.then = ((onFulfilled?: (v: unknown) => unknown, onRejected?: (e: unknown) => unknown) => {
      const sql = builder.toSQL();
      if (!READS.has(sql.method)) return run(onFulfilled, onRejected);
      const key = `${sql.method}\u0000${sql.sql}\u0000${JSON.stringify(sql.bindings)}`;
      let hit = cache.get(key);
      if (!hit) {
        hit = run((rows: unknown) => rows);
        cache.set(key, hit);
      }
      // callers get their own copy, so nobody changes another caller's answer
      return hit.then((rows) => structuredClone(rows)).then(onFulfilled, onRejected);
    }) as unknown as typeof builder.then;
    return builder;
  };

  return {
    trx: new Proxy(table, {
      apply: (_target, _this, args: [string]) => table(args[0]),
      get: (_target, prop) => Reflect.get(trx, prop),
    }) as unknown as Knex.Transaction,
    async flush() {
      const rows = collected.splice(0);
      // rows of different shapes (optional columns) are written separately
      const byShape = new Map<string, Array<Record<string, unknown>>>();
      for (const row of rows) {
        const shape = Object.keys(row).sort().join(',');
        byShape.set(shape, [...(byShape.get(shape) ?? []), row]);
      }
      for (const group of byShape.values()) for (const chunk of chunks(group)) await trx(opts.collect).insert(chunk);
    },
  };
}
