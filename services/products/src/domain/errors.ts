import { Failure } from '@tulity/adapters/core/failure';
// One error type with a code union: a use case throws it for an expected business failure and
// the HTTP adapter maps `kind` to a status in one place. Field errors name the offending input.
export type ErrorKind = 'invalid' | 'not-found' | 'conflict';

export type ErrorCode =
  | 'CATEGORY.NOT_FOUND' | 'CATEGORY.NAME_TAKEN' | 'CATEGORY.IN_USE'
  | 'UNIT.NOT_FOUND' | 'UNIT.NAME_TAKEN' | 'UNIT.IN_USE'
  | 'PRODUCT.NOT_FOUND' | 'PRODUCT.SKU_TAKEN' | 'PRODUCT.BARCODE_TAKEN' | 'PRODUCT.IN_USE'
  | 'UNIT_LEVEL.NOT_FOUND' | 'UNIT_LEVEL.UNIT_TAKEN' | 'UNIT_LEVEL.IN_USE' | 'UNIT_LEVEL.IS_BASE'
  | 'PRICE.NOT_FOUND' | 'PRICE.ALREADY_EFFECTIVE'
  | 'STOCK.INSUFFICIENT'
  | 'INPUT.INVALID';

export interface FieldError {
  field: string;
  message: string;
}

export class DomainError extends Failure {
  constructor(
    override readonly kind: ErrorKind,
    override readonly code: ErrorCode,
    message: string,
    override readonly fields?: FieldError[],
  ) {
    super(kind, code, message, fields);
    this.name = 'DomainError';
  }
}

export const invalid = (field: string, message: string, code: ErrorCode = 'INPUT.INVALID') =>
  new DomainError('invalid', code, message, [{ field, message }]);
export const notFound = (code: ErrorCode, message: string) => new DomainError('not-found', code, message);
export const conflict = (code: ErrorCode, message: string, field?: string) =>
  new DomainError('conflict', code, message, field ? [{ field, message }] : undefined);
