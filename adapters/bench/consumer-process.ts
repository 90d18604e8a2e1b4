// The benchmark's consumer, in a process of its own as a consuming service would be. It reports
// when each event was applied (after its transaction committed) when asked over IPC.
import { createDatabase } from '../src/postgres/database';
import { createKafka } from '../src/kafka/client';
import { createLogger } from '../src/logger';
import { createMetrics } from '../src/metrics';
import { startConsumer } from '../src/events/consumer';
import type { EventCatalogue } from '../src/events/catalogue';

const { groupId, databaseUrl, brokers, registryUrl, catalogue } = JSON.parse(process.env.BENCH_CONSUMER ?? '{}') as {
  groupId: string;
  databaseUrl: string;
  brokers: string[];
  registryUrl: string;
  catalogue: EventCatalogue;
};
const db = createDatabase(databaseUrl);
const applied: Array<[eventId: string, appliedAt: number]> = [];
const consumer = await startConsumer({
  groupId,
  db,
  kafka: createKafka(brokers, groupId),
  registryUrl,
  catalogue,
  logger: createLogger(groupId),
  metrics: createMetrics(groupId),
  fromBeginning: true,
  handlers: Object.fromEntries(Object.keys(catalogue).map((type) => [type, async () => {}])),
  afterApply: (event) => {
    applied.push([event.eventId, Date.now()]);
  },
});
process.send?.({ ready: true });
process.on('message', async (message: { report?: boolean; stop?: boolean }) => {
  if (message.report) process.send?.({ count: applied.length });
  if (message.stop) {
    await consumer.stop();
    await db.destroy();
    process.send?.({ applied }, () => process.exit(0));
  }
});
