import { failures } from './failures';

/**
 * The largest whole number of minor units or base units products stores and announces: every
 * amount travels in an Avro `long`, and a JavaScript encoder carries a long exactly only up to
 * here (avsc refuses 2^53 − 1 itself). A bigger value would be stored and then fail its event.
 */
export const largestWhole = 9_007_199_254_740_990;

export const isWhole = (value: number, min: number, max = largestWhole): boolean =>
  Number.isInteger(value) && value >= min && value <= max;

/** Refuses anything but a whole number in [min, largestWhole], naming the field. */
export function checkWhole(field: string, value: number, min: number, message: string): number {
  if (!isWhole(value, min)) throw failures.invalidField(field, message);
  return value;
}
