import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import './encoder';
import './request-queue';

export type { Kafka };

/** A kafkajs client for one service; kafkajs's own logs stay at warnings and above. */
export function createKafka(brokers: string[], clientId: string, extra: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({ brokers, clientId, logLevel: logLevel.WARN, ...extra });
}

/** A readiness check that passes when the broker answers a metadata request. */
export function kafkaReadiness(kafka: Kafka): () => Promise<void> {
  const admin = kafka.admin();
  let connected: Promise<void> | undefined;
  return async () => {
    connected ??= admin.connect().catch((error: unknown) => {
      connected = undefined;
      throw error;
    });
    await connected;
    await admin.describeCluster();
  };
}
