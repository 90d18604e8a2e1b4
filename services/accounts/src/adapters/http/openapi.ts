// The accounts API's OpenAPI document: the route table's declarations and the words around them.
// `accountsDocument()` builds it without a database or keys, for `npm run openapi:generate`.
import { declarationsOnly, openApiDocument, type OpenApiOptions } from '@tulity/adapters/http/openapi';
import { accountsRoutes } from './routes';

export const accountsApi: OpenApiOptions = {
  title: 'Tulity accounts',
  description:
    'Users, roles and sessions. Access tokens are ES256 JWTs verified by every service with the keys at /api/v1/auth/jwks.',
  tags: {
    auth: 'Sessions: log in, refresh, log out, and the keys that verify access tokens',
    users: 'Users and their roles (admin, manager, cashier)',
  },
};

/** The document the service serves at /openapi.json. */
export const accountsDocument = () =>
  openApiDocument(accountsRoutes(declarationsOnly('useCases'), declarationsOnly('options')), accountsApi);
