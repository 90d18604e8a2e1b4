import type { Admin } from 'kafkajs';

/** How long a new topic may take to have a leader for every partition. */
const leadersTimeoutMs = 30_000;
const leadersPollMs = 100;

/**
 * Creates the topics that do not exist yet, with the broker's defaults, and waits for their
 * leaders. kafkajs fails a subscribe to a topic the broker is still auto-creating
 * (UNKNOWN_TOPIC_OR_PARTITION), so whoever reads a topic first makes sure it is there.
 */
export async function ensureTopics(admin: Admin, topics: string[]): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = [...new Set(topics)].filter((topic) => !existing.has(topic));
  if (missing.length > 0) {
    await admin.createTopics({ topics: missing.map((topic) => ({ topic })) });
    await leadersOf(admin, missing);
  }
  return missing;
}

/** What a KRaft broker answers for a topic it created a moment ago, before its metadata caught up. */
const notYet = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE']);

const typeOf = (error: unknown): string | undefined => {
  const { type, originalError } = (error ?? {}) as { type?: string; originalError?: unknown };
  return type ?? (originalError === undefined ? undefined : typeOf(originalError));
};

/**
 * Waits until every partition of `topics` has a leader. kafkajs's own wait (`waitForLeaders`)
 * gives up on the first UNKNOWN_TOPIC_OR_PARTITION, which a busy broker answers for a topic it has
 * just created: on a loaded machine that failed a consumer's start.
 */
async function leadersOf(admin: Admin, topics: string[]): Promise<void> {
  const deadline = Date.now() + leadersTimeoutMs;
  for (;;) {
    try {
      const metadata = await admin.fetchTopicMetadata({ topics });
      const led = metadata.topics.every(
        (topic) => topic.partitions.length > 0 && topic.partitions.every((partition) => partition.leader >= 0),
      );
      if (led) return;
    } catch (error) {
      if (!notYet.has(typeOf(error) ?? '')) throw error;
    }
    if (Date.now() > deadline)
      throw new Error(`topics without leaders after ${leadersTimeoutMs} ms: ${topics.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, leadersPollMs));
  }
}
