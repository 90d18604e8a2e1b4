import type { Product, ProductSnapshot } from './product';
import type { MovementReason, ReservedLine, Shortage } from './stock';
import type { ProductUnitPrice } from './unit-price';

/**
 * What happened inside products, in domain terms, with everything its contract needs: the
 * mapping to the Avro contracts (adapters/kafka/integration-events.ts) is pure and reads nothing.
 */
export type ProductsEvent =
  | { type: 'ProductCreated'; occurredAt: Date; snapshot: ProductSnapshot }
  /** Also when its unit levels change: consumers keep the levels in their read model. */
  | { type: 'ProductUpdated'; occurredAt: Date; snapshot: ProductSnapshot }
  | { type: 'ProductDeleted'; occurredAt: Date; product: Product }
  /** A price became the current one of its unit level (at once, or when a scheduled one takes effect). */
  | { type: 'PriceChanged'; occurredAt: Date; price: ProductUnitPrice; previous: ProductUnitPrice | null }
  | {
      type: 'StockChanged';
      occurredAt: Date;
      productId: string;
      delta: number;
      quantity: number;
      /** Base units held by sales not yet confirmed, after this change. */
      reserved: number;
      reason: MovementReason;
      reference: string | null;
    }
  | {
      type: 'LowStock';
      occurredAt: Date;
      productId: string;
      sku: string;
      name: string;
      quantity: number;
      threshold: number;
    }
  | { type: 'StockReserved'; occurredAt: Date; saleId: string; lines: ReservedLine[] }
  | { type: 'StockReservationRejected'; occurredAt: Date; saleId: string; shortages: Shortage[] };
