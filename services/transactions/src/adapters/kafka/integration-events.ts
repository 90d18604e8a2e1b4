// Domain event → Avro contract payload: a pure function of the event and its envelope.
import type {
  PurchaseRecorded,
  SaleCancelled,
  SaleConfirmed,
  SaleRejected,
  SaleRequested,
  SaleReturned,
  EventType,
} from '@tulity/contracts';
import type { OutgoingEvent } from '@tulity/adapters/events/outbox';
import type { TransactionsEvent } from '../../domain/events';
import type { Sale } from '../../domain/sale';

export interface Envelope {
  eventId: string;
  correlationId: string;
}

const typeOf: Record<TransactionsEvent['type'], EventType> = {
  SaleRequested: 'tulity.transactions.SaleRequested',
  SaleConfirmed: 'tulity.transactions.SaleConfirmed',
  SaleRejected: 'tulity.transactions.SaleRejected',
  SaleCancelled: 'tulity.transactions.SaleCancelled',
  SaleReturned: 'tulity.transactions.SaleReturned',
  PurchaseRecorded: 'tulity.transactions.PurchaseRecorded',
};

/** The part every sale event shares. lineTotalMinor is the line's total after its discount. */
function saleBody(sale: Sale) {
  return {
    cashierId: sale.cashierId,
    currency: sale.currency,
    lines: sale.lines.map((line) => ({
      productId: line.productId,
      unitLevelId: line.unitLevelId,
      quantity: line.quantity,
      conversionFactor: line.conversionFactor,
      baseQuantity: line.baseQuantity,
      unitPriceMinor: line.unitPriceMinor,
      lineTotalMinor: line.lineTotalMinor,
    })),
    totalMinor: sale.totalMinor,
  };
}

export function toIntegrationEvent(event: TransactionsEvent, envelope: Envelope): OutgoingEvent {
  const head = {
    eventId: envelope.eventId,
    occurredAt: event.occurredAt.getTime(),
    correlationId: envelope.correlationId,
  };
  const type = typeOf[event.type];
  switch (event.type) {
    case 'SaleRequested':
    case 'SaleConfirmed': {
      const payload: SaleRequested | SaleConfirmed = { ...head, aggregateId: event.sale.id, ...saleBody(event.sale) };
      return { type, key: event.sale.id, payload: { ...payload } };
    }
    case 'SaleRejected': {
      const rejection = event.sale.rejection ?? { reason: 'unknown', shortages: [] };
      const payload: SaleRejected = {
        ...head,
        aggregateId: event.sale.id,
        ...saleBody(event.sale),
        reason: rejection.reason,
        shortages: rejection.shortages.map((s) => ({
          productId: s.productId,
          requestedBase: s.requestedBase,
          availableBase: s.availableBase,
        })),
      };
      return { type, key: event.sale.id, payload: { ...payload } };
    }
    case 'SaleCancelled': {
      const payload: SaleCancelled = {
        ...head,
        aggregateId: event.sale.id,
        ...saleBody(event.sale),
        cancelledBy: event.sale.cancellation?.by ?? 'unknown',
        reason: event.sale.cancellation?.reason ?? null,
      };
      return { type, key: event.sale.id, payload: { ...payload } };
    }
    case 'SaleReturned': {
      const { saleReturn } = event;
      const payload: SaleReturned = {
        ...head,
        aggregateId: event.sale.id,
        returnId: saleReturn.id,
        cashierId: event.sale.cashierId,
        returnedBy: saleReturn.returnedBy,
        currency: event.sale.currency,
        lines: saleReturn.lines.map((line) => ({ ...line })),
        refundMinor: saleReturn.refundMinor,
        reason: saleReturn.reason,
      };
      return { type, key: event.sale.id, payload: { ...payload } };
    }
    case 'PurchaseRecorded': {
      const { purchase } = event;
      const payload: PurchaseRecorded = {
        ...head,
        aggregateId: purchase.id,
        recordedBy: purchase.recordedBy,
        supplierName: purchase.supplierName,
        currency: purchase.currency,
        lines: purchase.lines.map((line) => ({
          productId: line.productId,
          unitLevelId: line.unitLevelId,
          quantity: line.quantity,
          conversionFactor: line.conversionFactor,
          baseQuantity: line.baseQuantity,
          unitCostMinor: line.unitCostMinor,
          lineTotalMinor: line.lineTotalMinor,
        })),
        totalMinor: purchase.totalMinor,
        supplierInvoiceNumber: purchase.supplierReference,
      };
      return { type, key: purchase.id, payload: { ...payload } };
    }
  }
}
