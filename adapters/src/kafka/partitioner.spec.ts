// The relay's partitioner against kafkajs's own default: the same hash of every key, the same partition.
import { describe, expect, test } from '@jest/globals';
import { Partitioners, type PartitionerArgs } from 'kafkajs';
import kafkajsMurmur2 from 'kafkajs/src/producer/partitioners/default/murmur2.js';
import { randomBytes } from 'node:crypto';
import { keyPartitioner, murmur2 } from './partitioner';

const theirs = kafkajsMurmur2 as (key: Buffer | string) => number;

const partitions = (count: number) =>
  Array.from({ length: count }, (_, partitionId) => ({
    partitionId,
    leader: 1,
    replicas: [1],
    isr: [1],
    partitionErrorCode: 0,
  }));

describe('the key partitioner', () => {
  test('hashes every key as kafkajs does, whatever its length and bytes', () => {
    for (let length = 0; length <= 64; length++) {
      for (let round = 0; round < 20; round++) {
        const key = randomBytes(length);
        expect(murmur2(key)).toBe(theirs(key));
      }
    }
    for (const key of ['', 'a', 'aggregate-7', 'é', '日本語のキー', '0f3c2a9e-6b1d-4e8a-9c7f-2d5b8a1e4c3f'])
      expect(murmur2(Buffer.from(key))).toBe(theirs(key));
  });

  test('sends a keyed message where kafkajs would, and leaves the rest to kafkajs', () => {
    const ours = keyPartitioner();
    const kafkajs = Partitioners.DefaultPartitioner();
    for (const count of [1, 3, 7, 12]) {
      for (let i = 0; i < 200; i++) {
        const args: PartitionerArgs = {
          topic: 't',
          partitionMetadata: partitions(count),
          message: { key: i % 2 ? `aggregate-${i}` : randomBytes(i % 40), value: null },
        };
        expect(ours(args)).toBe(kafkajs(args));
      }
    }
    const pinned = { topic: 't', partitionMetadata: partitions(3), message: { key: 'k', partition: 2, value: null } };
    expect(ours(pinned)).toBe(2);
    const keyless = { topic: 't', partitionMetadata: partitions(3), message: { value: 'v' } };
    expect([0, 1, 2]).toContain(ours(keyless));
  });
});
