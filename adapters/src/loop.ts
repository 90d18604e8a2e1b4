// Background work that runs until stopped: the relay's publish loop, a service's periodic jobs.
// One place for the two things every such loop gets wrong: a stop must not sit out a pause, and
// a failure must be retried with growing pauses instead of hammering what is down.
import type { Logger } from 'pino';

/** A pause that `wake()` ends early, so a stopping loop does not sit out its backoff. */
export function interruptibleSleep() {
  let wake: () => void = () => {};
  return {
    sleep(ms: number): Promise<void> {
      if (ms <= 0) return Promise.resolve();
      return new Promise((resolve) => {
        const timer = setTimeout(resolve, ms);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    },
    wake: () => wake(),
  };
}

/** Exponential backoff: `min`, doubling per failure, capped at `max`. */
export function backoff(failures: number, min: number, max: number): number {
  return Math.min(max, min * 2 ** Math.max(0, failures - 1));
}

export interface LoopOptions {
  /** One pass of the work; resolves to how long to wait before the next pass (0: straight on). */
  step(): Promise<number>;
  /** A pass threw: count it, log it, tidy up. The loop then waits `backoff(failures, …)` and goes on. */
  failed(error: unknown, failures: number): void | Promise<void>;
  /** The first pass that succeeded after `failures` failed ones. */
  recovered?(failures: number): void;
  retryMinMs: number;
  retryMaxMs: number;
  /** Told when `failed` itself throws; the loop carries on. */
  logger: Logger;
}

export interface Loop {
  /** There is work: ends the idle pause in progress, or skips the next one; a backoff is sat out. */
  wake(): void;
  /** Ends the pause in progress, waits for the pass in progress, and runs no more. */
  stop(): Promise<void>;
}

export function startLoop(options: LoopOptions): Loop {
  const pause = interruptibleSleep();
  let stopping = false;
  let failures = 0;
  let woken = false;
  const run = async () => {
    while (!stopping) {
      woken = false;
      let waitMs: number;
      try {
        waitMs = await options.step();
        if (failures > 0) options.recovered?.(failures);
        failures = 0;
      } catch (error) {
        failures += 1;
        try {
          await options.failed(error, failures);
        } catch (handlerError) {
          options.logger.error({ err: handlerError }, 'a loop failure handler failed');
        }
        waitMs = backoff(failures, options.retryMinMs, options.retryMaxMs);
      }
      // A stop that arrived during the pass must not wait out the pause after it; nor must a wake,
      // unless the pass failed: news of work does not cut a backoff short.
      if (!stopping && !(woken && failures === 0)) await pause.sleep(waitMs);
    }
  };
  const running = run();
  return {
    wake() {
      woken = true;
      if (failures === 0) pause.wake();
    },
    async stop() {
      stopping = true;
      pause.wake();
      await running;
    },
  };
}
