import type { Knex } from 'knex';

type Q = Knex | Knex.Transaction;

/** The two texts an editor confirms; the path segment under /intern is the key. */
export const GUIDELINE_KEYS = ['leitlinien', 'dienstvereinbarung'] as const;
export type GuidelineKey = (typeof GUIDELINE_KEYS)[number];

export interface GuidelineText {
  key: GuidelineKey;
  version: number;
  valid_from: string;
  title_de: string;
  title_en: string;
  body_de: string;
  body_en: string;
}

/** `valid_from` as YYYY-MM-DD on both backends (pg parses date columns differently from PGlite). */
const normalise = (row: Record<string, unknown>): GuidelineText => {
  const v = row.valid_from;
  const day =
    v instanceof Date
      ? `${v.getFullYear()}-${String(v.getMonth() + 1).padStart(2, '0')}-${String(v.getDate()).padStart(2, '0')}`
      : String(v).slice(0, 10);
  return { ...(row as unknown as GuidelineText), valid_from: day };
};

/** The newest version of each text. */
export async function currentTexts(db: Q): Promise<Record<GuidelineKey, GuidelineText>> {
  const rows = await db('guideline_texts as g')
    .whereRaw('g.version = (SELECT max(version) FROM guideline_texts h WHERE h.key = g.key)')
    .select('*');
  const out = {} as Record<GuidelineKey, GuidelineText>;
  for (const r of rows) out[r.key as GuidelineKey] = normalise(r);
  for (const key of GUIDELINE_KEYS) if (!out[key]) throw new Error(`guideline text "${key}" missing`);
  return out;
}

export async function textVersion(db: Q, key: GuidelineKey, version: number): Promise<GuidelineText | undefined> {
  const row = await db('guideline_texts').where({ key, version }).first();
  return row ? normalise(row) : undefined;
}

export async function versionsOf(db: Q, key: GuidelineKey): Promise<Array<{ version: number; valid_from: string }>> {
  const rows = await db('guideline_texts')
    .where({ key })
    .orderBy('version', 'desc')
    .select('key', 'version', 'valid_from', 'title_de', 'title_en', 'body_de', 'body_en');
  return rows
    .map((r: Record<string, unknown>) => normalise(r))
    .map((r) => ({ version: r.version, valid_from: r.valid_from }));
}

/** A new version of a text (operators add one when the directive or agreement changes). */
export async function addVersion(db: Q, text: Omit<GuidelineText, 'version'>): Promise<number> {
  const row = (await db('guideline_texts').where({ key: text.key }).max({ v: 'version' }).first()) as
    { v: number | null } | undefined;
  const version = Number(row?.v ?? 0) + 1;
  await db('guideline_texts').insert({ ...text, version });
  return version;
}

/**
 * Of `uids`, those who confirmed the current version of every text, with the moment their
 * confirmation became complete (the later of the two).
 */
export async function confirmedCurrent(db: Q, uids: string[]): Promise<Map<string, Date>> {
  const out = new Map<string, Date>();
  if (uids.length === 0) return out;
  // the current version of each text read in the same statement: one round trip per check (issue 14)
  const rows = await db('guideline_confirmations as c')
    .whereIn('c.uid', uids)
    .whereIn('c.key', GUIDELINE_KEYS)
    .whereRaw('c.version = (SELECT max(h.version) FROM guideline_texts h WHERE h.key = c.key)')
    .select('c.uid', 'c.key', 'c.confirmed_at');
  const byUid = new Map<string, Array<{ key: string; at: Date }>>();
  for (const r of rows) byUid.set(r.uid, [...(byUid.get(r.uid) ?? []), { key: r.key, at: new Date(r.confirmed_at) }]);
  for (const [uid, list] of byUid) {
    if (GUIDELINE_KEYS.every((k) => list.some((x) => x.key === k)))
      out.set(uid, new Date(Math.max(...list.map((x) => x.at.getTime()))));
  }
  return out;
}

/** Records that `uid` confirmed the current version of every text (a repeat changes nothing). */
export async function recordConfirmation(trx: Q, uid: string, now: Date): Promise<Record<GuidelineKey, number>> {
  const current = await currentTexts(trx);
  for (const key of GUIDELINE_KEYS) {
    await trx('guideline_confirmations')
      .insert({ uid, key, version: current[key].version, confirmed_at: now })
      .onConflict(['uid', 'key', 'version'])
      .ignore();
  }
  return { leitlinien: current.leitlinien.version, dienstvereinbarung: current.dienstvereinbarung.version };
}
