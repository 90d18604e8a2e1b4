// The one table from a use case's Failure to an HTTP problem: every service's routes use it.
import { isFailure, type FailureKind } from '../core/failure';
import { ProblemError } from './problem';

export const statusOf: Record<FailureKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  unprocessable: 422,
  throttled: 429,
};

/** A Failure becomes its problem; anything else is returned as it is (and ends as a logged 500). */
export function toProblem(error: unknown): unknown {
  if (!isFailure(error)) return error;
  const headers = error.retryAfterSeconds ? { 'retry-after': String(error.retryAfterSeconds) } : undefined;
  return new ProblemError(statusOf[error.kind], error.code, error.message, error.fields, headers);
}
