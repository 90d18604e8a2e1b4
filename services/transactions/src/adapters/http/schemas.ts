// Requests and responses of the transactions API, parsed once at the edge; the same schemas are
// the OpenAPI document. Bodies are strict, text is bounded and free of control characters, and
// numbers are integers within what the Avro contracts (longs) and JavaScript carry exactly.
import { z } from 'zod';
import { listQuerySchema, searchText } from '@tulity/adapters/http/list-query';
import { purchaseSortKeys, saleSortKeys } from '../../application/ports';
import { paymentMethods, saleStatuses } from '../../domain/sale';

const id = z.uuid();
const text = (max: number) => searchText(max).min(1, 'Must not be blank.');
const optionalText = (max: number) => text(max).nullable().optional();
const wholeNumber = z.number().int('Must be a whole number.');
/** A line may hold up to a million of its unit: far past any till, far below overflow. */
const quantity = wholeNumber.min(1, 'Must be 1 or more.').max(1_000_000, 'At most 1000000.');
/** Up to ten billion of the currency in minor units: line totals and their sums stay exact. */
const minor = wholeNumber
  .min(0, 'Must be zero or more.')
  .max(1_000_000_000_000, 'Too large.')
  .describe('Integer minor units (cents).');
const maxLines = 100;
const lines = <T extends z.ZodType>(line: T) =>
  z.array(line).min(1, 'At least one line.').max(maxLines, `At most ${maxLines} lines.`);

const saleLine = z
  .strictObject({
    productId: id,
    unitLevelId: id,
    quantity,
    discountMinor: minor.optional().describe('Discount on the line, integer minor units.'),
    discountPercent: z
      .number()
      .min(0)
      .max(100)
      .refine(
        (n) => Number.isInteger(Math.round(n * 100)) && Math.abs(n * 100 - Math.round(n * 100)) < 1e-6,
        'At most two decimals.',
      )
      .optional()
      .describe('Discount on the line in percent (two decimals at most); rounded half up to the minor unit.'),
  })
  .superRefine((line, ctx) => {
    if (line.discountMinor !== undefined && line.discountPercent !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['discountPercent'],
        message: 'Give discountMinor or discountPercent, not both.',
      });
    }
  });

export const saleCreate = z.strictObject({
  lines: lines(saleLine),
  note: optionalText(500).describe('Free text for the customer or the shift.'),
  paymentMethod: z.enum(paymentMethods).nullable().optional(),
  amountTenderedMinor: minor.nullable().optional().describe('Cash handed over; the change is computed.'),
});

export const saleCancel = z.strictObject({ reason: text(500) });

export const saleReturnCreate = z.strictObject({
  lines: lines(z.strictObject({ saleLineId: id, quantity })),
  reason: optionalText(500),
});

export const purchaseCreate = z.strictObject({
  supplierName: text(200),
  supplierReference: optionalText(100).describe("The supplier's invoice or delivery number."),
  lines: lines(
    z.strictObject({
      productId: id,
      unitLevelId: id,
      quantity,
      unitCostMinor: minor
        .nullable()
        .optional()
        .describe('Cost of one unit of the level; the catalogue buy price when omitted.'),
    }),
  ),
});

const instant = z.iso.datetime({ offset: true }).transform((value) => new Date(value));

export const saleListQuery = listQuerySchema(
  { sortKeys: saleSortKeys, defaultSort: '-createdAt' },
  {
    status: z.enum(saleStatuses).optional(),
    from: instant.optional().describe('Created at or after (ISO 8601).'),
    to: instant.optional().describe('Created before (ISO 8601).'),
    cashierId: id.optional().describe('Ignored for cashiers: they see their own sales.'),
    productId: id.optional(),
    paymentMethod: z.enum(paymentMethods).optional(),
  },
);

export const purchaseListQuery = listQuerySchema(
  { sortKeys: purchaseSortKeys, defaultSort: '-createdAt' },
  {
    from: instant.optional(),
    to: instant.optional(),
    productId: id.optional(),
  },
);

const dayMs = 86_400_000;
const isTimeZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

