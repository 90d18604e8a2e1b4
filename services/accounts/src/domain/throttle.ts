// Login throttling, as rules over counted password checks. Every check is counted before the
// password is verified (so concurrency cannot exceed a limit) and a correct password gives its
// check back; what is left counts the failures.

/** Password checks counted under one key (an account, a client address, or the pair) in a fixed window. */
export interface AttemptWindow {
  attempts: number;
  windowStartedAt: Date;
  lastAttemptAt: Date;
}

export interface ThrottleRule {
  maxAttempts: number;
  windowMs: number;
  /**
   * Progressive delay: after the n-th check in the window (n ≥ 2) the next one waits `delayMs` × 2^(n−2);
   * a first typo is retried at once.
   */
  delayMs?: number;
}

const windowEnded = (window: AttemptWindow, rule: ThrottleRule, now: Date) =>
  window.windowStartedAt.getTime() + rule.windowMs <= now.getTime();

/** Milliseconds until the key may be checked again; 0 when it may be now. */
export function waitMs(window: AttemptWindow | undefined, rule: ThrottleRule, now: Date): number {
  if (!window || window.attempts === 0 || windowEnded(window, rule, now)) return 0;
  if (window.attempts >= rule.maxAttempts) return window.windowStartedAt.getTime() + rule.windowMs - now.getTime();
  if (!rule.delayMs || window.attempts < 2) return 0;
  const until = window.lastAttemptAt.getTime() + rule.delayMs * 2 ** (window.attempts - 2);
  return Math.max(0, until - now.getTime());
}

/** The window once one more check is counted at `now`; an ended window starts again. */
export function withAttempt(window: AttemptWindow | undefined, rule: ThrottleRule, now: Date): AttemptWindow {
  if (!window || windowEnded(window, rule, now)) return { attempts: 1, windowStartedAt: now, lastAttemptAt: now };
  return { ...window, attempts: window.attempts + 1, lastAttemptAt: now };
}

/** Seconds a client is told to wait (Retry-After), rounded up. */
export const retryAfterSeconds = (ms: number) => Math.ceil(ms / 1000);
