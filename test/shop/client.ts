// A small typed HTTP client of the shop's flows, for tools that drive a running stack from outside
// (the chaos run, the benchmarks): log in, create users, seed a catalogue, buy, sell, wait for a
// sale's final state, cancel, return, adjust stock. It speaks only the public REST APIs, as the web
// client does, and reports every answer (or its absence) to an optional observer.
import { randomUUID } from 'node:crypto';

export type Role = 'admin' | 'manager' | 'cashier';
export type SaleStatus = 'pending' | 'confirmed' | 'rejected' | 'cancelled';
export const finalSaleStatuses: readonly SaleStatus[] = ['confirmed', 'rejected', 'cancelled'];

export interface ShopUrls {
  accounts: string;
  notifications: string;
  products: string;
  transactions: string;
}

/** The services' base URLs (`…/api/v1`) with every port shifted by TULITY_PORT_OFFSET's value. */
export function shopUrls(portOffset = 0, host = '127.0.0.1'): ShopUrls {
  const at = (port: number) => `http://${host}:${port + portOffset}/api/v1`;
  return { accounts: at(8011), notifications: at(8012), products: at(8013), transactions: at(8014) };
}

/** One answer, or its absence (status 0: refused, reset or timed out). */
export interface Exchange {
  service: keyof ShopUrls;
  method: string;
  /** The route with ids replaced by `:id`, so answers can be counted per endpoint. */
  route: string;
  status: number;
  startedAt: number;
  ms: number;
}

export class ShopError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    /** 0 when no answer came. */
    readonly status: number,
    readonly code: string | undefined,
    readonly body: unknown,
  ) {
    super(`${method} ${path}: ${status === 0 ? 'no answer' : status}${code ? ` ${code}` : ''}`);
  }
}

export interface Session {
  userId: string;
  username: string;
  role: Role;
  accessToken: string;
  refreshToken: string;
  /** Epoch ms after which the access token is renewed before use. */
  renewAt: number;
}

export interface User {
  id: string;
  username: string;
  role: Role;
  active: boolean;
}

export interface SaleLine {
  id: string;
  productId: string;
  unitLevelId: string;
  quantity: number;
  conversionFactor: number;
  baseQuantity: number;
  lineTotalMinor: number;
  returnedQuantity: number;
}

export interface Sale {
  id: string;
  status: SaleStatus;
  cashierId: string;
  lines: SaleLine[];
  totalMinor: number;
  refundedMinor: number;
  createdAt: string;
  updatedAt: string;
}

export interface Purchase {
  id: string;
  lines: Array<{ id: string; productId: string; unitLevelId: string; quantity: number; baseQuantity: number }>;
  totalMinor: number;
}

export interface SaleReturn {
  id: string;
  saleId: string;
  refundMinor: number;
  lines: Array<{ saleLineId: string; productId: string; quantity: number; baseQuantity: number }>;
}

export interface Stock {
  productId: string;
  quantity: number;
  reserved: number;
  low: boolean;
}

/** A product ready to sell: its base level (factor 1) and a pack level, both priced. */
export interface CatalogueProduct {
  id: string;
  sku: string;
  baseLevelId: string;
  packLevelId: string;
  packFactor: number;
}

export interface LineRequest {
  productId: string;
  unitLevelId: string;
  quantity: number;
}

export interface ClientOptions {
  /** Per request; a request past it counts as no answer (status 0). */
  timeoutMs?: number;
  observe?: (exchange: Exchange) => void;
}

