// The point of sale: find products (typed or scanned), build the cart, take payment, and follow the
// sale until products has reserved its stock or refused it. Usable from the keyboard alone.
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { Link } from 'react-router';
import { ApiError, call, transactions } from '../../api/client';
import { ErrorMessage, Field, Page, formatMoney, useCurrency } from '../../ui';
import { paymentLabels, paymentMethods, type PaymentMethod, type Sale } from '../sales/api-types';
import { useLiveSale } from '../sales/live-sale';
import { SaleStatusNotice } from '../sales/sale-status';
import { CancelSale } from '../sales/cancel-sale';
import {
  addProduct,
  changeOf,
  emptyCart,
  parseMoney,
  removeLine,
  saleRequestOf,
  setDiscount,
  setLevel,
  setQuantity,
  totalsOf,
  type Cart,
  type Payment,
} from './cart';
import { CartLineRow } from './cart-line';
import { loadCartProduct, resolve, search, byBarcode, type ProductHit } from './lookup';
import { createScanDetector } from './scanner';

/** The name of a product's base unit (its level of factor 1), for quantities in base units. */
const baseUnitOf = (cart: Cart, productId: string) =>
  cart.lines.find((line) => line.product.productId === productId)?.product.levels.find((level) => level.factor === 1)
    ?.unitName ?? 'base units';

const isTyping = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName));

