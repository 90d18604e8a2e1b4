// `npm run contracts:topics`: creates every topic of the catalogue and its dead-letter topic, so
// a fresh broker looks like a deployed one before any service reads or writes. Run by the
// stack's start after registration; safe to run again.
import { createKafka } from '@tulity/adapters/kafka/client';
import { ensureTopics } from '@tulity/adapters/kafka/topics';
import { deadLetterTopic } from '@tulity/adapters/events/dead-letters';
import { topics } from '../src/catalogue';

const brokers = (process.env.TULITY_KAFKA_BROKERS || '127.0.0.1:9092').split(',');
const wanted = Object.keys(topics).flatMap((topic) => [topic, deadLetterTopic(topic)]);
const admin = createKafka(brokers, 'contracts-topics', { retry: { retries: 3 } }).admin();
try {
  await admin.connect();
  const created = await ensureTopics(admin, wanted);
  console.log(`[contracts] ${wanted.length} topics in place (${created.length} created)`);
} catch (error) {
  console.error(`[contracts] could not create the topics on ${brokers.join(',')}: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await admin.disconnect();
}
