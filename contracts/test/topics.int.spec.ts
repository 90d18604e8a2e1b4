// A fresh broker gets every catalogue topic and its dead-letter topic before any service runs,
// so no consumer ever subscribes to a topic the broker is still auto-creating.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, expect } from '@jest/globals';
import { createKafka } from '@tulity/adapters/kafka/client';
import { topics } from '../src/catalogue';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const brokers = (process.env.TULITY_KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

test('contracts:topics creates every catalogue topic with its dead-letter topic, and is safe to run again', async () => {
  const run = () =>
    spawnSync(process.execPath, ['--import', 'tsx', 'contracts/scripts/topics.ts'], { cwd: root, encoding: 'utf8' });
  const wanted = Object.keys(topics).flatMap((topic) => [topic, `${topic}.dlq`]);

  const first = run();
  const second = run();

  expect(first).toMatchObject({ status: 0 });
  expect(first.stdout).toMatch(new RegExp(`\\[contracts\\] ${wanted.length} topics in place`));
  expect(second).toMatchObject({ status: 0 });
  expect(second.stdout).toMatch(/\(0 created\)/);
  const admin = createKafka(brokers, 'contracts-topics-test').admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    expect(wanted.filter((topic) => !existing.has(topic))).toEqual([]);
  } finally {
    await admin.disconnect();
  }
});
