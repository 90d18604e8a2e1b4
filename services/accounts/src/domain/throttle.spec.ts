import { expect, test } from '@jest/globals';
import { waitMs, withAttempt, type AttemptWindow } from './throttle';

const rule = { maxAttempts: 3, windowMs: 60_000 };
const start = new Date('2026-01-01T00:00:00Z');
const at = (ms: number) => new Date(start.getTime() + ms);
const window = (attempts: number, lastAttemptMs = 0): AttemptWindow => ({
  attempts,
  windowStartedAt: start,
  lastAttemptAt: at(lastAttemptMs),
});

test('allows a key below the limit', () => {
  expect(waitMs(undefined, rule, start)).toBe(0);
  expect(waitMs(window(2), rule, at(1000))).toBe(0);
});

test('blocks a key at the limit until its window ends', () => {
  expect(waitMs(window(3), rule, at(10_500))).toBe(49_500);
  expect(waitMs(window(3), rule, at(60_000))).toBe(0);
});

test('a progressive delay starts at the second check and doubles with each one after it', () => {
  const slowing = { ...rule, maxAttempts: 10, delayMs: 1000 };

  expect(waitMs(window(1), slowing, at(0))).toBe(0);
  expect(waitMs(window(2), slowing, at(0))).toBe(1000);
  expect(waitMs(window(4), slowing, at(1000))).toBe(3000);
  expect(waitMs(window(4), slowing, at(4000))).toBe(0);
});

test('counting a check starts a new window once the last one ended', () => {
  expect(withAttempt(window(2), rule, at(5000))).toEqual({
    attempts: 3,
    windowStartedAt: start,
    lastAttemptAt: at(5000),
  });
  expect(withAttempt(window(3), rule, at(60_000))).toEqual({
    attempts: 1,
    windowStartedAt: at(60_000),
    lastAttemptAt: at(60_000),
  });
});
