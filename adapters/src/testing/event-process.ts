// A relay or consumer in a process of its own, so a test can SIGKILL it at a chosen point.
// Driven by TULITY_TEST_PROCESS (JSON, see ProcessConfig); reports its state over IPC.
import { createDatabase } from '../postgres/database';
import { createKafka } from '../kafka/client';
import { createLogger } from '../logger';
import { createMetrics } from '../metrics';
import { startRelay } from '../events/relay';
import { startConsumer } from '../events/consumer';
import type { EventCatalogue } from '../events/catalogue';
import { counterTotal, recordEffect } from './events';

export interface ProcessConfig {
  role: 'relay' | 'consumer';
  name: string;
  databaseUrl: string;
  brokers: string[];
  registryUrl: string;
  catalogue: EventCatalogue;
  /** SIGKILL itself after this many events were produced (relay) or applied (consumer), before they are marked / committed. */
  killAfter?: number;
  /** Consumer: each applied event then takes this long before its offset is committed, so a test can freeze the process mid-batch. */
  applyDelayMs?: number;
}

const config = JSON.parse(process.env.TULITY_TEST_PROCESS ?? '{}') as ProcessConfig;
const send = (message: object) => process.send?.(message);
const db = createDatabase(config.databaseUrl, { min: 0, max: 4 });
const kafka = createKafka(config.brokers, config.name, { retry: { retries: 3, initialRetryTime: 100 } });
const logger = createLogger(config.name);
const metrics = createMetrics(config.name);
let seen = 0;
const maybeDie = (count: number) => {
  seen += count;
  // The test's fault: die the hard way, with no chance to mark or commit what was just done.
  if (config.killAfter !== undefined && seen >= config.killAfter) process.kill(process.pid, 'SIGKILL');
};

if (config.role === 'relay') {
  const relay = startRelay({
    service: config.name,
    db,
    kafka,
    registryUrl: config.registryUrl,
    catalogue: config.catalogue,
    logger,
    metrics,
    lockRetryMs: 200,
    retryMaxMs: 1000,
    afterProduce: (ids) => maybeDie(ids.length),
  });
  const watch = setInterval(() => {
    if (relay.isActive) {
      clearInterval(watch);
      send({ state: 'active' });
    }
  }, 20);
  process.on('SIGTERM', async () => {
    clearInterval(watch);
    await relay.stop();
    await db.destroy();
    process.exit(0);
  });
} else {
  const consumer = await startConsumer({
    groupId: config.name,
    db,
    kafka,
    registryUrl: config.registryUrl,
    catalogue: config.catalogue,
    logger,
    metrics,
    fromBeginning: true,
    retryMinMs: 50,
    retryMaxMs: 500,
    sessionTimeoutMs: 6000,
    handlers: Object.fromEntries(
      Object.keys(config.catalogue).map((type) => [type, (event, trx) => recordEffect(config.name, event, trx)]),
    ),
    afterApply: async () => {
      maybeDie(1);
      if (config.applyDelayMs) await new Promise((resolve) => setTimeout(resolve, config.applyDelayMs));
    },
  });
  send({ state: 'ready' });
  // Reports the first restart after a crash, as counted by consumer_restarts_total.
  const watch = setInterval(async () => {
    if ((await counterTotal(metrics.registry, 'consumer_restarts_total')) === 0) return;
    clearInterval(watch);
    send({ state: 'restarted' });
  }, 100);
  process.on('SIGTERM', async () => {
    clearInterval(watch);
    await consumer.stop();
    await db.destroy();
    process.exit(0);
  });
}
