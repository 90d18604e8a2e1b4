// Input schemas: parsed once at the edge, and the same schemas document the API in OpenAPI.
import { z } from 'zod';

const id = z.string().uuid();
const text = (max: number) => z.string().trim().min(1, 'Must not be blank.').max(max);
const wholeNumber = z.number().int('Must be a whole number.');
const money = wholeNumber.min(0, 'Must be zero or more.').max(Number.MAX_SAFE_INTEGER).describe('Integer minor units (cents).');

export const categoryCreate = z.strictObject({ name: text(120), description: z.string().max(2000).nullable().optional() });
export const categoryUpdate = categoryCreate.partial();

export const unitCreate = z.strictObject({ name: text(60), abbreviation: text(16) });
export const unitUpdate = unitCreate.partial();

export const productCreate = z.strictObject({
  sku: text(64),
  barcode: text(64).nullable().optional(),
  name: text(200),
  description: z.string().max(4000).nullable().optional(),
  categoryId: id,
  baseUnitId: id,
  lowStockThreshold: wholeNumber.min(0, 'Must be zero or more.').max(Number.MAX_SAFE_INTEGER).optional(),
  active: z.boolean().optional(),
});
export const productUpdate = productCreate.omit({ baseUnitId: true }).partial();

const factor = wholeNumber.min(1, 'Must be 1 or more: base units in one of this unit.').max(1_000_000_000);
export const unitLevelCreate = z.strictObject({ unitId: id, factor });
export const unitLevelUpdate = z.strictObject({ factor });

export const priceCreate = z.strictObject({
  unitLevelId: id,
  sellPrice: money,
  buyPrice: money,
  currency: z.string().regex(/^[A-Z]{3}$/, 'Must be an ISO 4217 code such as EUR.').default('EUR'),
  effectiveFrom: z.iso.datetime({ offset: true }).optional().describe('When the price takes effect; now when omitted.'),
});
export const priceUpdate = priceCreate.omit({ unitLevelId: true, currency: true }).partial();

export const stockAdjustment = z.strictObject({
  delta: wholeNumber.refine((n) => n !== 0, 'Must not be zero.').refine(Number.isSafeInteger, 'Too large.').describe('Base units to add (positive) or remove (negative).'),
  reason: text(500).describe('Why: count correction, damage, loss…'),
});

const page = {
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
  sort: z.string().max(64).optional().describe('Field name, prefixed with - for descending.'),
  q: z.string().max(200).optional().describe('Case-insensitive search.'),
};
const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

export const listQuery = z.strictObject(page);
export const productListQuery = z.strictObject({ ...page, categoryId: z.string().optional(), active: flag.optional(), lowStock: flag.optional(), barcode: z.string().optional() });
export const priceListQuery = z.strictObject({ ...page, unitLevelId: z.string().optional() });
export const movementListQuery = z.strictObject({
  ...page,
  reason: z.enum(['purchase', 'sale_reservation', 'reservation_release', 'manual_adjustment']).optional(),
});

// Response shapes, for the OpenAPI document only.
const timestamp = z.iso.datetime();
const uuid = z.string().uuid();
export const categoryBody = z.object({ id: uuid, name: z.string(), description: z.string().nullable(), createdAt: timestamp, updatedAt: timestamp });
export const unitBody = z.object({ id: uuid, name: z.string(), abbreviation: z.string(), createdAt: timestamp, updatedAt: timestamp });
export const productBody = z.object({
  id: uuid, sku: z.string(), barcode: z.string().nullable(), name: z.string(), description: z.string().nullable(),
  categoryId: uuid, baseUnitId: uuid, lowStockThreshold: z.number().int(), active: z.boolean(), createdAt: timestamp, updatedAt: timestamp,
});
export const unitLevelBody = z.object({ id: uuid, productId: uuid, unitId: uuid, factor: z.number().int(), isBase: z.boolean(), createdAt: timestamp });
export const unitLevelView = unitLevelBody.extend({ unitName: z.string(), unitAbbreviation: z.string() });
export const priceBody = z.object({
  id: uuid, productId: uuid, unitLevelId: uuid, sellPrice: z.number().int(), buyPrice: z.number().int(), currency: z.string(), effectiveFrom: timestamp, createdAt: timestamp,
});
export const stockBody = z.object({
  productId: uuid, quantity: z.number().int().describe('On hand, base units, reservations taken off.'), reserved: z.number().int().describe('Held by sales not yet confirmed.'),
  lowStockThreshold: z.number().int(), low: z.boolean(), updatedAt: timestamp,
});
export const productDetail = productBody.extend({ stock: stockBody, unitLevels: z.array(unitLevelView), currentPrices: z.array(priceBody) });
export const movementBody = z.object({
  id: z.number().int(), productId: uuid, delta: z.number().int(), balanceAfter: z.number().int(),
  reason: z.enum(['purchase', 'sale_reservation', 'reservation_release', 'manual_adjustment']), reference: z.string().nullable(), note: z.string().nullable(), occurredAt: timestamp,
});
export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
