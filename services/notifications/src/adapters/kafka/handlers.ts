// Inbound events → the hearEvent use case, in the consumer's inbox transaction (so a redelivered
// event finds its id in the inbox and creates nothing), plus the revocation handlers every service
// runs, which here also end the streams of a revoked session or user.
import type { Knex } from 'knex';
import { readerCatalogue, type ReaderPayload } from '@tulity/contracts';
import { revocationHandlers } from '@tulity/adapters/auth/revocation';
import type { EventHandler, IncomingEvent } from '@tulity/adapters/events/consumer';
import type { NotifiableEvent } from '../../domain/events';
import { deliveriesFor } from '../../domain/rules';
import { roleOf } from '../../domain/recipient';
import type { HearEventCommand } from '../../application/hear-event';

const envelope = (p: { eventId: string; occurredAt: number | Date }) => ({
  eventId: p.eventId,
  occurredAt: new Date(p.occurredAt),
});
const money = (minor: number, currency: string) => ({ minor: Number(minor), currency });

/** Each consumed contract, decoded with notifications' reader schema, as the domain hears it. */
const decoders = {
  'tulity.accounts.UserRegistered': (
    p: ReaderPayload<'tulity.accounts.UserRegistered', 'notifications'>,
  ): NotifiableEvent => ({
    type: 'UserRegistered',
    ...envelope(p),
    userId: p.aggregateId,
    username: p.username,
    fullName: p.fullName,
    role: roleOf(p.roles),
    active: p.active,
  }),
  'tulity.accounts.UserUpdated': (
    p: ReaderPayload<'tulity.accounts.UserUpdated', 'notifications'>,
  ): NotifiableEvent => ({
    type: 'UserUpdated',
    ...envelope(p),
    userId: p.aggregateId,
    username: p.username,
    role: roleOf(p.roles),
    active: p.active,
  }),
  'tulity.accounts.UserDeleted': (
    p: ReaderPayload<'tulity.accounts.UserDeleted', 'notifications'>,
  ): NotifiableEvent => ({
    type: 'UserDeleted',
    ...envelope(p),
    userId: p.aggregateId,
    username: p.username,
  }),
  'tulity.products.ProductCreated': (
    p: ReaderPayload<'tulity.products.ProductCreated', 'notifications'>,
  ): NotifiableEvent => ({
    type: 'ProductCreated',
    ...envelope(p),
    productId: p.aggregateId,
    sku: p.sku,
    name: p.name,
  }),
  'tulity.products.ProductDeleted': (
    p: ReaderPayload<'tulity.products.ProductDeleted', 'notifications'>,
  ): NotifiableEvent => ({
    type: 'ProductDeleted',
    ...envelope(p),
    productId: p.aggregateId,
    sku: p.sku,
  }),
  'tulity.products.PriceChanged': (
    p: ReaderPayload<'tulity.products.PriceChanged', 'notifications'>,
  ): NotifiableEvent => ({
    type: 'PriceChanged',
    ...envelope(p),
    productId: p.aggregateId,
    unitLevelId: p.unitLevelId,
    previous: p.previousPriceMinor === null ? null : money(p.previousPriceMinor, p.currency),
    price: money(p.priceMinor, p.currency),
  }),
  'tulity.products.LowStock': (p: ReaderPayload<'tulity.products.LowStock', 'notifications'>): NotifiableEvent => ({
    type: 'LowStock',
    ...envelope(p),
    productId: p.aggregateId,
    sku: p.sku,
    name: p.name,
    available: Number(p.availableBase),
    threshold: Number(p.thresholdBase),
  }),
  'tulity.transactions.SaleConfirmed': (
    p: ReaderPayload<'tulity.transactions.SaleConfirmed', 'notifications'>,
  ): NotifiableEvent => ({
    type: 'SaleConfirmed',
    ...envelope(p),
    saleId: p.aggregateId,
    cashierId: p.cashierId,
    total: money(p.totalMinor, p.currency),
    lineCount: p.lines.length,
  }),
  'tulity.transactions.SaleRejected': (
    p: ReaderPayload<'tulity.transactions.SaleRejected', 'notifications'>,
  ): NotifiableEvent => ({
    type: 'SaleRejected',
    ...envelope(p),
    saleId: p.aggregateId,
    cashierId: p.cashierId,
    total: money(p.totalMinor, p.currency),
    lineCount: p.lines.length,
    reason: p.reason,
    shortages: p.shortages.map((s) => ({
      productId: s.productId,
      requested: Number(s.requestedBase),
      available: Number(s.availableBase),
    })),
  }),
  'tulity.transactions.SaleCancelled': (
    p: ReaderPayload<'tulity.transactions.SaleCancelled', 'notifications'>,
  ): NotifiableEvent => ({
    type: 'SaleCancelled',
    ...envelope(p),
    saleId: p.aggregateId,
    cashierId: p.cashierId,
    total: money(p.totalMinor, p.currency),
    lineCount: p.lines.length,
    reason: p.reason,
  }),
  'tulity.transactions.SaleReturned': (
    p: ReaderPayload<'tulity.transactions.SaleReturned', 'notifications'>,
  ): NotifiableEvent => ({
    type: 'SaleReturned',
    ...envelope(p),
    saleId: p.aggregateId,
    returnId: p.returnId,
    cashierId: p.cashierId,
    refund: money(p.refundMinor, p.currency),
    lineCount: p.lines.length,
    reason: p.reason,
  }),
  'tulity.transactions.PurchaseRecorded': (
    p: ReaderPayload<'tulity.transactions.PurchaseRecorded', 'notifications'>,
  ): NotifiableEvent => ({
    type: 'PurchaseRecorded',
    ...envelope(p),
    purchaseId: p.aggregateId,
    supplierName: p.supplierName,
    total: money(p.totalMinor, p.currency),
    lineCount: p.lines.length,
    invoiceNumber: p.supplierInvoiceNumber,
  }),
} as const;

