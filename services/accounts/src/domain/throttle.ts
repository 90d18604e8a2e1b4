/** Failed logins counted per key (an account or a client address) in a fixed window. */
export interface FailureWindow {
  failures: number;
  windowStartedAt: Date;
}

export interface ThrottleRule {
  maxFailures: number;
  windowMs: number;
}

/** Seconds until the key may try again, or 0 when it may try now. */
export function retryAfterSeconds(window: FailureWindow | undefined, rule: ThrottleRule, now: Date): number {
  if (!window || window.failures < rule.maxFailures) return 0;
  const endsAt = window.windowStartedAt.getTime() + rule.windowMs;
  return endsAt > now.getTime() ? Math.ceil((endsAt - now.getTime()) / 1000) : 0;
}