const uuidPattern = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class ShopClient {
  private readonly renewing = new WeakMap<Session, Promise<void>>();

  constructor(
    readonly urls: ShopUrls,
    private readonly options: ClientOptions = {},
  ) {}

  /** One request; a 2xx answer's JSON body, anything else a ShopError. */
  async call<T>(
    service: keyof ShopUrls,
    method: string,
    path: string,
    { session, body, headers = {} }: { session?: Session; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<T> {
    if (session) await this.fresh(session);
    const startedAt = Date.now();
    let status = 0;
    let parsed: unknown;
    try {
      const response = await fetch(`${this.urls[service]}${path}`, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(session ? { authorization: `Bearer ${session.accessToken}` } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
      });
      const text = await response.text();
      status = response.status;
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch (error) {
      // A body cut off after the status line still counts as the status it had.
      if (status === 0) parsed = { error: (error as Error).message };
    } finally {
      this.options.observe?.({
        service,
        method,
        route: path.replace(uuidPattern, ':id').replace(/\?.*$/, ''),
        status,
        startedAt,
        ms: Date.now() - startedAt,
      });
    }
    if (status < 200 || status > 299) {
      const code = (parsed as { code?: unknown } | undefined)?.code;
      throw new ShopError(method, path, status, typeof code === 'string' ? code : undefined, parsed);
    }
    return parsed as T;
  }

  async login(username: string, password: string): Promise<Session> {
    const answer = await this.call<TokenAnswer & { user: User }>('accounts', 'POST', '/auth/login', {
      body: { username, password },
    });
    return { userId: answer.user.id, username, role: answer.user.role, ...tokensOf(answer) };
  }

  /** A new user (admin only); the password must pass accounts' policy (12+ characters, no username). */
  createUser(admin: Session, user: { username: string; role: Role; password: string }): Promise<User> {
    return this.call<User>('accounts', 'POST', '/users', {
      session: admin,
      body: { ...user, email: `${user.username}@shop.test`, fullName: user.username },
    });
  }

  /**
   * `count` products with a base level and a pack of `packFactor`, priced, in one new category;
   * SKUs start with `prefix` (unique per run). Stock starts at zero: buy or adjust it.
   */
  async seedCatalogue(
    manager: Session,
    { prefix, count, packFactor = 6 }: { prefix: string; count: number; packFactor?: number },
  ): Promise<CatalogueProduct[]> {
    const post = <T>(path: string, body: unknown) => this.call<T>('products', 'POST', path, { session: manager, body });
    const category = await post<{ id: string }>('/categories', { name: `${prefix} goods` });
    const piece = await post<{ id: string }>('/units', { name: `${prefix} piece`, abbreviation: 'pc' });
    const pack = await post<{ id: string }>('/units', { name: `${prefix} pack`, abbreviation: 'pk' });
    const products: CatalogueProduct[] = [];
    for (let i = 0; i < count; i++) {
      const sku = `${prefix}-${String(i).padStart(3, '0')}`;
      const product = await post<{ id: string }>('/products', {
        sku,
        name: `${prefix} item ${i}`,
        categoryId: category.id,
        baseUnitId: piece.id,
        lowStockThreshold: 5,
      });
      const levels = await this.call<{ items: Array<{ id: string; isBase: boolean }> }>(
        'products',
        'GET',
        `/products/${product.id}/unit-levels`,
        { session: manager },
      );
      const baseLevelId = levels.items.find((level) => level.isBase)!.id;
      const packLevel = await post<{ id: string }>(`/products/${product.id}/unit-levels`, {
        unitId: pack.id,
        factor: packFactor,
      });
      await post(`/products/${product.id}/prices`, { unitLevelId: baseLevelId, sellPrice: 150, buyPrice: 90 });
      await post(`/products/${product.id}/prices`, {
        unitLevelId: packLevel.id,
        sellPrice: 150 * packFactor - 50,
        buyPrice: 90 * packFactor,
      });
      products.push({ id: product.id, sku, baseLevelId, packLevelId: packLevel.id, packFactor });
    }
    return products;
  }

  /**
   * Buys `packs` packs of every product, retrying while transactions does not know the products or
   * their prices yet (it learns the catalogue from products' events: a 422 until then, which
   * stores nothing, so the same Idempotency-Key is safe to reuse).
   */
  async stockUp(
    manager: Session,
    products: CatalogueProduct[],
    { packs, timeoutMs = 60_000 }: { packs: number; timeoutMs?: number },
  ): Promise<Purchase> {
    const deadline = Date.now() + timeoutMs;
    const lines = products.map((product) => ({
      productId: product.id,
      unitLevelId: product.packLevelId,
      quantity: packs,
    }));
    const idempotencyKey = randomUUID();
    for (;;) {
      try {
        return await this.purchase(manager, lines, { idempotencyKey, supplierName: 'Opening stock' });
      } catch (error) {
        if (!(error instanceof ShopError) || error.status !== 422 || Date.now() > deadline) throw error;
        await sleep(250);
      }
    }
  }

  purchase(
    manager: Session,
    lines: Array<LineRequest & { unitCostMinor?: number }>,
    { idempotencyKey = randomUUID(), supplierName = 'Chaos Supplies' } = {},
  ): Promise<Purchase> {
    return this.call<Purchase>('transactions', 'POST', '/purchases', {
      session: manager,
      body: { supplierName, lines },
      headers: { 'idempotency-key': idempotencyKey },
    });
  }

  sell(cashier: Session, lines: LineRequest[], { idempotencyKey = randomUUID() } = {}): Promise<Sale> {
    return this.call<Sale>('transactions', 'POST', '/sales', {
      session: cashier,
      body: { lines, paymentMethod: 'card' },
      headers: { 'idempotency-key': idempotencyKey },
    });
  }

  sale(session: Session, id: string): Promise<Sale> {
    return this.call<Sale>('transactions', 'GET', `/sales/${id}`, { session });
  }

  /** Polls until the sale is confirmed, rejected or cancelled; throws after `timeoutMs`. */
  async waitForFinal(
    session: Session,
    id: string,
    { timeoutMs = 60_000, intervalMs = 200 }: { timeoutMs?: number; intervalMs?: number } = {},
  ): Promise<Sale> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const sale = await this.sale(session, id).catch((error: unknown) => {
        // Transient while a service restarts: keep polling until the deadline.
        if (error instanceof ShopError && (error.status === 0 || error.status >= 500)) return undefined;
        throw error;
      });
      if (sale && finalSaleStatuses.includes(sale.status)) return sale;
      if (Date.now() > deadline)
        throw new Error(`sale ${id} still ${sale?.status ?? 'unreadable'} after ${timeoutMs} ms`);
      await sleep(intervalMs);
    }
  }

  cancel(session: Session, id: string, reason = 'customer changed their mind'): Promise<Sale> {
    return this.call<Sale>('transactions', 'POST', `/sales/${id}/cancel`, { session, body: { reason } });
  }

  returnSale(
    manager: Session,
    saleId: string,
    lines: Array<{ saleLineId: string; quantity: number }>,
    { idempotencyKey = randomUUID(), reason = 'returned' } = {},
  ): Promise<{ return: SaleReturn; sale: Sale }> {
    return this.call('transactions', 'POST', `/sales/${saleId}/returns`, {
      session: manager,
      body: { lines, reason },
      headers: { 'idempotency-key': idempotencyKey },
    });
  }

  /** Base units added (positive) or removed (negative); a removal past the stock is a 409. */
  adjustStock(manager: Session, productId: string, delta: number, reason = 'count correction'): Promise<Stock> {
    return this.call<Stock>('products', 'POST', `/products/${productId}/stock/adjustments`, {
      session: manager,
      body: { delta, reason },
    });
  }

  stock(session: Session, productId: string): Promise<Stock> {
    return this.call<Stock>('products', 'GET', `/products/${productId}/stock`, { session });
  }

  /**
   * Renews the access token a minute before it expires (refresh tokens are single use, so one
   * renewal per session at a time).
   */
  private async fresh(session: Session): Promise<void> {
    if (Date.now() < session.renewAt) return;
    let pending = this.renewing.get(session);
    if (!pending) {
      pending = this.call<TokenAnswer>('accounts', 'POST', '/auth/refresh', {
        body: { refreshToken: session.refreshToken },
      })
        .then((answer) => void Object.assign(session, tokensOf(answer)))
        .finally(() => this.renewing.delete(session));
      this.renewing.set(session, pending);
    }
    await pending;
  }
}

interface TokenAnswer {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

function tokensOf(answer: TokenAnswer): Pick<Session, 'accessToken' | 'refreshToken' | 'renewAt'> {
  return {
    accessToken: answer.accessToken,
    refreshToken: answer.refreshToken,
    renewAt: Date.now() + Math.max(answer.expiresIn - 60, answer.expiresIn / 2) * 1000,
  };
}
