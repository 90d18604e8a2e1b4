// What notifications hears about, as the domain sees it. Notifications publishes no events: these
// are the inbound happenings its rules turn into notifications, decoded from accounts', products'
// and transactions' contracts by adapters/kafka/handlers.ts.
import type { Role } from '@tulity/adapters/core/actor';

interface Happening<T extends string> {
  type: T;
  /** The id of the event that caused it: one event never yields the same notification twice. */
  eventId: string;
  occurredAt: Date;
}

export interface Money {
  minor: number;
  currency: string;
}

export type UserRegistered = Happening<'UserRegistered'> & {
  userId: string;
  username: string;
  fullName: string;
  role: Role | null;
  active: boolean;
};
export type UserUpdated = Happening<'UserUpdated'> & {
  userId: string;
  username: string;
  role: Role | null;
  active: boolean;
};
export type UserDeleted = Happening<'UserDeleted'> & { userId: string; username: string };
export type ProductCreated = Happening<'ProductCreated'> & { productId: string; sku: string; name: string };
export type ProductDeleted = Happening<'ProductDeleted'> & { productId: string; sku: string };
export type PriceChanged = Happening<'PriceChanged'> & {
  productId: string;
  unitLevelId: string;
  previous: Money | null;
  price: Money;
};
export type LowStock = Happening<'LowStock'> & {
  productId: string;
  sku: string;
  name: string;
  available: number;
  threshold: number;
};
export interface Shortage {
  productId: string;
  requested: number;
  available: number;
}
interface SaleFacts {
  saleId: string;
  cashierId: string;
  total: Money;
  lineCount: number;
}
export type SaleConfirmed = Happening<'SaleConfirmed'> & SaleFacts;
export type SaleRejected = Happening<'SaleRejected'> & SaleFacts & { reason: string; shortages: Shortage[] };
export type SaleCancelled = Happening<'SaleCancelled'> & SaleFacts & { reason: string | null };
export type SaleReturned = Happening<'SaleReturned'> & {
  saleId: string;
  returnId: string;
  cashierId: string;
  refund: Money;
  lineCount: number;
  reason: string | null;
};
export type PurchaseRecorded = Happening<'PurchaseRecorded'> & {
  purchaseId: string;
  supplierName: string;
  total: Money;
  lineCount: number;
  invoiceNumber: string | null;
};

export type NotifiableEvent =
  | UserRegistered
  | UserUpdated
  | UserDeleted
  | ProductCreated
  | ProductDeleted
  | PriceChanged
  | LowStock
  | SaleConfirmed
  | SaleRejected
  | SaleCancelled
  | SaleReturned
  | PurchaseRecorded;
