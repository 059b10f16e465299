import type { Knex } from 'knex';
import { currentTexts, type GuidelineKey, type GuidelineText } from './store';

/** The texts editors confirm, for the pages that show them. */
export interface GuidelineService {
  /** The newest version of each text. */
  current(): Promise<Record<GuidelineKey, GuidelineText>>;
  /** When this person confirmed this version of the text (undefined: not yet). */
  confirmedAt(uid: string, key: GuidelineKey, version: number): Promise<Date | undefined>;
}

export function createGuidelineService(db: Knex): GuidelineService {
  return {
    current: () => currentTexts(db),
    async confirmedAt(uid, key, version) {
      const row = await db('guideline_confirmations')
        .where({ uid, key, version })
        .first<{ confirmed_at: Date | string } | undefined>('confirmed_at');
      return row ? new Date(row.confirmed_at) : undefined;
    },
  };
}