export const dailyReportQuery = z
  .strictObject({
    from: z.iso.date().describe('First day, YYYY-MM-DD, in timeZone.'),
    to: z.iso.date().describe('Last day, YYYY-MM-DD, in timeZone.'),
    timeZone: z
      .string()
      .max(64)
      .regex(/^[A-Za-z][A-Za-z0-9_+/-]*$/, 'An IANA time zone such as Europe/Berlin.')
      .refine(isTimeZone, 'An IANA time zone such as Europe/Berlin.')
      .default('UTC'),
  })
  .superRefine((query, ctx) => {
    const days = (Date.parse(query.to) - Date.parse(query.from)) / dayMs;
    if (days < 0) ctx.addIssue({ code: 'custom', path: ['to'], message: 'Must not be before from.' });
    if (days > 366) ctx.addIssue({ code: 'custom', path: ['to'], message: 'At most 366 days per report.' });
  });

/** The Idempotency-Key header: printable ASCII, bounded. */
export const idempotencyKey = z.string().regex(/^[\x21-\x7e]{1,200}$/, 'Printable ASCII, 1 to 200 characters.');

// Responses (documentation).
const money = z.number().int();
const saleLineResponse = z.object({
  id,
  productId: id,
  unitLevelId: id,
  sku: z.string(),
  productName: z.string(),
  unitName: z.string(),
  quantity: z.number().int(),
  conversionFactor: z.number().int(),
  baseQuantity: z.number().int(),
  unitPriceMinor: money,
  grossMinor: money,
  discountMinor: money,
  lineTotalMinor: money,
  returnedQuantity: z.number().int(),
  refundedMinor: money,
});
export const saleResponse = z.object({
  id,
  status: z.enum(saleStatuses),
  cashierId: id,
  currency: z.string(),
  lines: z.array(saleLineResponse),
  totalMinor: money,
  discountMinor: money,
  refundedMinor: money,
  note: z.string().nullable(),
  paymentMethod: z.enum(paymentMethods).nullable(),
  amountTenderedMinor: money.nullable(),
  changeMinor: money.nullable(),
  rejection: z
    .object({
      reason: z.string(),
      shortages: z.array(z.object({ productId: z.string(), requestedBase: z.number(), availableBase: z.number() })),
    })
    .nullable(),
  cancellation: z.object({ by: z.string(), reason: z.string().nullable() }).nullable(),
  deadlineAt: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
export const salePage = page(saleResponse);
export const saleLineList = z.object({ items: z.array(saleLineResponse) });
export { saleLineResponse };
export const saleReturnResponse = z.object({
  id,
  saleId: id,
  returnedBy: id,
  reason: z.string().nullable(),
  refundMinor: money,
  createdAt: z.string(),
  lines: z.array(
    z.object({
      saleLineId: id,
      productId: id,
      unitLevelId: id,
      quantity: z.number().int(),
      conversionFactor: z.number().int(),
      baseQuantity: z.number().int(),
      refundMinor: money,
    }),
  ),
});
export const saleReturnCreated = z.object({ return: saleReturnResponse, sale: saleResponse });
export const saleReturnList = z.object({ items: z.array(saleReturnResponse) });
const purchaseLineResponse = z.object({
  id,
  productId: id,
  unitLevelId: id,
  sku: z.string(),
  productName: z.string(),
  unitName: z.string(),
  quantity: z.number().int(),
  conversionFactor: z.number().int(),
  baseQuantity: z.number().int(),
  unitCostMinor: money,
  lineTotalMinor: money,
});
export { purchaseLineResponse };
export const purchaseResponse = z.object({
  id,
  recordedBy: id,
  supplierName: z.string(),
  supplierReference: z.string().nullable(),
  currency: z.string(),
  lines: z.array(purchaseLineResponse),
  totalMinor: money,
  createdAt: z.string(),
});
export const purchasePage = page(purchaseResponse);
export const purchaseLineList = z.object({ items: z.array(purchaseLineResponse) });
export const dailyReportResponse = z.object({
  currency: z.string(),
  timeZone: z.string(),
  days: z.array(
    z.object({
      day: z.string(),
      count: z.number().int(),
      revenueMinor: money,
      refundedMinor: money,
      byStatus: z.record(z.string(), z.number().int()),
      byPaymentMethod: z.record(z.string(), z.object({ count: z.number().int(), revenueMinor: money })),
      topProducts: z.array(
        z.object({
          productId: id,
          sku: z.string(),
          name: z.string(),
          baseQuantity: z.number().int(),
          revenueMinor: money,
        }),
      ),
    }),
  ),
});
