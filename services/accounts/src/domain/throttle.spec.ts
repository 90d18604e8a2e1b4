import { test } from '@jest/globals';
import assert from 'node:assert/strict';
import { retryAfterSeconds } from './throttle';

const rule = { maxFailures: 3, windowMs: 60_000 };
const start = new Date('2026-01-01T00:00:00Z');
const at = (ms: number) => new Date(start.getTime() + ms);

test('allows a key below the limit', () => {
  assert.equal(retryAfterSeconds(undefined, rule, start), 0);
  assert.equal(retryAfterSeconds({ failures: 2, windowStartedAt: start }, rule, at(1000)), 0);
});

test('blocks a key at the limit until its window ends, rounding the wait up', () => {
  assert.equal(retryAfterSeconds({ failures: 3, windowStartedAt: start }, rule, at(10_500)), 50);
  assert.equal(retryAfterSeconds({ failures: 3, windowStartedAt: start }, rule, at(60_000)), 0);
});
