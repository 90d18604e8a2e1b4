// Shapes of the transactions API as the generated types define them, named for the pages.
import type { paths } from '../../api/generated/transactions';

type Json<R> = R extends { content: { 'application/json': infer Body } } ? Body : never;
type Ok<Operation> = Operation extends { responses: { 200: infer R } } ? Json<R> : never;
type Created<Operation> = Operation extends { responses: { 201: infer R } } ? Json<R> : never;
type QueryOf<Operation> = Operation extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

export type Sale = Ok<paths['/api/v1/sales/{id}']['get']>;
export type SaleLine = Sale['lines'][number];
export type SaleStatus = Sale['status'];
export type SaleQuery = QueryOf<paths['/api/v1/sales']['get']>;
export type SaleReturn = Ok<paths['/api/v1/sales/{id}/returns']['get']>['items'][number];
export type SaleReturnCreated = Created<paths['/api/v1/sales/{id}/returns']['post']>;
export type Purchase = Ok<paths['/api/v1/purchases/{id}']['get']>;
export type PurchaseQuery = QueryOf<paths['/api/v1/purchases']['get']>;
export type PaymentMethod = NonNullable<Sale['paymentMethod']>;

export const saleStatuses: readonly SaleStatus[] = ['pending', 'confirmed', 'rejected', 'cancelled'];
export const paymentMethods: readonly PaymentMethod[] = ['cash', 'card', 'other'];

export const statusLabels: Record<SaleStatus, string> = {
  pending: 'Pending',
  confirmed: 'Confirmed',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
};
export const paymentLabels: Record<PaymentMethod, string> = { cash: 'Cash', card: 'Card', other: 'Other' };
