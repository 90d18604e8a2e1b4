// One scan of the broker: every matching consumer group's committed offsets against every
// partition's log-end offset, read through the Kafka admin API (as kafka_exporter, Burrow and
// KMinion do). The broker keeps a group's offsets after its last consumer left, so a group whose
// process is down still shows up here, with its lag growing.
import type { Admin } from 'kafkajs';

/** The admin calls a scan needs; kafkajs's Admin has them. */
export type OffsetsAdmin = Pick<Admin, 'listGroups' | 'describeGroups' | 'fetchOffsets' | 'fetchTopicOffsets'>;

export interface PartitionLag {
  group: string;
  topic: string;
  partition: number;
  /** null on a partition of the group's topic that it has never committed on. */
  committed: number | null;
  logEnd: number;
  /**
   * Log-end minus committed, never below zero (a commit can race ahead of the end we read). On a
   * partition never committed on, everything the log still holds: the services' consumers start
   * from the beginning, so none of it has been read.
   */
  lag: number;
}

export interface GroupState {
  group: string;
  /** The coordinator's word: Stable, Empty, PreparingRebalance, CompletingRebalance, Dead. */
  state: string;
  members: number;
}

export interface Snapshot {
  groups: GroupState[];
  partitions: PartitionLag[];
  /** Log-end offset of every partition of every topic a group has committed on. */
  logEnds: Array<{ topic: string; partition: number; logEnd: number }>;
}

/** Scans the groups whose id matches `groups`; a topic is read once however many groups commit on it. */
export async function scanGroups(admin: OffsetsAdmin, groups: RegExp): Promise<Snapshot> {
  const listed = (await admin.listGroups()).groups
    // Only consumer groups keep offsets; Connect and share groups are out of scope.
    .filter((g) => (g.protocolType === 'consumer' || g.protocolType === '') && groups.test(g.groupId))
    .map((g) => g.groupId)
    .sort();
  if (listed.length === 0) return { groups: [], partitions: [], logEnds: [] };

  const described = (await admin.describeGroups(listed)).groups;
  const committedByGroup = await Promise.all(
    listed.map(async (group) => ({ group, topics: await admin.fetchOffsets({ groupId: group }) })),
  );

  const topics = [...new Set(committedByGroup.flatMap(({ topics }) => topics.map((t) => t.topic)))].sort();
  const endsByTopic = new Map(
    await Promise.all(topics.map(async (topic) => [topic, await admin.fetchTopicOffsets(topic)] as const)),
  );

  // A group's topics are those it has committed on; every partition of them counts, including
  // those it has not committed on yet (the broker answers -1 for them, or leaves them out).
  const partitions: PartitionLag[] = [];
  for (const { group, topics: committed } of committedByGroup) {
    for (const { topic, partitions: offsets } of committed) {
      if (!offsets.some(({ offset }) => Number(offset) >= 0)) continue;
      for (const end of endsByTopic.get(topic) ?? []) {
        const offset = Number(offsets.find((o) => o.partition === end.partition)?.offset ?? -1);
        const logEnd = Number(end.high);
        const lag = offset >= 0 ? logEnd - offset : logEnd - Number(end.low);
        partitions.push({
          group,
          topic,
          partition: end.partition,
          committed: offset >= 0 ? offset : null,
          logEnd,
          lag: Math.max(0, lag),
        });
      }
    }
  }
  return {
    groups: described.map((g) => ({ group: g.groupId, state: g.state, members: g.members.length })),
    partitions,
    logEnds: [...endsByTopic].flatMap(([topic, ends]) =>
      ends.map((e) => ({ topic, partition: e.partition, logEnd: Number(e.high) })),
    ),
  };
}
