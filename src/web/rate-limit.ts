import type { Db } from '../db/knex';

/**
 * Fixed-window counters in the database, so that the limit holds across every app
 * instance. Used for failed sign-ins per account and per address.
 */
export class RateLimiter {
  constructor(
    private readonly db: Db,
    private readonly windowMs: number,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Milliseconds until the key may try again, or 0 if it is below `max`. */
  async blockedFor(key: string, max: number): Promise<number> {
    const now = this.clock();
    const row = await this.db('rate_limits').where({ key }).first('hits', 'reset_at');
    if (!row || new Date(row.reset_at) <= now || row.hits < max) return 0;
    return new Date(row.reset_at).getTime() - now.getTime();
  }

  async hit(key: string): Promise<void> {
    const now = this.clock();
    const resetAt = new Date(now.getTime() + this.windowMs);
    await this.db('rate_limits')
      .insert({ key, hits: 1, reset_at: resetAt })
      .onConflict('key')
      .merge({
        hits: this.db.raw('case when rate_limits.reset_at <= ? then 1 else rate_limits.hits + 1 end', [now]),
        reset_at: this.db.raw('case when rate_limits.reset_at <= ? then ? else rate_limits.reset_at end', [now, resetAt]),
      });
  }

  async clear(key: string): Promise<void> {
    await this.db('rate_limits').where({ key }).delete();
  }

  async purgeExpired(): Promise<number> {
    return this.db('rate_limits').where('reset_at', '<=', this.clock()).delete();
  }
}
