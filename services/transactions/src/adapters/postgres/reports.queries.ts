// The dashboard's daily figures, grouped by calendar day in the caller's time zone.
import type { Knex } from 'knex';
import type { DailyReportQuery, DailyRow, ReportReads } from '../../application/ports';
import { paymentMethods, saleStatuses, type PaymentMethod, type SaleStatus } from '../../domain/sale';

type Big = string | number;

/** Sales created within [from, to] (whole local days), with their local day. */
const salesIn = (db: Knex, query: DailyReportQuery) =>
  db.raw(
    `select s.*, to_char((s.created_at at time zone ?)::date, 'YYYY-MM-DD') as day from sales s
     where s.created_at >= (?::date)::timestamp at time zone ?
       and s.created_at < (?::date + 1)::timestamp at time zone ?`,
    [query.timeZone, query.from, query.timeZone, query.to, query.timeZone],
  );

const topPerDay = 5;

export function reportReads(db: Knex): ReportReads {
  return {
    async daily(query) {
      const scope = salesIn(db, query);
      const [byStatus, byMethod, top] = await Promise.all([
        db.raw<{ rows: Array<{ day: string; status: SaleStatus; count: Big; revenue: Big; refunded: Big }> }>(
          `select day, status, count(*) as count, coalesce(sum(total_minor), 0) as revenue, coalesce(sum(refunded_minor), 0) as refunded
           from (?) d group by day, status`,
          [scope],
        ),
        db.raw<{ rows: Array<{ day: string; method: PaymentMethod | 'none'; count: Big; revenue: Big }> }>(
          `select day, coalesce(payment_method, 'none') as method, count(*) as count, sum(total_minor - refunded_minor) as revenue
           from (?) d where status = 'confirmed' group by day, method`,
          [scope],
        ),
        db.raw<{
          rows: Array<{ day: string; product_id: string; sku: string; name: string; base: Big; revenue: Big }>;
        }>(
          `select day, product_id, sku, name, base, revenue from (
             select d.day, l.product_id, max(l.sku) as sku, max(l.product_name) as name,
                    sum(l.base_quantity - l.returned_quantity * l.conversion_factor) as base,
                    sum(l.line_total_minor - l.refunded_minor) as revenue,
                    row_number() over (partition by d.day order by sum(l.line_total_minor - l.refunded_minor) desc, l.product_id) as rank
             from (?) d join sale_lines l on l.sale_id = d.id where d.status = 'confirmed'
             group by d.day, l.product_id) ranked
           where rank <= ? order by day, rank`,
          [scope, topPerDay],
        ),
      ]);
      const days = new Map<string, DailyRow>();
      const dayOf = (day: string): DailyRow => {
        let row = days.get(day);
        if (!row) {
          row = {
            day,
            count: 0,
            revenueMinor: 0,
            refundedMinor: 0,
            byStatus: Object.fromEntries(saleStatuses.map((s) => [s, 0])) as Record<SaleStatus, number>,
            byPaymentMethod: Object.fromEntries(
              [...paymentMethods, 'none'].map((m) => [m, { count: 0, revenueMinor: 0 }]),
            ) as DailyRow['byPaymentMethod'],
            topProducts: [],
          };
          days.set(day, row);
        }
        return row;
      };
      for (const r of byStatus.rows) {
        const row = dayOf(r.day);
        row.count += Number(r.count);
        row.byStatus[r.status] = Number(r.count);
        // Revenue counts confirmed sales only, net of what was refunded.
        if (r.status === 'confirmed') {
          row.revenueMinor = Number(r.revenue) - Number(r.refunded);
          row.refundedMinor = Number(r.refunded);
        }
      }
      for (const r of byMethod.rows)
        dayOf(r.day).byPaymentMethod[r.method] = { count: Number(r.count), revenueMinor: Number(r.revenue) };
      for (const r of top.rows) {
        dayOf(r.day).topProducts.push({
          productId: r.product_id,
          sku: r.sku,
          name: r.name,
          baseQuantity: Number(r.base),
          revenueMinor: Number(r.revenue),
        });
      }
      return [...days.values()].sort((a, b) => a.day.localeCompare(b.day));
    },
  };
}
