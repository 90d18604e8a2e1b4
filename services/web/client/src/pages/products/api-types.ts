// Shapes of the products API as the generated types define them, named for the pages.
import type { paths } from '../../api/generated/products';

type Json<R> = R extends { content: { 'application/json': infer Body } } ? Body : never;
type Ok<Operation> = Operation extends { responses: { 200: infer R } } ? Json<R> : never;
type QueryOf<Operation> = Operation extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

export type Category = Ok<paths['/api/v1/categories/{id}']['get']>;
export type Unit = Ok<paths['/api/v1/units/{id}']['get']>;
export type ProductListItem = Ok<paths['/api/v1/products']['get']>['items'][number];
export type ProductDetail = Ok<paths['/api/v1/products/{id}']['get']>;
export type UnitLevel = ProductDetail['unitLevels'][number];
export type Price = Ok<paths['/api/v1/products/{id}/prices/{priceId}']['get']>;
export type Stock = Ok<paths['/api/v1/products/{id}/stock']['get']>;
export type Movement = Ok<paths['/api/v1/products/{id}/stock-movements']['get']>['items'][number];

export type ProductSort = NonNullable<QueryOf<paths['/api/v1/products']['get']>['sort']>;
export type CategorySort = NonNullable<QueryOf<paths['/api/v1/categories']['get']>['sort']>;
export type UnitSort = NonNullable<QueryOf<paths['/api/v1/units']['get']>['sort']>;
export type MovementReason = NonNullable<QueryOf<paths['/api/v1/products/{id}/stock-movements']['get']>['reason']>;
