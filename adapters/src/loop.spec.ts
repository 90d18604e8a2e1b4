import { describe, expect, test } from '@jest/globals';
import { createLogger } from './logger';
import { backoff, startLoop } from './loop';

const logger = createLogger('loop-test');
const hour = 3600_000;

describe('startLoop', () => {
  test('a failing pass is reported with its count, retried, and the recovery told once it succeeds', async () => {
    const failures: number[] = [];
    const recovered: number[] = [];
    let passes = 0;
    let done!: () => void;
    const finished = new Promise<void>((resolve) => {
      done = resolve;
    });
    const loop = startLoop({
      logger,
      retryMinMs: 1,
      retryMaxMs: 2,
      async step() {
        passes += 1;
        if (passes <= 3) throw new Error(`pass ${passes} failed`);
        if (passes === 5) done();
        return 0;
      },
      failed: (_error, count) => {
        failures.push(count);
      },
      recovered: (count) => {
        recovered.push(count);
      },
    });
    await finished;
    await loop.stop();

    expect(failures).toEqual([1, 2, 3]);
    expect(recovered).toEqual([3]);
  });

  test('a failure handler that throws does not end the loop', async () => {
    let passes = 0;
    let done!: () => void;
    const finished = new Promise<void>((resolve) => {
      done = resolve;
    });
    const loop = startLoop({
      logger,
      retryMinMs: 1,
      retryMaxMs: 1,
      async step() {
        passes += 1;
        if (passes === 1) throw new Error('first pass failed');
        done();
        return 0;
      },
      failed: () => {
        throw new Error('the handler failed too');
      },
    });
    await finished;
    await loop.stop();
    expect(passes).toBeGreaterThanOrEqual(2);
  });

  // Stopping must not sit out an hour-long pause: if it did, these would hit the 10 s bound.
  test('stop ends the pause in progress', async () => {
    let passes = 0;
    let paused!: () => void;
    const pausing = new Promise<void>((resolve) => {
      paused = resolve;
    });
    const loop = startLoop({
      logger,
      retryMinMs: 1,
      retryMaxMs: 1,
      async step() {
        passes += 1;
        setImmediate(paused);
        return hour;
      },
      failed: () => {},
    });
    await pausing;
    await loop.stop();
    expect(passes).toBe(1);
  }, 10_000);

  test('a wake ends the pause in progress, and one that comes during a pass ends the pause after it', async () => {
    let passes = 0;
    const reached = new Map<number, () => void>();
    const until = (n: number) => new Promise<void>((resolve) => (passes >= n ? resolve() : reached.set(n, resolve)));
    const loop = startLoop({
      logger,
      retryMinMs: 1,
      retryMaxMs: 1,
      async step() {
        passes += 1;
        // The second pass is woken while it runs: the hour-long pause after it must not happen.
        if (passes === 2) loop.wake();
        reached.get(passes)?.();
        return hour;
      },
      failed: () => {},
    });
    await until(1);
    await new Promise((resolve) => setImmediate(resolve));
    loop.wake();
    await until(3);
    expect(passes).toBe(3);
    await loop.stop();
  }, 10_000);

  test('a wake does not cut the backoff after a failed pass short', async () => {
    let passes = 0;
    let failedOnce!: () => void;
    const failing = new Promise<void>((resolve) => {
      failedOnce = resolve;
    });
    const loop = startLoop({
      logger,
      retryMinMs: hour,
      retryMaxMs: hour,
      async step() {
        passes += 1;
        // Woken during the pass that fails, and once more in its backoff below: neither may end it.
        if (passes === 1) loop.wake();
        throw new Error('down');
      },
      failed: () => failedOnce(),
    });
    await failing;
    await new Promise((resolve) => setImmediate(resolve));
    loop.wake();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(passes).toBe(1);
    await loop.stop();
  }, 10_000);

  test('a stop that arrives during a pass takes no pause after it and runs no other pass', async () => {
    let passes = 0;
    let inPass!: () => void;
    const entered = new Promise<void>((resolve) => {
      inPass = resolve;
    });
    let finishPass!: (waitMs: number) => void;
    const loop = startLoop({
      logger,
      retryMinMs: 1,
      retryMaxMs: 1,
      step() {
        passes += 1;
        inPass();
        return new Promise<number>((resolve) => {
          finishPass = resolve;
        });
      },
      failed: () => {},
    });
    await entered;
    const stopped = loop.stop();
    finishPass(hour);
    await stopped;
    expect(passes).toBe(1);
  }, 10_000);
});

test('backoff doubles from the minimum per failure, up to the maximum', () => {
  expect([1, 2, 3, 4, 5, 6].map((failures) => backoff(failures, 100, 1000))).toEqual([100, 200, 400, 800, 1000, 1000]);
});
