// Background work beside the relay: publishes scheduled prices as they take effect. It drives use
// cases on a timer, as handlers drive them on events. Replicas may all run it: a price another
// announcer holds is skipped.
import { randomUUID } from 'node:crypto';
import type { Logger } from '@tulity/adapters/logger';
import { startLoop, type Loop } from '@tulity/adapters/loop';
import type { announcePrice, duePrices, setAsideAnnouncement } from '../application/announce-prices';

interface AnnouncerUseCases {
  duePrices: ReturnType<typeof duePrices>;
  announcePrice: ReturnType<typeof announcePrice>;
  setAsideAnnouncement: ReturnType<typeof setAsideAnnouncement>;
}

/**
 * One pass: every due price in its own transaction. A price that cannot be announced (say, a
 * stored amount its contract refuses) is set aside with the reason and logged; the others are
 * still announced. Returns how many were announced and how many were due.
 */
export async function announceDue(
  useCases: AnnouncerUseCases,
  logger: Logger,
  batch = 100,
): Promise<{ announced: number; due: number }> {
  const due = await useCases.duePrices(batch);
  let announced = 0;
  for (const priceId of due) {
    const correlationId = randomUUID();
    try {
      if (await useCases.announcePrice({ correlationId, priceId })) announced += 1;
    } catch (error) {
      logger.error(
        { err: error, priceId },
        'a scheduled price could not be announced; it is set aside and the others go on',
      );
      await useCases.setAsideAnnouncement({
        correlationId,
        priceId,
        reason: error instanceof Error ? error.message : String(error),
      });
    }
  }
  if (announced > 0) logger.info({ announced }, 'scheduled prices took effect');
  return { announced, due: due.length };
}

/** Polls every `intervalMs` (at once again while a pass comes back full), so a price is announced at most that late. */
export function startPriceAnnouncer(useCases: AnnouncerUseCases, logger: Logger, intervalMs = 5000, batch = 100): Loop {
  return startLoop({
    step: async () => ((await announceDue(useCases, logger, batch)).due === batch ? 0 : intervalMs),
    failed: (error) => logger.error({ err: error }, 'announcing scheduled prices failed; retrying'),
    retryMinMs: 1000,
    retryMaxMs: 30_000,
    logger,
  });
}
