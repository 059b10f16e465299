import type { Knex } from 'knex';
import { ofPresence, type LinkedHistoryRow } from '../../audit/history';

export interface HistoryFilter {
  presenceId?: number;
  requestId?: number;
  uid?: string;
  /** Prefix: "workflow." finds every workflow action. */
  action?: string;
  from?: Date;
  /** Exclusive. */
  until?: Date;
}

/** A history row with what it is about (the administration's search and CSV). */
export interface HistoryListRow extends LinkedHistoryRow {
  entity_type: string;
  entity_id: string;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

function filtered(db: Knex, f: HistoryFilter) {
  const q = db('history');
  // the presence's own entries and those of every request that created or changed it
  if (f.presenceId !== undefined) q.where(ofPresence(db, f.presenceId));
  if (f.requestId !== undefined) q.where('request_id', f.requestId);
  if (f.uid !== undefined) {
    const uid = f.uid;
    q.where((w) => {
      w.where('actor_uid', uid).orWhere('on_behalf_of', uid);
    });
  }
  if (f.action !== undefined) q.whereRaw("action LIKE ? ESCAPE '\\'", [`${escapeLike(f.action)}%`]);
  if (f.from) q.where('at', '>=', f.from);
  if (f.until) q.where('at', '<', f.until);
  return q;
}

export async function searchHistory(
  db: Knex,
  f: HistoryFilter,
  limit: number,
  offset: number,
): Promise<{ rows: HistoryListRow[]; total: number }> {
  const [rows, count] = await Promise.all([
    filtered(db, f).select('*').orderBy('id', 'desc').limit(limit).offset(offset),
    filtered(db, f).count({ n: '*' }).first(),
  ]);
  return { rows, total: Number(count?.n ?? 0) };
}

/** The same filter in pages of `size`, newest first, for a download that never holds everything. */
export async function* historyPages(
  db: Knex,
  f: HistoryFilter,
  size = 2000,
  max = 200_000,
): AsyncGenerator<HistoryListRow[]> {
  let before: number | undefined;
  let sent = 0;
  while (sent < max) {
    const q = filtered(db, f)
      .select('*')
      .orderBy('id', 'desc')
      .limit(Math.min(size, max - sent));
    if (before !== undefined) q.where('id', '<', before);
    const rows: HistoryListRow[] = await q;
    if (rows.length === 0) return;
    yield rows;
    sent += rows.length;
    before = Number(rows[rows.length - 1]?.id);
  }
}

export async function knownActions(db: Knex): Promise<string[]> {
  return (await db('history').distinct('action').orderBy('action')).map((r: { action: string }) => r.action);
}
