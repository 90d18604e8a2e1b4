import type { Product } from './product';
import type { MovementReason, ReservedLine, Shortage } from './stock';
import type { ProductUnitPrice } from './unit-price';

/**
 * What happened inside products, in domain terms. The outbox adapter maps each to its
 * integration event (the Avro contract) in one place, so contracts can evolve apart from this.
 */
export type ProductsEvent =
  | { type: 'ProductCreated'; product: Product }
  | { type: 'ProductUpdated'; product: Product }
  | { type: 'ProductDeleted'; product: Product }
  /** A price became the current one of its unit level (at once, or when a scheduled one takes effect). */
  | { type: 'PriceChanged'; price: ProductUnitPrice }
  | { type: 'StockChanged'; productId: string; delta: number; quantity: number; reason: MovementReason; reference: string | null }
  | { type: 'LowStock'; productId: string; quantity: number; threshold: number }
  | { type: 'StockReserved'; saleId: string; lines: ReservedLine[] }
  | { type: 'StockReservationRejected'; saleId: string; shortages: Shortage[] };

/** The context an event is recorded in: when, and which request or event caused it. */
export interface EventContext {
  occurredAt: Date;
  correlationId: string;
}
