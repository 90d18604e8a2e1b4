// The product page's forms, read from their inputs' text into the bodies the products API takes,
// with the same limits as its schemas (see rules.ts).
import { parseMoney } from './money-input';
import { FormReader, largestFactor, largestWhole, type Parsed } from './rules';

export interface ProductFormValues {
  sku: string;
  barcode: string;
  name: string;
  description: string;
  categoryId: string;
  /** Only when creating: the base unit cannot change afterwards. */
  baseUnitId: string;
  lowStockThreshold: string;
  active: boolean;
}

export interface ProductFields {
  sku: string;
  barcode: string | null;
  name: string;
  description: string | null;
  categoryId: string;
  lowStockThreshold: number;
  active: boolean;
}

export type ProductCreateBody = ProductFields & { baseUnitId: string };

function readProductFields(form: FormReader, v: ProductFormValues) {
  return {
    sku: form.text('sku', v.sku, 64),
    barcode: form.optionalText('barcode', v.barcode, 64),
    name: form.text('name', v.name, 200),
    description: form.longText('description', v.description, 4000),
    categoryId: form.choice('categoryId', v.categoryId, 'Choose a category.'),
    lowStockThreshold: form.whole('lowStockThreshold', v.lowStockThreshold, 0, largestWhole),
  };
}

export function parseProductCreate(v: ProductFormValues): Parsed<ProductCreateBody> {
  const form = new FormReader();
  const fields = readProductFields(form, v);
  const baseUnitId = form.choice('baseUnitId', v.baseUnitId, 'Choose the base unit.');
  return form.result(() => ({ ...(fields as ProductFields), baseUnitId: baseUnitId!, active: v.active }));
}

/** An edit sends every editable field: the form shows them all, so it is the whole new state. */
export function parseProductUpdate(v: ProductFormValues): Parsed<ProductFields> {
  const form = new FormReader();
  const fields = readProductFields(form, v);
  return form.result(() => ({ ...(fields as ProductFields), active: v.active }));
}

export function parseUnitLevel(v: { unitId: string; factor: string }): Parsed<{ unitId: string; factor: number }> {
  const form = new FormReader();
  const unitId = form.choice('unitId', v.unitId, 'Choose a unit.');
  const factor = form.whole('factor', v.factor, 1, largestFactor);
  return form.result(() => ({ unitId: unitId!, factor: factor! }));
}

export function parseFactor(raw: string): Parsed<{ factor: number }> {
  const form = new FormReader();
  const factor = form.whole('factor', raw, 1, largestFactor);
  return form.result(() => ({ factor: factor! }));
}

export interface PriceFormValues {
  unitLevelId: string;
  sellPrice: string;
  buyPrice: string;
  currency: string;
  /** A datetime-local input's value (local time, no zone); '' for "now". */
  effectiveFrom: string;
}

export interface PriceBody {
  unitLevelId: string;
  sellPrice: number;
  buyPrice: number;
  currency: string;
  effectiveFrom?: string;
}

/** A datetime-local value ("2026-12-01T09:00") read in the browser's zone, as ISO 8601 with its instant. */
export function localDateTimeToIso(value: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(value)) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** An instant as a datetime-local input's value, in the browser's zone. */
export function isoToLocalDateTime(iso: string): string {
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}`
  );
}

export function parsePrice(v: PriceFormValues): Parsed<PriceBody> {
  const form = new FormReader();
  const unitLevelId = form.choice('unitLevelId', v.unitLevelId, 'Choose a unit level.');
  const currency = /^[A-Z]{3}$/.test(v.currency)
    ? v.currency
    : form.fail('currency', 'Must be an ISO 4217 code such as EUR.');
  const money = (field: 'sellPrice' | 'buyPrice') => {
    const parsed = parseMoney(v[field], currency ?? 'EUR');
    return parsed.ok ? parsed.minor : form.fail(field, parsed.message);
  };
  const sellPrice = money('sellPrice');
  const buyPrice = money('buyPrice');
  let effectiveFrom: string | undefined;
  if (v.effectiveFrom !== '') {
    effectiveFrom = localDateTimeToIso(v.effectiveFrom) ?? form.fail('effectiveFrom', 'Must be a date and time.');
  }
  return form.result(() => ({
    unitLevelId: unitLevelId!,
    sellPrice: sellPrice!,
    buyPrice: buyPrice!,
    currency: currency!,
    ...(effectiveFrom === undefined ? {} : { effectiveFrom }),
  }));
}

export interface StockAdjustmentValues {
  /** 'add' puts stock in, 'remove' takes it out: people count what they add or lose, not a signed delta. */
  direction: 'add' | 'remove';
  quantity: string;
  reason: string;
}

export function parseStockAdjustment(v: StockAdjustmentValues): Parsed<{ delta: number; reason: string }> {
  const form = new FormReader();
  const quantity = form.whole('delta', v.quantity, 1, largestWhole);
  const reason = form.text('reason', v.reason, 500);
  return form.result(() => ({ delta: v.direction === 'add' ? quantity! : -quantity!, reason: reason! }));
}