export function PosPage() {
  const currency = useCurrency();
  const [cart, setCart] = useState<Cart>(() => emptyCart(currency));
  const [method, setMethod] = useState<PaymentMethod>('cash');
  const [tenderedText, setTenderedText] = useState('');
  const [note, setNote] = useState('');
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<ProductHit[]>([]);
  /** The hit picked with the arrow keys; null until the cashier uses them. */
  const [active, setActive] = useState<number | null>(null);
  const [finding, setFinding] = useState(false);
  const [findError, setFindError] = useState<unknown>(undefined);
  const [sending, setSending] = useState(false);
  const [sendError, setSendError] = useState<unknown>(undefined);
  const [checkError, setCheckError] = useState<string | undefined>(undefined);
  const [saleId, setSaleId] = useState<string | undefined>(undefined);
  const [firstSale, setFirstSale] = useState<Sale | undefined>(undefined);
  const live = useLiveSale(saleId, firstSale);
  const searchRef = useRef<HTMLInputElement>(null);
  const tenderedRef = useRef<HTMLInputElement>(null);
  const newSaleRef = useRef<HTMLButtonElement>(null);
  // One key per distinct request: a retry after a lost answer is the same sale, never a second one.
  const idempotency = useRef<{ body: string; key: string } | undefined>(undefined);

  const totals = useMemo(() => totalsOf(cart), [cart]);
  const tendered = tenderedText.trim() === '' ? undefined : parseMoney(tenderedText, currency);
  const payment: Payment = { method, tenderedMinor: method === 'cash' && tendered?.ok ? tendered.value : null };
  const change = changeOf(totals.totalMinor, payment);
  const locked = saleId !== undefined && live.sale?.status !== 'rejected';

  const focusSearch = () => searchRef.current?.focus();

  const add = useCallback(
    async (hit: ProductHit) => {
      setFindError(undefined);
      try {
        const product = await loadCartProduct(hit.id, currency);
        if (!product.levels.some((level) => level.priceMinor !== null)) {
          setFindError(new Error(`${product.name} has no selling price in ${currency} yet.`));
          return;
        }
        setCart((current) => addProduct(current, product));
        setQuery('');
        setHits([]);
        setActive(null);
      } catch (error) {
        setFindError(error);
      } finally {
        searchRef.current?.focus();
      }
    },
    [currency],
  );

  // Results while typing; an older answer never replaces a newer one.
  const latestQuery = useRef('');
  useEffect(() => {
    const text = query.trim();
    latestQuery.current = text;
    if (text.length < 2) {
      setHits([]);
      return;
    }
    const timer = setTimeout(() => {
      search(text).then(
        (found) => {
          if (latestQuery.current !== text) return;
          setHits(found);
          setActive(null);
        },
        (error: unknown) => latestQuery.current === text && setFindError(error),
      );
    }, 200);
    return () => clearTimeout(timer);
  }, [query]);

  const find = async () => {
    const text = query.trim();
    if (!text) return;
    setFinding(true);
    setFindError(undefined);
    try {
      const found = await resolve(text);
      setHits(found.hits);
      setActive(null);
      if (found.pick) await add(found.pick);
      else if (found.hits.length === 0) setFindError(new Error(`No product matches "${text}".`));
    } catch (error) {
      setFindError(error);
    } finally {
      setFinding(false);
    }
  };

  const onSearchKey = (event: ReactKeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' && hits.length > 0) {
      event.preventDefault();
      setActive((at) => (at === null ? 0 : (at + 1) % hits.length));
    } else if (event.key === 'ArrowUp' && hits.length > 0) {
      event.preventDefault();
      setActive((at) => (at === null ? hits.length - 1 : (at - 1 + hits.length) % hits.length));
    } else if (event.key === 'Enter' && !event.ctrlKey && !event.altKey) {
      event.preventDefault();
      // A hit chosen with the arrows wins; otherwise the text is looked up (a scan lands here too).
      const chosen = active === null ? undefined : hits[active];
      if (chosen) void add(chosen);
      else void find();
    } else if (event.key === 'Escape') {
      setQuery('');
      setHits([]);
      setActive(null);
    }
  };

  const startNewSale = useCallback(() => {
    setCart(emptyCart(currency));
    setTenderedText('');
    setNote('');
    setMethod('cash');
    setSaleId(undefined);
    setFirstSale(undefined);
    setSendError(undefined);
    setCheckError(undefined);
    idempotency.current = undefined;
    setTimeout(() => searchRef.current?.focus());
  }, [currency]);

  const backToCart = () => {
    setSaleId(undefined);
    setFirstSale(undefined);
    setTimeout(() => searchRef.current?.focus());
  };

  const submit = async () => {
    if (sending || locked) return;
    setSendError(undefined);
    if (method === 'cash' && tendered && !tendered.ok) {
      setCheckError(tendered.message);
      tenderedRef.current?.focus();
      return;
    }
    const request = saleRequestOf(cart, payment, note);
    if (!request.ok) {
      setCheckError(request.message);
      return;
    }
    setCheckError(undefined);
    const body = JSON.stringify(request.value);
    if (idempotency.current?.body !== body) idempotency.current = { body, key: crypto.randomUUID() };
    setSending(true);
    try {
      const sale = await call(
        transactions.POST('/api/v1/sales', {
          body: request.value,
          headers: { 'idempotency-key': idempotency.current.key },
        }),
      );
      setFirstSale(sale);
      setSaleId(sale.id);
      setTimeout(() => newSaleRef.current?.focus());
    } catch (error) {
      setSendError(error);
    } finally {
      setSending(false);
    }
  };

  // Keys that work anywhere on the till, and the scanner (a fast burst of keys ending in Enter).
  const submitRef = useRef(submit);
  submitRef.current = submit;
  useEffect(() => {
    const detector = createScanDetector();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'F2') {
        event.preventDefault();
        searchRef.current?.focus();
        return;
      }
      if (event.key === 'F4') {
        event.preventDefault();
        // At once when the field is there, so the amount typed next lands in it.
        if (tenderedRef.current) tenderedRef.current.focus();
        else {
          setMethod('cash');
          setTimeout(() => tenderedRef.current?.focus());
        }
        return;
      }
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        void submitRef.current();
        return;
      }
      // In the search field a scan is an Enter there; in other fields keys are the cashier's typing.
      if (isTyping(event.target)) {
        detector.reset();
        return;
      }
      const code = detector.key(event.key, event.timeStamp);
      if (code) {
        event.preventDefault();
        byBarcode(code).then(
          (found) => (found[0] ? void add(found[0]) : setFindError(new Error(`No product has the barcode ${code}.`))),
          (error: unknown) => setFindError(error),
        );
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [add]);

  const serverErrors = sendError instanceof ApiError ? sendError.fieldErrors : {};
  const lineErrors = (index: number) =>
    Object.entries(serverErrors)
      .filter(([field]) => field.startsWith(`lines.${index}.`) || field === `lines.${index}`)
      .map(([, message]) => message);

  return (
    <Page
      title="Point of sale"
      actions={
        <Link className="button" to="/sales">
          Sales history
        </Link>
      }
    >
      <p className="muted pos-keys">
        Keys: <kbd>F2</kbd> find product · <kbd>↑</kbd>
        <kbd>↓</kbd> choose · <kbd>Enter</kbd> add · <kbd>F4</kbd> cash · <kbd>Ctrl</kbd>+<kbd>Enter</kbd> complete sale
      </p>
      <div className="pos">
        <div className="pos-main">
          <div className="card pos-find" role="search">
            <Field label="Find a product (name, SKU or barcode)" hint="Scan a barcode or type and press Enter.">
              <input
                ref={searchRef}
                type="search"
                autoFocus
                autoComplete="off"
                maxLength={64}
                value={query}
                disabled={locked}
                onChange={(event) => setQuery(event.target.value)}
                onKeyDown={onSearchKey}
                role="combobox"
                aria-expanded={hits.length > 0}
                aria-controls="pos-hits"
                aria-activedescendant={active !== null && hits[active] ? `pos-hit-${hits[active].id}` : undefined}
              />
            </Field>
            {finding ? <p className="muted">Looking…</p> : null}
            <ErrorMessage error={findError} />
            {hits.length > 0 ? (
              <ul id="pos-hits" className="pos-hits" role="listbox" aria-label="Products found">
                {hits.map((hit, index) => (
                  <li
                    key={hit.id}
                    id={`pos-hit-${hit.id}`}
                    role="option"
                    aria-selected={index === active}
                    className={index === active ? 'active' : undefined}
                  >
                    <button type="button" tabIndex={-1} onClick={() => void add(hit)}>
                      <strong>{hit.name}</strong> <span className="muted">{hit.sku}</span>
                      <span className="muted"> · {hit.stockQuantity} in stock</span>
                    </button>
                  </li>
                ))}
              </ul>
            ) : null}
          </div>

          <div className="card">
            <h2>Cart</h2>
            {cart.lines.length === 0 ? (
              <p className="empty">The cart is empty: scan or find a product.</p>
            ) : (
              <div className="table-wrap">
                <table className="pos-cart">
                  <thead>
                    <tr>
                      <th>Product</th>
                      <th>Unit</th>
                      <th className="number">Quantity</th>
                      <th>Discount</th>
                      <th className="number">Total</th>
                      <th>
                        <span className="visually-hidden">Remove</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {cart.lines.map((line, index) => (
                      <CartLineRow
                        key={line.key}
                        line={line}
                        priced={totals.lines[index]!}
                        currency={currency}
                        disabled={locked}
                        serverErrors={lineErrors(index)}
                        onQuantity={(quantity) => setCart((current) => setQuantity(current, index, quantity))}
                        onLevel={(levelId) => setCart((current) => setLevel(current, index, levelId))}
                        onDiscount={(discount) => setCart((current) => setDiscount(current, index, discount))}
                        onRemove={() => {
                          setCart((current) => removeLine(current, index));
                          focusSearch();
                        }}
                      />
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            {totals.shortages.map((shortage) => {
              const unit = baseUnitOf(cart, shortage.productId);
              return (
                <p key={shortage.productId} className="notice warning">
                  {shortage.name}: {shortage.requestedBase} {unit} in the cart, {shortage.availableBase} {unit} were in
                  stock. The sale may be rejected.
                </p>
              );
            })}
          </div>
        </div>

        <form
          className="card pos-pay"
          aria-label="Payment"
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
        >
          <dl className="pos-totals">
            <dt>Subtotal</dt>
            <dd data-testid="pos-subtotal">{formatMoney(totals.grossMinor, currency)}</dd>
            <dt>Discounts</dt>
            <dd>
              {totals.discountMinor > 0 ? `−${formatMoney(totals.discountMinor, currency)}` : formatMoney(0, currency)}
            </dd>
            <dt className="pos-total">Total</dt>
            <dd className="pos-total" data-testid="pos-total">
              {formatMoney(totals.totalMinor, currency)}
            </dd>
          </dl>
          <fieldset disabled={locked}>
            <legend>Payment</legend>
            <div className="pos-methods">
              {paymentMethods.map((option) => (
                <label key={option}>
                  <input
                    type="radio"
                    name="method"
                    value={option}
                    checked={method === option}
                    onChange={() => setMethod(option)}
                  />{' '}
                  {paymentLabels[option]}
                </label>
              ))}
            </div>
            {method === 'cash' ? (
              <Field
                label="Cash tendered"
                hint="Optional; the change is worked out."
                error={(tendered && !tendered.ok ? tendered.message : undefined) ?? serverErrors.amountTenderedMinor}
              >
                <input
                  ref={tenderedRef}
                  inputMode="decimal"
                  autoComplete="off"
                  maxLength={20}
                  value={tenderedText}
                  onChange={(event) => setTenderedText(event.target.value)}
                />
              </Field>
            ) : null}
            {change !== null ? (
              <p className={change < 0 ? 'notice warning' : 'pos-change'} data-testid="pos-change">
                {change < 0
                  ? `${formatMoney(-change, currency)} still missing`
                  : `Change: ${formatMoney(change, currency)}`}
              </p>
            ) : null}
            <Field label="Note" error={serverErrors.note}>
              <input maxLength={500} value={note} onChange={(event) => setNote(event.target.value)} />
            </Field>
          </fieldset>
          {checkError ? (
            <p className="notice error" role="alert">
              {checkError}
            </p>
          ) : null}
          <ErrorMessage error={sendError} />
          {saleId === undefined ? (
            <button type="submit" className="primary pos-complete" disabled={sending || cart.lines.length === 0}>
              {sending ? 'Sending…' : `Complete sale · ${formatMoney(totals.totalMinor, currency)}`}
            </button>
          ) : null}
        </form>
      </div>

      {saleId !== undefined ? (
        <section className="card pos-outcome" aria-label="The sale" aria-live="polite">
          <ErrorMessage error={live.error} retry={live.reload} />
          {live.sale ? (
            <SaleStatusNotice sale={live.sale} baseUnitOf={(productId) => baseUnitOf(cart, productId)} />
          ) : (
            <p className="muted">Reading the sale…</p>
          )}
          <div className="actions">
            <button
              ref={newSaleRef}
              type="button"
              className="primary"
              onClick={startNewSale}
              onKeyDown={(event) => event.key === 'Escape' && startNewSale()}
            >
              New sale
            </button>
            {live.sale?.status === 'rejected' ? (
              <button type="button" className="secondary" onClick={backToCart}>
                Change the cart
              </button>
            ) : null}
            {live.sale ? <Link to={`/sales/${live.sale.id}`}>Open the sale</Link> : null}
            {live.sale ? <CancelSale sale={live.sale} onCancelled={live.update} /> : null}
          </div>
        </section>
      ) : null}
    </Page>
  );
}
