// Requests are parsed once, here, at the edge; the same schemas document the API in OpenAPI.
// Strings are bounded and free of control characters; numbers are whole and within what the
// event contracts carry (an Avro long, as a JavaScript encoder writes it exactly).
import { z } from 'zod';
import { listQuerySchema, searchText } from '@tulity/adapters/http/list-query';
import {
  categorySortKeys,
  movementReasons,
  movementSortKeys,
  priceSortKeys,
  productSortKeys,
  unitSortKeys,
} from '../../application/ports';
import { largestWhole } from '../../domain/quantity';
import { largestFactor } from '../../domain/unit-level';

const id = z.uuid();
const noControl = /^[^\p{Cc}]*$/u;
/** Line breaks and tabs are text in a description; every other control character (NUL first) is refused. */
const noControlButLines = /^(?:[^\p{Cc}]|[\t\n\r])*$/u;
const text = (max: number) =>
  z.string().trim().min(1, 'Must not be blank.').max(max).regex(noControl, 'Control characters are not allowed.');
const longText = (max: number) =>
  z.string().max(max).regex(noControlButLines, 'Control characters other than line breaks are not allowed.');
const whole = (min: number, max: number) =>
  z.number().int('Must be a whole number.').min(min, `Must be ${min} or more.`).max(max, `Must be at most ${max}.`);
const money = whole(0, largestWhole).describe('Integer minor units (cents).');

export const categoryCreate = z.strictObject({ name: text(120), description: longText(2000).nullable().optional() });
export const categoryUpdate = categoryCreate.partial();

export const unitCreate = z.strictObject({ name: text(60), abbreviation: text(16) });
export const unitUpdate = unitCreate.partial();

export const productCreate = z.strictObject({
  sku: text(64),
  barcode: text(64).nullable().optional(),
  name: text(200),
  description: longText(4000).nullable().optional(),
  categoryId: id,
  baseUnitId: id,
  lowStockThreshold: whole(0, largestWhole).optional().describe('Base units; at or below it, stock is low.'),
  active: z.boolean().optional(),
});
export const productUpdate = productCreate.omit({ baseUnitId: true }).partial();

const factor = whole(1, largestFactor).describe('Base units in one of this unit.');
export const unitLevelCreate = z.strictObject({ unitId: id, factor });
export const unitLevelUpdate = z.strictObject({ factor });

export const priceCreate = z.strictObject({
  unitLevelId: id,
  sellPrice: money,
  buyPrice: money,
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'Must be an ISO 4217 code such as EUR.')
    .default('EUR'),
  effectiveFrom: z.iso.datetime({ offset: true }).optional().describe('When the price takes effect; now when omitted.'),
});
export const priceUpdate = priceCreate.omit({ unitLevelId: true, currency: true }).partial();

export const stockAdjustment = z.strictObject({
  delta: whole(-largestWhole, largestWhole)
    .refine((n) => n !== 0, 'Must not be zero.')
    .describe('Base units to add (positive) or remove (negative).'),
  reason: text(500).describe('Why: count correction, damage, loss…'),
});

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');
export const categoryListQuery = listQuerySchema({ sortKeys: categorySortKeys, defaultSort: 'name' });
export const unitListQuery = listQuerySchema({ sortKeys: unitSortKeys, defaultSort: 'name' });
export const productListQuery = listQuerySchema(
  { sortKeys: productSortKeys, defaultSort: 'name' },
  { categoryId: id.optional(), active: flag.optional(), lowStock: flag.optional(), barcode: searchText(64).optional() },
);
export const priceListQuery = listQuerySchema(
  { sortKeys: priceSortKeys, defaultSort: '-effectiveFrom' },
  { unitLevelId: id.optional() },
);
export const movementListQuery = listQuerySchema(
  { sortKeys: movementSortKeys, defaultSort: '-id' },
  { reason: z.enum(movementReasons).optional() },
);

// Response shapes, for the OpenAPI document: what presenters.ts sends.
const timestamp = z.iso.datetime();
const int = z.number().int();
export const categoryBody = z.object({
  id,
  name: z.string(),
  description: z.string().nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export const unitBody = z.object({
  id,
  name: z.string(),
  abbreviation: z.string(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export const productBody = z.object({
  id,
  sku: z.string(),
  barcode: z.string().nullable(),
  name: z.string(),
  description: z.string().nullable(),
  categoryId: id,
  baseUnitId: id,
  lowStockThreshold: int,
  active: z.boolean(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export const productListItem = productBody.extend({ stockQuantity: int });
export const unitLevelBody = z.object({
  id,
  productId: id,
  unitId: id,
  factor: int,
  isBase: z.boolean(),
  createdAt: timestamp,
});
export const unitLevelView = unitLevelBody.extend({ unitName: z.string(), unitAbbreviation: z.string() });
export const priceBody = z.object({
  id,
  productId: id,
  unitLevelId: id,
  sellPrice: int,
  buyPrice: int,
  currency: z.string(),
  effectiveFrom: timestamp,
  createdAt: timestamp,
});
export const stockBody = z.object({
  productId: id,
  quantity: int.describe('On hand, base units, reservations taken off.'),
  reserved: int.describe('Held by sales not yet confirmed.'),
  lowStockThreshold: int,
  low: z.boolean(),
  updatedAt: timestamp,
});
export const productDetail = productBody.extend({
  stock: stockBody,
  unitLevels: z.array(unitLevelView),
  currentPrices: z.array(priceBody),
});
export const movementBody = z.object({
  id: int,
  productId: id,
  delta: int,
  balanceAfter: int,
  reason: z.enum(movementReasons),
  reference: z.string().nullable(),
  note: z.string().nullable(),
  occurredAt: timestamp,
});
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: int, page: int, pageSize: int });
