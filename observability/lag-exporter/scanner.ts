// Runs a scan every interval, one at a time, and publishes each result into the metrics.
import type { Registry } from 'prom-client';
import type { Kafka } from '@tulity/adapters/kafka/client';
import type { Logger } from '@tulity/adapters/logger';
import { lagMetrics } from './metrics';
import { scanGroups } from './scan';

export interface Scanner {
  /** Fails until a scan has succeeded within the last three intervals. */
  readiness(): Promise<void>;
  stop(): Promise<void>;
}

export function startScanning(options: {
  kafka: Kafka;
  groups: RegExp;
  intervalMs: number;
  registry: Registry;
  logger: Logger;
}): Scanner {
  const { kafka, groups, intervalMs, logger } = options;
  const metrics = lagMetrics(options.registry);
  const admin = kafka.admin();
  let connected: Promise<void> | undefined;
  let lastSuccess = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const scanOnce = async () => {
    try {
      connected ??= admin.connect().catch((error: unknown) => {
        connected = undefined;
        throw error;
      });
      await connected;
      metrics.publish(await scanGroups(admin, groups), new Date());
      lastSuccess = Date.now();
    } catch (error) {
      metrics.scanFailed();
      logger.warn({ err: error }, 'lag scan failed; keeping the last figures');
    }
  };
  // The next scan is scheduled when one ends: a slow broker never gets overlapping scans.
  const loop = () => {
    if (stopped) return;
    running = scanOnce().finally(() => {
      if (!stopped) timer = setTimeout(loop, intervalMs);
    });
  };
  loop();

  return {
    async readiness() {
      if (Date.now() - lastSuccess > 3 * intervalMs) throw new Error('no successful scan of the broker lately');
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      await admin.disconnect();
    },
  };
}
