// The restart policy of `npm start` (stack/supervisor.mjs) on stand-in children: restarts with a
// doubling delay, says so, and gives up once, with one line, on a service that keeps crashing at start.
import { EventEmitter } from 'node:events';
import { describe, expect, test } from '@jest/globals';
import { restartDelay, supervise } from '../supervisor.mjs';

class FakeChild extends EventEmitter {
  exitCode: number | null = null;
  signalCode: string | null = null;
  constructor(readonly pid: number) {
    super();
  }
  die(signal = 'SIGKILL') {
    this.signalCode = signal;
    this.emit('exit', null, signal);
  }
  kill(signal: string) {
    this.die(signal);
  }
}

const policy = { firstDelayMs: 10, maxDelayMs: 40, healthyAfterMs: 10_000, maxStartCrashes: 3 };
const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
};

function harness({ ready }: { ready: () => boolean }) {
  const children: FakeChild[] = [];
  const lines: string[] = [];
  const givenUp: string[] = [];
  const supervisor = supervise({
    name: 'products',
    launch: () => {
      const child = new FakeChild(100 + children.length);
      children.push(child);
      return child;
    },
    isReady: async () => ready(),
    say: (line: string) => lines.push(line),
    giveUp: (line: string) => givenUp.push(line),
    policy,
    pollMs: 2,
  });
  return { children, lines, givenUp, supervisor };
}

describe('the npm start supervisor', () => {
  test('doubles the delay of quick crashes up to its cap', () => {
    expect([1, 2, 3, 4, 5].map((n) => restartDelay(n, policy))).toEqual([10, 20, 40, 40, 40]);
  });

  test('restarts a killed service, says so, and reports it ready again', async () => {
    const { children, lines, givenUp, supervisor } = harness({ ready: () => true });
    await until(() => supervisor.everReady);
    children[0]!.die();
    await until(() => lines.some((line) => line.includes('ready again')));
    expect(children).toHaveLength(2);
    expect(lines).toEqual([
      'products: exited (SIGKILL), restarting in 0.01s (restart 1)',
      'products: ready again after restart 1 (pid 101)',
    ]);
    expect(givenUp).toEqual([]);
    await supervisor.stop();
  });

  test('a service that keeps crashing before it is ready is given up once, with one line', async () => {
    const { children, givenUp, supervisor } = harness({ ready: () => false });
    for (let crash = 0; crash < policy.maxStartCrashes; crash++) {
      await until(() => children.length > crash);
      children[crash]!.die();
    }
    await until(() => givenUp.length > 0);
    await new Promise((resolve) => setTimeout(resolve, 3 * policy.maxDelayMs));
    expect(givenUp).toEqual(['products keeps crashing at start (3 times in a row, last SIGKILL); not restarting it']);
    expect(children).toHaveLength(policy.maxStartCrashes);
    expect(supervisor.everReady).toBe(false);
  });

  test('crashes after the service was ready do not count towards giving up', async () => {
    const { children, givenUp, supervisor } = harness({ ready: () => true });
    for (let crash = 0; crash < policy.maxStartCrashes + 2; crash++) {
      await until(() => children.length > crash && supervisor.everReady);
      // Each launch must be seen ready before it is killed.
      await new Promise((resolve) => setTimeout(resolve, 10));
      children[crash]!.die();
    }
    await until(() => children.length === policy.maxStartCrashes + 3);
    expect(givenUp).toEqual([]);
    await supervisor.stop();
  });
});
