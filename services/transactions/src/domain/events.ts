// The domain events of transactions: each carries everything its contract needs, so the mapping
// to Avro (adapters/kafka/integration-events.ts) reads nothing.
import type { Purchase } from './purchase';
import type { Sale, SaleReturn } from './sale';

export type TransactionsEvent =
  | { type: 'SaleRequested'; occurredAt: Date; sale: Sale }
  | { type: 'SaleConfirmed'; occurredAt: Date; sale: Sale }
  | { type: 'SaleRejected'; occurredAt: Date; sale: Sale }
  | { type: 'SaleCancelled'; occurredAt: Date; sale: Sale }
  | { type: 'SaleReturned'; occurredAt: Date; sale: Sale; saleReturn: SaleReturn }
  | { type: 'PurchaseRecorded'; occurredAt: Date; purchase: Purchase };
