import type { Db } from '../db/knex';

export interface Consumed {
  /** false once this attempt is beyond `max` in the current window. */
  allowed: boolean;
  /** Milliseconds until the window ends (when blocked: until the key may try again). */
  retryMs: number;
}

/**
 * Fixed-window counters in the database, so that the limit holds across every app
 * instance. Used for sign-in attempts per account and per address.
 *
 * An attempt is counted BEFORE the password reaches the directory, in one
 * INSERT … ON CONFLICT DO UPDATE … RETURNING: PostgreSQL locks the row, so fifty parallel
 * attempts get the counts 1…50 and only the first `max` go on. (Reading the count first and
 * adding the failure after the bind let every parallel attempt through.) The window starts
 * with the first attempt and is never extended by later ones, so a lock ends at the latest
 * one window length after it began.
 */
export class RateLimiter {
  constructor(
    private readonly db: Db,
    private readonly windowMs: number,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Counts one attempt of `key` and says whether it is within `max`. */
  async consume(key: string, max: number): Promise<Consumed> {
    const now = this.clock();
    const resetAt = new Date(now.getTime() + this.windowMs);
    const [row] = await this.db('rate_limits')
      .insert({ key, hits: 1, reset_at: resetAt })
      .onConflict('key')
      .merge({
        hits: this.db.raw('case when rate_limits.reset_at <= ? then 1 else rate_limits.hits + 1 end', [now]),
        reset_at: this.db.raw('case when rate_limits.reset_at <= ? then ? else rate_limits.reset_at end', [
          now,
          resetAt,
        ]),
      })
      .returning<Array<{ hits: number; reset_at: Date | string }>>(['hits', 'reset_at']);
    const retryMs = Math.max(0, new Date(row?.reset_at ?? resetAt).getTime() - now.getTime());
    return { allowed: Number(row?.hits ?? 1) <= max, retryMs };
  }

  /** Gives one counted attempt back (e.g. it succeeded, or the directory could not answer). */
  async refund(key: string): Promise<void> {
    await this.db('rate_limits')
      .where({ key })
      .andWhere('reset_at', '>', this.clock())
      .andWhere('hits', '>', 0)
      .update({ hits: this.db.raw('hits - 1') });
  }

  async clear(key: string): Promise<void> {
    await this.db('rate_limits').where({ key }).delete();
  }
}
