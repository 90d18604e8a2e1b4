// Use-case failures become problem+json here, in one place.
import { ProblemError } from '@tulity/adapters/http/problem';
import type { Failure, FailureKind, Result } from '../../domain/failures';

const statusOf: Record<FailureKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  throttled: 429,
};

export function toProblem(failure: Failure): ProblemError {
  const headers = failure.retryAfterSeconds ? { 'retry-after': String(failure.retryAfterSeconds) } : undefined;
  return new ProblemError(statusOf[failure.kind], failure.code, failure.message, failure.fields, headers);
}

/** The value of a successful result; a failure is thrown as its problem. */
export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw toProblem(result.failure);
  return result.value;
}
