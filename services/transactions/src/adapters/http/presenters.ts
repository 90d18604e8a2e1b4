// Domain objects → response bodies: ISO dates, money in integer minor units with its currency.
import type { Purchase } from '../../domain/purchase';
import type { Sale, SaleReturn } from '../../domain/sale';

export const presentSale = (sale: Sale) => ({
  id: sale.id,
  status: sale.status,
  cashierId: sale.cashierId,
  currency: sale.currency,
  lines: sale.lines.map((line) => ({ ...line })),
  totalMinor: sale.totalMinor,
  discountMinor: sale.discountMinor,
  refundedMinor: sale.refundedMinor,
  note: sale.note,
  paymentMethod: sale.paymentMethod,
  amountTenderedMinor: sale.amountTenderedMinor,
  changeMinor: sale.changeMinor,
  rejection: sale.rejection,
  cancellation: sale.cancellation,
  deadlineAt: sale.deadlineAt.toISOString(),
  createdAt: sale.createdAt.toISOString(),
  updatedAt: sale.updatedAt.toISOString(),
});

export const presentSaleReturn = (saleReturn: SaleReturn) => ({
  id: saleReturn.id,
  saleId: saleReturn.saleId,
  returnedBy: saleReturn.returnedBy,
  reason: saleReturn.reason,
  refundMinor: saleReturn.refundMinor,
  lines: saleReturn.lines.map((line) => ({ ...line })),
  createdAt: saleReturn.createdAt.toISOString(),
});

/** A return answers with itself and the sale as it now stands. */
export const presentReturnCreated = (sale: Sale, saleReturn: SaleReturn) => ({
  return: presentSaleReturn(saleReturn),
  sale: presentSale(sale),
});

export const presentPurchase = (purchase: Purchase) => ({
  id: purchase.id,
  recordedBy: purchase.recordedBy,
  supplierName: purchase.supplierName,
  supplierReference: purchase.supplierReference,
  currency: purchase.currency,
  lines: purchase.lines.map((line) => ({ ...line })),
  totalMinor: purchase.totalMinor,
  createdAt: purchase.createdAt.toISOString(),
});
