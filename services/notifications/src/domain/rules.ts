// Which happenings notify whom, with what. A happening with no rule here notifies nobody.
import type { NotifiableEvent, Shortage } from './events';
import { formatMoney } from './money';
import { bounded, type Audience, type Content } from './notification';

export interface Delivery {
  audience: Audience;
  content: Content;
}

type Rules = { [T in NotifiableEvent['type']]?: (event: Extract<NotifiableEvent, { type: T }>) => Delivery[] };

const managers = { roles: ['manager'] } as const;
const lines = (count: number) => `${count} line${count === 1 ? '' : 's'}`;
const shortage = (s: Shortage) => `product ${s.productId}: ${s.requested} requested, ${s.available} available`;

export const rules: Rules = {
  UserRegistered: (e) => [
    {
      audience: { userId: e.userId },
      content: {
        kind: 'user.welcome',
        title: `Welcome, ${e.fullName || e.username}`,
        text: `Your account "${e.username}" is ready${e.role ? ` with the role ${e.role}` : ''}.`,
        link: { resource: 'users', id: e.userId },
      },
    },
    {
      audience: { roles: ['admin'], except: e.userId },
      content: {
        kind: 'user.registered',
        title: `New user ${e.username}`,
        text: `${e.fullName || e.username} was registered${e.role ? ` as ${e.role}` : ''}.`,
        link: { resource: 'users', id: e.userId },
      },
    },
  ],
  ProductCreated: (e) => [
    {
      audience: managers,
      content: {
        kind: 'product.created',
        title: `New product ${e.name}`,
        text: `SKU ${e.sku} was added to the catalogue.`,
        link: { resource: 'products', id: e.productId },
      },
    },
  ],
  ProductDeleted: (e) => [
    {
      audience: managers,
      content: {
        kind: 'product.deleted',
        title: `Product ${e.sku} deleted`,
        text: `SKU ${e.sku} was removed from the catalogue.`,
        link: { resource: 'products', id: e.productId },
      },
    },
  ],
  PriceChanged: (e) => [
    {
      audience: managers,
      content: {
        kind: 'product.price-changed',
        title: `Price changed to ${formatMoney(e.price)}`,
        text: `${e.previous ? `From ${formatMoney(e.previous)} to ${formatMoney(e.price)}` : `Set to ${formatMoney(e.price)}`} for unit level ${e.unitLevelId}.`,
        link: { resource: 'products', id: e.productId },
      },
    },
  ],
  LowStock: (e) => [
    {
      audience: { roles: ['manager', 'admin'] },
      content: {
        kind: 'stock.low',
        title: `Low stock: ${e.name}`,
        text: `${e.sku}: ${e.available} left, threshold ${e.threshold} (base units).`,
        link: { resource: 'products', id: e.productId },
      },
    },
  ],
  SaleConfirmed: (e) => [
    {
      audience: { userId: e.cashierId },
      content: {
        kind: 'sale.confirmed',
        title: 'Sale confirmed',
        text: `Your sale of ${formatMoney(e.total)} (${lines(e.lineCount)}) is confirmed.`,
        link: { resource: 'sales', id: e.saleId },
      },
    },
  ],
  SaleRejected: (e) => [
    {
      audience: { userId: e.cashierId },
      content: {
        kind: 'sale.rejected',
        title: 'Sale rejected',
        text: `Your sale of ${formatMoney(e.total)} was rejected (${e.reason})${e.shortages.length ? `: ${e.shortages.map(shortage).join('; ')}` : ''}.`,
        link: { resource: 'sales', id: e.saleId },
      },
    },
  ],
  SaleCancelled: (e) => [
    {
      audience: { userId: e.cashierId },
      content: {
        kind: 'sale.cancelled',
        title: 'Sale cancelled',
        text: `Your sale of ${formatMoney(e.total)} was cancelled${e.reason ? `: ${e.reason}` : ''}.`,
        link: { resource: 'sales', id: e.saleId },
      },
    },
  ],
  SaleReturned: (e) => [
    {
      audience: { userId: e.cashierId },
      content: {
        kind: 'sale.returned',
        title: 'Goods returned',
        text: `${lines(e.lineCount)} of your sale came back; ${formatMoney(e.refund)} refunded${e.reason ? `: ${e.reason}` : ''}.`,
        link: { resource: 'sales', id: e.saleId },
      },
    },
  ],
  PurchaseRecorded: (e) => [
    {
      audience: managers,
      content: {
        kind: 'purchase.recorded',
        title: `Purchase from ${e.supplierName}`,
        text: `${formatMoney(e.total)}, ${lines(e.lineCount)}${e.invoiceNumber ? `, invoice ${e.invoiceNumber}` : ''}.`,
        link: { resource: 'purchases', id: e.purchaseId },
      },
    },
  ],
};

/** The notifications a happening asks for; none when it has no rule. */
export function deliveriesFor(event: NotifiableEvent): Delivery[] {
  const rule = rules[event.type] as ((e: NotifiableEvent) => Delivery[]) | undefined;
  return (rule?.(event) ?? []).map((delivery) => ({ ...delivery, content: bounded(delivery.content) }));
}
