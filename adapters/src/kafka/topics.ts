import type { Admin } from 'kafkajs';

/**
 * Creates the topics that do not exist yet, with the broker's defaults, and waits for their
 * leaders. kafkajs fails a subscribe to a topic the broker is still auto-creating
 * (UNKNOWN_TOPIC_OR_PARTITION), so whoever reads a topic first makes sure it is there.
 */
export async function ensureTopics(admin: Admin, topics: string[]): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = [...new Set(topics)].filter((topic) => !existing.has(topic));
  if (missing.length > 0) {
    await admin.createTopics({ topics: missing.map((topic) => ({ topic })), waitForLeaders: true });
  }
  return missing;
}
