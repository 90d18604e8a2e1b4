// kafkajs's own request queue, with the idle spin stopped (./request-queue.ts): nothing is
// scheduled while nothing waits, and what waits still goes out.
import { afterEach, describe, expect, jest, test } from '@jest/globals';
import { RequestQueue } from './request-queue';

interface Queue {
  pending: unknown[];
  throttleCheckTimeoutId: unknown;
  push(request: object): void;
  fulfillRequest(answer: { correlationId: number; payload: Buffer; size: number }): void;
  maybeThrottle(ms: number): void;
  destroy(): void;
}

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const queues: Queue[] = [];

function queue(maxInFlightRequests: number | null = null): Queue {
  const Queue = RequestQueue as unknown as new (options: object) => Queue;
  const created = new Queue({
    maxInFlightRequests,
    requestTimeout: 30_000,
    enforceRequestTimeout: false,
    clientId: 'request-queue-test',
    broker: 'localhost:9092',
    logger: silent,
  });
  queues.push(created);
  return created;
}

let correlationIds = 0;
function request(sent: () => void) {
  const correlationId = ++correlationIds;
  return {
    correlationId,
    request: {
      entry: { correlationId, apiName: 'Metadata', apiKey: 3, apiVersion: 6, resolve() {}, reject() {} },
      expectResponse: true,
      sendRequest: sent,
    },
  };
}

const answer = (correlationId: number) => ({ correlationId, payload: Buffer.alloc(0), size: 0 });

afterEach(() => {
  for (const q of queues.splice(0)) q.destroy();
});

describe('kafkajs request queue', () => {
  test('an answer with nothing waiting schedules no check', () => {
    const q = queue();
    const { correlationId, request: first } = request(() => {});
    q.push(first);
    q.fulfillRequest(answer(correlationId));
    // kafkajs 2.2.4 sets a 1 ms timer here, which sets the next one, for as long as the connection lives.
    expect(q.throttleCheckTimeoutId).toBeNull();
  });

  test('a request queued while throttled goes out when the throttle ends', async () => {
    const q = queue();
    const sent = jest.fn();
    q.maybeThrottle(30);
    q.push(request(sent).request);
    expect(sent).not.toHaveBeenCalled();
    expect(q.pending).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sent).toHaveBeenCalledTimes(1);
    expect(q.pending).toHaveLength(0);
    expect(q.throttleCheckTimeoutId).toBeNull();
  });

  test('a request queued behind the in-flight limit goes out with the answer before it', () => {
    const q = queue(1);
    const first = request(() => {});
    const second = jest.fn();
    q.push(first.request);
    q.push(request(second).request);
    expect(second).not.toHaveBeenCalled();
    q.fulfillRequest(answer(first.correlationId));
    expect(second).toHaveBeenCalledTimes(1);
  });
});
