// The dead-letter replay command, run after the fix that makes the letters applicable:
//   node --import tsx adapters/src/events/replay-dead-letters.ts <topic>.dlq [more.dlq ...]
import { createKafka } from '../kafka/client';
import { createLogger } from '../logger';
import { replayDeadLetters } from './replay';

const topics = process.argv.slice(2);
if (topics.length === 0 || topics.some((topic) => !topic.endsWith('.dlq'))) {
  console.error('usage: replay-dead-letters.ts <topic>.dlq [...]');
  process.exit(2);
}
const kafka = createKafka((process.env.TULITY_KAFKA_BROKERS ?? '127.0.0.1:9092').split(','), 'tulity-dlq-replay');
const logger = createLogger('dlq-replay');
for (const deadLetterTopic of topics) {
  const { replayed } = await replayDeadLetters({ kafka, deadLetterTopic, logger });
  console.log(`${deadLetterTopic}: ${replayed} dead letters replayed`);
}
