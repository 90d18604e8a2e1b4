import type { Admin } from 'kafkajs';
import type { Logger } from 'pino';
import type { EventMetrics } from '../metrics';

/** Sets the lag gauge from the broker: each partition's end offset minus the group's committed one. */
export function lagRefresher(admin: Admin, groupId: string, topics: string[], metrics: EventMetrics, logger: Logger) {
  return async (): Promise<void> => {
    try {
      const committed = await admin.fetchOffsets({ groupId, topics });
      for (const { topic, partitions } of committed) {
        const ends = await admin.fetchTopicOffsets(topic);
        for (const end of ends) {
          const done = partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
          const position = Number(done) >= 0 ? Number(done) : Number(end.low);
          metrics.consumerLag.set(
            { group: groupId, topic, partition: String(end.partition) },
            Math.max(0, Number(end.high) - position),
          );
        }
      }
    } catch (error) {
      logger.debug({ err: error }, 'consumer lag refresh failed');
    }
  };
}
