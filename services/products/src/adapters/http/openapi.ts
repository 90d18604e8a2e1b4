// The products API's OpenAPI document: the route table's declarations and the words around them.
// `productsDocument()` builds it without a database, for `npm run openapi:generate`.
import { declarationsOnly, openApiDocument, type OpenApiOptions } from '@tulity/adapters/http/openapi';
import { productsRoutes } from './routes';

export const productsApi: OpenApiOptions = {
  title: 'Tulity products',
  description:
    'Catalogue (categories, units, products, unit levels, prices) and stock ledger. Money in integer minor units; stock in base units.',
  tags: {
    categories: 'Groups of products',
    units: 'Units of measure products are counted and sold in (piece, box, kg)',
    products: 'The catalogue, each product with its stock',
    'unit levels': 'The units a product is sold in, each a whole number of its base unit (box = 24 pieces)',
    prices: 'Sell and buy prices per unit level, current and scheduled',
    stock: 'Stock on hand and reserved, and the ledger of its movements',
  },
};

/** The document the service serves at /openapi.json. */
export const productsDocument = () => openApiDocument(productsRoutes(declarationsOnly('useCases')), productsApi);
