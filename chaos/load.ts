// A steady retail load on the chaos stack through the shop's HTTP client: cashiers sell and now and
// then cancel one of their sales; a manager buys stock, adjusts it and takes goods back. Every
// answer is recorded (for the per-fault figures), and every 2xx that created something is kept, so
// the books can show it was not lost. No retries: an unanswered request is simply counted.
import { randomUUID } from 'node:crypto';
import { ShopClient, ShopError, type CatalogueProduct, type Exchange, type Session } from '../test/shop/client';
import type { Acknowledged } from './books';

export interface LoadOptions {
  cashiers: Session[];
  manager: Session;
  products: CatalogueProduct[];
  client: ShopClient;
  /** Pause between one worker's requests. */
  thinkMs: number;
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const chance = (p: number) => Math.random() < p;

export class RetailLoad {
  readonly acknowledged: Acknowledged = { sales: [], purchases: [], returns: [], cancelled: [], adjustments: {} };
  private running = false;
  private paused = false;
  private readonly workers: Array<Promise<void>> = [];
  private inFlight = 0;
  private readonly sales: Array<{ id: string; cashier: Session }> = [];
  private readonly returned = new Set<string>();

  constructor(private readonly options: LoadOptions) {
    for (const product of options.products)
      this.acknowledged.adjustments[product.id] = { acknowledged: 0, unanswered: 0 };
  }

  start(): void {
    this.running = true;
    for (const cashier of this.options.cashiers) this.workers.push(this.loop(() => this.cashierStep(cashier)));
    this.workers.push(this.loop(() => this.managerStep()));
  }

  /** Stops issuing requests and waits for those in flight. */
  async pause(): Promise<void> {
    this.paused = true;
    while (this.inFlight > 0) await sleep(50);
  }

  resume(): void {
    this.paused = false;
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.workers);
  }

  private async loop(step: () => Promise<void>): Promise<void> {
    while (this.running) {
      if (this.paused) {
        await sleep(100);
        continue;
      }
      this.inFlight += 1;
      try {
        await step();
      } catch (error) {
        // Failed requests are already recorded by the client's observer; anything else is a bug here.
        if (!(error instanceof ShopError)) throw error;
      } finally {
        this.inFlight -= 1;
      }
      await sleep(this.options.thinkMs * (0.5 + Math.random()));
    }
  }

  private async cashierStep(cashier: Session): Promise<void> {
    const { client, products } = this.options;
    const mine = this.sales.filter((sale) => sale.cashier === cashier);
    if (mine.length > 0 && chance(0.15)) {
      const sale = pick(mine.slice(-20));
      const cancelled = await client.cancel(cashier, sale.id);
      this.acknowledged.cancelled.push(cancelled.id);
      return;
    }
    // Distinct products per sale: the ledger then has one movement per product and cause.
    const count = 1 + Math.floor(Math.random() * 3);
    const chosen = [...products].sort(() => Math.random() - 0.5).slice(0, count);
    const sale = await client.sell(
      cashier,
      chosen.map((product) =>
        chance(0.2)
          ? { productId: product.id, unitLevelId: product.packLevelId, quantity: 1 }
          : { productId: product.id, unitLevelId: product.baseLevelId, quantity: 1 + Math.floor(Math.random() * 4) },
      ),
    );
    this.acknowledged.sales.push(sale.id);
    this.sales.push({ id: sale.id, cashier });
  }

  private async managerStep(): Promise<void> {
    const { client, products, manager } = this.options;
    const roll = Math.random();
    if (roll < 0.4) {
      // Restock a few products by packs, keeping stock near what the cashiers sell.
      const chosen = [...products].sort(() => Math.random() - 0.5).slice(0, 2);
      const purchase = await client.purchase(
        manager,
        chosen.map((product) => ({
          productId: product.id,
          unitLevelId: product.packLevelId,
          quantity: 1 + Math.floor(Math.random() * 3),
        })),
      );
      this.acknowledged.purchases.push(purchase.id);
    } else if (roll < 0.7) {
      const product = pick(products);
      const delta = chance(0.5) ? 1 + Math.floor(Math.random() * 3) : -1;
      const tally = this.acknowledged.adjustments[product.id]!;
      try {
        await client.adjustStock(manager, product.id, delta, delta > 0 ? 'found in the back room' : 'damaged');
        tally.acknowledged += 1;
      } catch (error) {
        // No answer, or a 5xx: the adjustment may or may not have been made.
        if (error instanceof ShopError && (error.status === 0 || error.status >= 500)) tally.unanswered += 1;
        throw error;
      }
    } else {
      const candidates = this.sales.filter((sale) => !this.returned.has(sale.id));
      if (candidates.length === 0) return;
      const { id } = pick(candidates.slice(-30));
      const sale = await client.sale(manager, id);
      if (sale.status !== 'confirmed') return;
      this.returned.add(id);
      const line = sale.lines[0]!;
      const answer = await client.returnSale(manager, id, [{ saleLineId: line.id, quantity: 1 }], {
        idempotencyKey: randomUUID(),
      });
      this.acknowledged.returns.push(answer.return.id);
    }
  }
}

/** Counts of answers in a window: total, and every status that is not 2xx (0 = no answer). */
export function tally(exchanges: Exchange[], from: number, to: number) {
  const inside = exchanges.filter((e) => e.startedAt >= from && e.startedAt < to);
  const byStatus: Record<string, number> = {};
  const byEndpoint: Record<string, number> = {};
  for (const e of inside) {
    if (e.status >= 200 && e.status <= 299) continue;
    byStatus[e.status] = (byStatus[e.status] ?? 0) + 1;
    const endpoint = `${e.status} ${e.method} ${e.service} ${e.route}`;
    byEndpoint[endpoint] = (byEndpoint[endpoint] ?? 0) + 1;
  }
  const failed = inside.filter((e) => e.status === 0 || e.status >= 500).length;
  return { requests: inside.length, failed, byStatus, byEndpoint };
}