/** What notifications reads, with its reader schemas: the contracts catalogue's entries naming it as a consumer. */
export const consumerCatalogue = () => readerCatalogue('notifications');

/**
 * The recipients a run of events will lock: the roles and users its notifications go to, and the
 * users it changes. An event that cannot be decoded names none; its handler refuses it.
 */
export function recipientsNamedBy(events: readonly IncomingEvent[]): { roles: string[]; userIds: string[] } {
  const roles = new Set<string>();
  const userIds = new Set<string>();
  for (const { type, payload } of events) {
    const decode = decoders[type as keyof typeof decoders] as ((p: unknown) => NotifiableEvent) | undefined;
    if (!decode) continue;
    let event: NotifiableEvent;
    try {
      event = decode(payload);
    } catch {
      continue;
    }
    if ('userId' in event) userIds.add(event.userId);
    for (const { audience } of deliveriesFor(event)) {
      if ('userId' in audience) userIds.add(audience.userId);
      else for (const role of audience.roles) roles.add(role);
    }
  }
  return { roles: [...roles], userIds: [...userIds] };
}

export interface HandlerOptions {
  /** The use case, bound to the inbox transaction of the event being applied. */
  hearEventIn(trx: Knex.Transaction): (command: HearEventCommand) => Promise<unknown>;
  maxTokenLifetimeMs?: number;
}

export function eventHandlers(options: HandlerOptions): Record<string, EventHandler> {
  const revocations = revocationHandlers({ maxTokenLifetimeMs: options.maxTokenLifetimeMs });
  const handlers: Record<string, EventHandler> = { ...revocations };
  for (const [type, decode] of Object.entries(decoders)) {
    const hear: EventHandler = async (event: IncomingEvent<any>, trx) => {
      await options.hearEventIn(trx)({
        event: (decode as (p: unknown) => NotifiableEvent)(event.payload),
        correlationId: String(event.payload.correlationId),
      });
    };
    const revoke = revocations[type];
    // Accounts' user events feed both the revocations and the read model of users.
    handlers[type] = revoke
      ? async (event, trx) => {
          await revoke(event, trx);
          await hear(event, trx);
        }
      : hear;
  }
  return handlers;
}
