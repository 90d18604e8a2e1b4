// Waiting for a new topic's leaders through the answers a busy KRaft broker gives (a fake admin:
// the real broker gives them only now and then, which is what failed a consumer's start in CI).
import { describe, expect, test } from '@jest/globals';
import { KafkaJSProtocolError, type Admin } from 'kafkajs';
import { ensureTopics } from './topics';

const unknownTopic = () =>
  Object.assign(new KafkaJSProtocolError('This server does not host this topic-partition'), {
    type: 'UNKNOWN_TOPIC_OR_PARTITION',
  });

/** An admin whose metadata answers come from `answers` in turn, the last one from then on. */
function fakeAdmin(existing: string[], answers: Array<Error | number>) {
  const created: string[] = [];
  let asked = 0;
  const admin = {
    listTopics: async () => existing,
    createTopics: async ({ topics }: { topics: Array<{ topic: string }> }) => {
      created.push(...topics.map((t) => t.topic));
      return true;
    },
    fetchTopicMetadata: async ({ topics }: { topics: string[] }) => {
      const answer = answers[Math.min(asked++, answers.length - 1)]!;
      if (answer instanceof Error) throw answer;
      return { topics: topics.map((name) => ({ name, partitions: [{ partitionId: 0, leader: answer }] })) };
    },
  };
  return { admin: admin as unknown as Admin, created, asked: () => asked };
}

describe('ensureTopics', () => {
  test('creates only the missing topics and waits through "unknown topic" and leaderless answers', async () => {
    const fake = fakeAdmin(['old'], [unknownTopic(), unknownTopic(), -1, 1]);
    await expect(ensureTopics(fake.admin, ['old', 'new', 'new'])).resolves.toEqual(['new']);
    expect(fake.created).toEqual(['new']);
    expect(fake.asked()).toBe(4);
  });

  test('creates nothing and asks nothing when every topic exists', async () => {
    const fake = fakeAdmin(['a', 'b'], [unknownTopic()]);
    await expect(ensureTopics(fake.admin, ['a', 'b'])).resolves.toEqual([]);
    expect(fake.asked()).toBe(0);
  });

  test('passes any other failure on at once', async () => {
    const refused = Object.assign(new KafkaJSProtocolError('Not authorized'), { type: 'TOPIC_AUTHORIZATION_FAILED' });
    const fake = fakeAdmin([], [refused]);
    await expect(ensureTopics(fake.admin, ['t'])).rejects.toBe(refused);
    expect(fake.asked()).toBe(1);
  });
});
