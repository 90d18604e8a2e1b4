// Checked by `npx tsc` (not run): consumers get the type of the version they declared as reader.
import type { PurchaseRecorded, PurchaseRecordedV1, ReaderPayload } from '../src/index';

export const productsReadsV1: PurchaseRecordedV1 = {} as ReaderPayload<
  'tulity.transactions.PurchaseRecorded',
  'products'
>;
export const notificationsReadsV2: PurchaseRecorded = {} as ReaderPayload<
  'tulity.transactions.PurchaseRecorded',
  'notifications'
>;
// @ts-expect-error products reads v1, which has no supplierInvoiceNumber
export const notTheNewest: PurchaseRecorded = {} as ReaderPayload<'tulity.transactions.PurchaseRecorded', 'products'>;
// @ts-expect-error accounts is not a declared consumer
export type NotAConsumer = ReaderPayload<'tulity.transactions.PurchaseRecorded', 'accounts'>;
