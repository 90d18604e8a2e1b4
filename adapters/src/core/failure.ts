// Plain TypeScript that every service's domain and use cases may import (the only part of
// @tulity/adapters they may): the failure type, paging, the actor. No infrastructure here.

/** What went wrong, as the caller must understand it; the HTTP edge maps each kind to one status. */
export type FailureKind =
  'invalid' | 'unprocessable' | 'unauthenticated' | 'forbidden' | 'not-found' | 'conflict' | 'throttled';

export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * An expected business failure. Use cases throw it (so `uow.run` rolls the transaction back);
 * the route table turns it into RFC 9457 problem+json with `code` as the stable code.
 */
export class Failure extends Error {
  constructor(
    readonly kind: FailureKind,
    readonly code: string,
    message: string,
    readonly fields?: FieldProblem[],
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'Failure';
  }
}

export const isFailure = (error: unknown): error is Failure => error instanceof Failure;

/** Bad input that no schema could catch (it needs the stored state or a rule of the domain). */
export const invalid = (code: string, message: string, field?: string) =>
  new Failure('invalid', code, message, field ? [{ field, message }] : undefined);
/** Well-formed input that names something unusable (an unknown product in a sale line): 422. */
export const unprocessable = (code: string, message: string, fields?: FieldProblem[]) =>
  new Failure('unprocessable', code, message, fields);
export const unauthenticated = (code: string, message: string) => new Failure('unauthenticated', code, message);
export const forbidden = (message = 'You are not allowed to do this.', code = 'AUTH.FORBIDDEN') =>
  new Failure('forbidden', code, message);
export const notFound = (code: string, message: string) => new Failure('not-found', code, message);
export const conflict = (code: string, message: string, field?: string) =>
  new Failure('conflict', code, message, field ? [{ field, message }] : undefined);
export const throttled = (code: string, message: string, retryAfterSeconds: number) =>
  new Failure('throttled', code, message, undefined, retryAfterSeconds);
