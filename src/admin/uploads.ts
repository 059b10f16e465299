import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { isToken } from './input';

/**
 * Checked uploads waiting for confirmation (table admin_uploads). Stored in the database,
 * not in memory, so the confirmation may reach any instance. A token is only good for the
 * administrator who uploaded it, for one day, and once.
 */

export type UploadKind = 'presences' | 'org_units';
const MAX_AGE_MS = 24 * 60 * 60 * 1000;

export interface UploadRow {
  token: string;
  kind: UploadKind;
  created_by: string;
  created_at: Date;
  content: string;
  row_count: number;
  consumed_at: Date | null;
  result: Record<string, number> | null;
}

export async function storeUpload(
  db: Knex,
  kind: UploadKind,
  uid: string,
  content: string,
  rowCount: number,
  now: Date,
): Promise<string> {
  const token = randomBytes(24).toString('base64url');
  // staging data only: old uploads go whenever a new one arrives
  await db('admin_uploads')
    .where('created_at', '<', new Date(now.getTime() - 7 * MAX_AGE_MS))
    .delete();
  await db('admin_uploads').insert({ token, kind, created_by: uid, created_at: now, content, row_count: rowCount });
  return token;
}

/**
 * The upload, locked for this transaction: 'used' when it was imported already, 'expired'
 * after a day, undefined when the token is unknown or belongs to someone else.
 */
export async function takeUpload(
  trx: Knex.Transaction,
  token: string,
  kind: UploadKind,
  uid: string,
  now: Date,
): Promise<UploadRow | 'used' | 'expired' | undefined> {
  if (!isToken(token)) return undefined;
  const row = await trx<UploadRow>('admin_uploads').where({ token, kind, created_by: uid }).forUpdate().first();
  if (!row) return undefined;
  if (row.consumed_at) return 'used';
  if (now.getTime() - new Date(row.created_at).getTime() > MAX_AGE_MS) return 'expired';
  return row;
}

export async function markConsumed(
  trx: Knex.Transaction,
  token: string,
  result: Record<string, number>,
  now: Date,
): Promise<void> {
  await trx('admin_uploads')
    .where({ token })
    .update({ consumed_at: now, result: JSON.stringify(result) });
}

export async function findUpload(
  db: Knex,
  token: string,
  kind: UploadKind,
  uid: string,
): Promise<UploadRow | undefined> {
  if (!isToken(token)) return undefined;
  return db<UploadRow>('admin_uploads').where({ token, kind, created_by: uid }).first();
}
