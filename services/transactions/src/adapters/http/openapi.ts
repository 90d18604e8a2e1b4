// The transactions API's OpenAPI document: the route table's declarations and the words around
// them. `transactionsDocument()` builds it without a database, for `npm run openapi:generate`.
import { declarationsOnly, openApiDocument, type OpenApiOptions } from '@tulity/adapters/http/openapi';
import { transactionRoutes } from './routes';

export const transactionsApi: OpenApiOptions = {
  title: 'Tulity transactions',
  description:
    'Sales (a saga with products: pending → confirmed | rejected | cancelled), returns, purchases and daily reports. ' +
    'Money in integer minor units; POSTs that create money movements honour Idempotency-Key.',
  tags: {
    sales: 'Sales at the till, their lines, cancellations and returns',
    purchases: 'Goods received from suppliers, which add stock',
    reports: 'Sales figures per day',
  },
};

/** The document the service serves at /openapi.json. */
export const transactionsDocument = () =>
  openApiDocument(transactionRoutes(declarationsOnly('useCases')), transactionsApi);
