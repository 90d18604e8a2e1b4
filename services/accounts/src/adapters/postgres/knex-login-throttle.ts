import type { Knex } from 'knex';
import type { LoginThrottle, ThrottleKey } from '../../application/ports';
import { retryAfterSeconds } from '../../domain/throttle';

/** Failure counters shared by every accounts replica, so an attacker gains nothing by spreading tries across them. */
export function createKnexLoginThrottle(db: Knex): LoginThrottle {
  return {
    async retryAfter(keys: ThrottleKey[], now: Date) {
      const rows = await db('login_failures').whereIn('key', keys.map((k) => k.key));
      const byKey = new Map(rows.map((row) => [row.key as string, { failures: row.failures as number, windowStartedAt: row.window_started_at as Date }]));
      return Math.max(0, ...keys.map(({ key, rule }) => retryAfterSeconds(byKey.get(key), rule, now)));
    },
    async recordFailure(keys: ThrottleKey[], now: Date) {
      for (const { key, rule } of keys) {
        // One atomic upsert: concurrent failures all count, and an expired window starts again at 1.
        await db.raw(
          `insert into login_failures (key, failures, window_started_at) values (?, 1, ?)
           on conflict (key) do update set
             failures = case when login_failures.window_started_at + ? * interval '1 millisecond' <= excluded.window_started_at
                             then 1 else login_failures.failures + 1 end,
             window_started_at = case when login_failures.window_started_at + ? * interval '1 millisecond' <= excluded.window_started_at
                                      then excluded.window_started_at else login_failures.window_started_at end`,
          [key, now, rule.windowMs, rule.windowMs],
        );
      }
    },
    async clear({ key }: ThrottleKey) {
      await db('login_failures').where({ key }).delete();
    },
  };
}

/** Forgets windows that ended long ago; the counters would only be reset on the next failure otherwise. */
export async function pruneLoginFailures(db: Knex, olderThan: Date): Promise<number> {
  return db('login_failures').where('window_started_at', '<', olderThan).delete();
}
