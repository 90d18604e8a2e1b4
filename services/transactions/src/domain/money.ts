// Money and quantities are integers (minor units, units of a level); products of two of them can
// pass 2^53, so the arithmetic that multiplies goes through BigInt and comes back checked.

/** Largest amount this service records: JavaScript integers are exact up to here. */
export const maxSafeMinor = Number.MAX_SAFE_INTEGER;

/** a × b, or undefined when the product is not an exact JavaScript integer. */
export function times(a: number, b: number): number | undefined {
  const product = BigInt(a) * BigInt(b);
  return product <= BigInt(maxSafeMinor) ? Number(product) : undefined;
}

/** round(amount × numerator / denominator), halves rounded up (amounts are never negative). */
export function share(amount: number, numerator: number, denominator: number): number {
  const scaled = BigInt(amount) * BigInt(numerator) * 2n + BigInt(denominator);
  return Number(scaled / (2n * BigInt(denominator)));
}
