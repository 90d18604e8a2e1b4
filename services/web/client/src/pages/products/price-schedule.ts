// How a price row reads on the product page. A price is never overwritten once it takes effect:
// the current one per unit level is the latest effective row, later rows wait as scheduled, and
// the rest is history. Only scheduled rows can still be changed or deleted (the server answers
// 409 PRICE.ALREADY_EFFECTIVE otherwise), so only they get those buttons.

export interface PriceRow {
  id: string;
  unitLevelId: string;
  effectiveFrom: string;
  createdAt: string;
}

export type PriceState = 'scheduled' | 'current' | 'past';

/**
 * The state of one row. `currentIds` are the ids of the product's current prices as the server
 * computed them, so a row is judged right even on a later page of the history.
 */
export function priceState(price: PriceRow, currentIds: ReadonlySet<string>, now: Date): PriceState {
  if (Date.parse(price.effectiveFrom) > now.getTime()) return 'scheduled';
  return currentIds.has(price.id) ? 'current' : 'past';
}

const units: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "in 3 days", "in 2 hours", "in 1 minute" (or "5 hours ago"): the largest whole unit, rounded down. */
export function relativeTime(iso: string, now: Date, locale?: string): string {
  const ms = Date.parse(iso) - now.getTime();
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  for (const [unit, size] of units) {
    const count = Math.trunc(ms / size);
    if (count !== 0) return format.format(count, unit);
  }
  return format.format(0, 'second');
}

/** The label a price row's date gets: when it takes or took effect, and how far away that is. */
export function scheduleLabel(
  price: PriceRow,
  currentIds: ReadonlySet<string>,
  now: Date,
  locale?: string,
  timeZone?: string,
): string {
  const when = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(
    new Date(price.effectiveFrom),
  );
  switch (priceState(price, currentIds, now)) {
    case 'scheduled':
      return `Takes effect ${when} (${relativeTime(price.effectiveFrom, now, locale)})`;
    case 'current':
      return `In force since ${when}`;
    case 'past':
      return `From ${when}, superseded`;
  }
}
