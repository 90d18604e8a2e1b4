// Who may call a route, and how the domain's errors become problem+json: in one place.
import type { Access, Route } from '@tulity/adapters/http/routes';
import type { Role } from '@tulity/adapters/auth/authenticator';
import { ProblemError } from '@tulity/adapters/http/problem';
import { DomainError, type ErrorKind } from '../../domain/errors';
import { UnknownSortError } from '../postgres/knex-queries';

const readers: Role[] = ['admin', 'manager', 'cashier'];
const writers: Role[] = ['admin', 'manager'];
const statusOf: Record<ErrorKind, number> = { invalid: 400, 'not-found': 404, conflict: 409 };

export function toProblem(error: unknown): unknown {
  if (error instanceof DomainError) return new ProblemError(statusOf[error.kind], error.code, error.message, error.fields);
  if (error instanceof UnknownSortError) return new ProblemError(400, 'REQUEST.INVALID', error.message, [{ field: 'sort', message: error.message }]);
  return error;
}

/** Cashiers read; managers and admins write. */
export const accessByMethod = (r: Route): Access => (r.method === 'get' ? readers : writers);
