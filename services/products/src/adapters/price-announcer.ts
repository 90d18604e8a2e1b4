import { randomUUID } from 'node:crypto';
import type { Logger } from '@tulity/adapters/logger';
import { announceDuePrices } from '../application/manage-prices';
import type { UnitOfWork } from '../application/ports';

/**
 * Publishes scheduled prices as they take effect: a poll every `intervalMs`, so a price is
 * announced at most that long after its time. Replicas may all run it: claims skip locked rows.
 */
export function startPriceAnnouncer(uow: UnitOfWork, logger: Logger, intervalMs = 5000): { stop(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const tick = async () => {
    try {
      const announced = await uow.run((tx) => announceDuePrices(tx, { occurredAt: new Date(), correlationId: randomUUID(), newId: randomUUID }));
      if (announced > 0) logger.info({ announced }, 'scheduled prices took effect');
    } catch (error) {
      logger.error({ err: error }, 'announcing scheduled prices failed; retrying');
    }
    if (!stopped) timer = setTimeout(() => { running = tick(); }, intervalMs);
  };
  running = tick();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
