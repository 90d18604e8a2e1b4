import type { Actor } from '@tulity/adapters/core/actor';
import { newPurchase, type Purchase, type PurchaseRequestLine } from '../domain/purchase';
import { once, type IdempotencyCommand } from './idempotency';
import type { TransactionsDeps } from './ports';

export interface RecordPurchaseCommand {
  actor: Actor;
  correlationId: string;
  idempotency?: IdempotencyCommand;
  supplierName: string;
  supplierReference?: string | null;
  lines: PurchaseRequestLine[];
}

/** A manager's purchase: costed from the catalogue's buy prices unless given; PurchaseRecorded adds the stock. */
export function recordPurchase<R>(
  deps: Pick<TransactionsDeps, 'uow' | 'clock' | 'ids' | 'settings'>,
  present: (purchase: Purchase) => R,
) {
  return (command: RecordPurchaseCommand): Promise<R> =>
    deps.uow.run(command.correlationId, async (tx) => {
      const now = deps.clock.now();
      return once(tx, command.actor, command.idempotency, now, async () => {
        const products = await tx.catalogue.findMany(command.lines.map((line) => line.productId));
        const purchase = newPurchase(
          {
            id: deps.ids.newId(),
            recordedBy: command.actor.userId,
            supplierName: command.supplierName,
            supplierReference: command.supplierReference,
            currency: deps.settings.currency,
            lines: command.lines,
            now,
            newId: deps.ids.newId,
          },
          products,
        );
        await tx.purchases.insert(purchase);
        await tx.events.record([{ type: 'PurchaseRecorded', occurredAt: now, purchase }]);
        return present(purchase);
      });
    });
}
