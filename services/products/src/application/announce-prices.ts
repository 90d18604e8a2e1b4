import { announce } from './manage-prices';
import type { Command, ProductsDeps } from './ports';

// Scheduled prices are announced when they take effect, one transaction per price, so a price
// that cannot be announced holds back no other.

/** Ids of prices that have taken effect and wait to be announced, oldest first. */
export function duePrices(deps: Pick<ProductsDeps, 'uow' | 'clock'>) {
  return (limit: number): Promise<string[]> => deps.uow.read((reads) => reads.prices.due(deps.clock.now(), limit));
}

/** True when this call announced it; false when it already was, or another announcer holds it. */
export function announcePrice(deps: Pick<ProductsDeps, 'uow' | 'clock'>) {
  return (command: Command & { priceId: string }): Promise<boolean> =>
    deps.uow.run(command.correlationId, async (tx) => {
      const price = await tx.prices.getUnannouncedForUpdate(command.priceId);
      if (!price) return false;
      await announce(tx, price, deps.clock.now());
      return true;
    });
}

/** Records why a price could not be announced; it is retried later, behind the others. */
export function setAsideAnnouncement(deps: Pick<ProductsDeps, 'uow' | 'clock'>) {
  return (command: Command & { priceId: string; reason: string }): Promise<void> =>
    deps.uow.run(command.correlationId, (tx) =>
      tx.prices.markAnnouncementFailed(command.priceId, command.reason, deps.clock.now()),
    );
}
