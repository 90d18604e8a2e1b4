// The broker-side consumer-lag exporter: its own small process (one per Kafka cluster), so lag
// is measured even when every process of a consumer group is down. Scans the broker once per
// interval and serves the cached figures at /metrics. See observability/README.md.
import { setting } from '@tulity/adapters/config';
import { createHttpApp } from '@tulity/adapters/http/app';
import { listen, onShutdown } from '@tulity/adapters/http/server';
import { createKafka } from '@tulity/adapters/kafka/client';
import { createLogger } from '@tulity/adapters/logger';
import { createMetrics } from '@tulity/adapters/metrics';
import { startScanning } from './scanner';

const service = 'lag-exporter';
const logger = createLogger(service);
const metrics = createMetrics(service);
const intervalMs = Number(setting('TULITY_LAG_SCAN_INTERVAL_MS', '15000'));
if (!Number.isInteger(intervalMs) || intervalMs < 200 || intervalMs > 600_000) {
  throw new Error('TULITY_LAG_SCAN_INTERVAL_MS must be an integer from 200 to 600000');
}
const groups = new RegExp(setting('TULITY_LAG_GROUPS', '.*'));
const kafka = createKafka(setting('TULITY_KAFKA_BROKERS', '127.0.0.1:9092').split(','), service);

const scanner = startScanning({ kafka, groups, intervalMs, registry: metrics.registry, logger });
const app = createHttpApp({ service, logger, metrics, readiness: { kafka: scanner.readiness } });
const server = await listen(app, Number(setting('PORT', '9308')));
logger.info({ port: server.port, intervalMs, groups: groups.source }, 'lag exporter listening');
onShutdown(logger, [server.close, () => scanner.stop()]);
