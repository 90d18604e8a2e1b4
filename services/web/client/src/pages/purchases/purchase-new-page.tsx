// Recording a purchase: the supplier, then products found by name, SKU or barcode, each in a unit
// with a quantity and (optionally) the cost when it differs from the catalogue's buy price.
import { useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { ApiError, call, products, transactions } from '../../api/client';
import { ErrorMessage, Field, Page, formatMoney, useCurrency } from '../../ui';
import { resolve, search, type ProductHit } from '../pos/lookup';
import { checkPurchase, draftTotal, type DraftLine, type DraftProblems, type PurchaseDraft } from './purchase-draft';

export function PurchaseNewPage() {
  const currency = useCurrency();
  const navigate = useNavigate();
  const [draft, setDraft] = useState<PurchaseDraft>({ supplierName: '', supplierReference: '', lines: [] });
  const [nextKey, setNextKey] = useState(1);
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<ProductHit[]>([]);
  const [findError, setFindError] = useState<unknown>(undefined);
  const [problems, setProblems] = useState<DraftProblems>({});
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const idempotency = useRef<{ body: string; key: string } | undefined>(undefined);
  const latest = useRef('');

  const server = error instanceof ApiError ? error.fieldErrors : {};
  const problemOf = (field: string) => problems[field] ?? server[field];
  const total = draftTotal(draft, currency);

  const addProduct = async (hit: ProductHit) => {
    setFindError(undefined);
    try {
      const detail = await call(products.GET('/api/v1/products/{id}', { params: { path: { id: hit.id } } }));
      const buy = new Map(
        detail.currentPrices
          .filter((price) => price.currency === currency)
          .map((price) => [price.unitLevelId, price.buyPrice]),
      );
      const levels = detail.unitLevels
        .map((level) => ({
          unitLevelId: level.id,
          unitName: level.unitName,
          factor: level.factor,
          buyPriceMinor: buy.get(level.id) ?? null,
        }))
        .sort((a, b) => b.factor - a.factor);
      const line: DraftLine = {
        key: nextKey,
        productId: detail.id,
        productName: detail.name,
        sku: detail.sku,
        levels,
        // Goods mostly come in their largest unit (boxes, crates).
        unitLevelId: levels[0]!.unitLevelId,
        quantity: '1',
        unitCost: '',
      };
      setNextKey(nextKey + 1);
      setDraft((current) => ({ ...current, lines: [...current.lines, line] }));
      setQuery('');
      setHits([]);
    } catch (failure) {
      setFindError(failure);
    }
  };

  const find = async () => {
    const text = query.trim();
    if (!text) return;
    try {
      const found = await resolve(text);
      if (found.pick) await addProduct(found.pick);
      else if (found.hits.length === 0) setFindError(new Error(`No product matches "${text}".`));
      else setHits(found.hits);
    } catch (failure) {
      setFindError(failure);
    }
  };

  const changeLine = (key: number, change: Partial<DraftLine>) =>
    setDraft((current) => ({
      ...current,
      lines: current.lines.map((line) => (line.key === key ? { ...line, ...change } : line)),
    }));

  const submit = async () => {
    const checked = checkPurchase(draft, currency);
    setProblems(checked.problems);
    if (!checked.body) return;
    const text = JSON.stringify(checked.body);
    if (idempotency.current?.body !== text) idempotency.current = { body: text, key: crypto.randomUUID() };
    setBusy(true);
    setError(undefined);
    try {
      const purchase = await call(
        transactions.POST('/api/v1/purchases', {
          body: checked.body,
          headers: { 'idempotency-key': idempotency.current.key },
        }),
      );
      navigate(`/purchases/${purchase.id}`);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title="Record a purchase">
      <form
        className="card"
        aria-label="Purchase"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <Field label="Supplier" error={problemOf('supplierName')}>
          <input
            maxLength={200}
            autoFocus
            value={draft.supplierName}
            onChange={(event) => setDraft({ ...draft, supplierName: event.target.value })}
          />
        </Field>
        <Field
          label="Supplier's reference (optional)"
          hint="Invoice or delivery number."
          error={problemOf('supplierReference')}
        >
          <input
            maxLength={100}
            value={draft.supplierReference}
            onChange={(event) => setDraft({ ...draft, supplierReference: event.target.value })}
          />
        </Field>

        <h2>Products</h2>
        {draft.lines.length === 0 ? <p className="empty">No products yet: find one below.</p> : null}
        {draft.lines.map((line, index) => {
          const level = line.levels.find((candidate) => candidate.unitLevelId === line.unitLevelId);
          return (
            <fieldset key={line.key} className="purchase-line">
              <legend>
                {line.productName} <span className="muted">{line.sku}</span>
              </legend>
              <Field
                label="Unit"
                error={problemOf(`lines.${index}.unitLevelId`) ?? problemOf(`lines.${index}.productId`)}
              >
                <select
                  value={line.unitLevelId}
                  onChange={(event) => changeLine(line.key, { unitLevelId: event.target.value })}
                >
                  {line.levels.map((option) => (
                    <option key={option.unitLevelId} value={option.unitLevelId}>
                      {option.unitName}
                      {option.factor > 1 ? ` (${option.factor})` : ''}
                    </option>
                  ))}
                </select>
              </Field>
              <Field label="Quantity" error={problemOf(`lines.${index}.quantity`)}>
                <input
                  inputMode="numeric"
                  maxLength={7}
                  value={line.quantity}
                  onChange={(event) => changeLine(line.key, { quantity: event.target.value })}
                />
              </Field>
              <Field
                label={`Cost per ${level?.unitName ?? 'unit'}`}
                hint={
                  level?.buyPriceMinor !== null && level?.buyPriceMinor !== undefined
                    ? `Empty: the catalogue's ${formatMoney(level.buyPriceMinor, currency)}.`
                    : 'No buy price in the catalogue.'
                }
                error={problemOf(`lines.${index}.unitCostMinor`)}
              >
                <input
                  inputMode="decimal"
                  maxLength={20}
                  value={line.unitCost}
                  onChange={(event) => changeLine(line.key, { unitCost: event.target.value })}
                />
              </Field>
              <button
                type="button"
                className="secondary"
                onClick={() => setDraft({ ...draft, lines: draft.lines.filter((other) => other.key !== line.key) })}
              >
                Remove {line.productName}
              </button>
            </fieldset>
          );
        })}
        {problemOf('lines') ? <p className="field-error">{problemOf('lines')}</p> : null}

        <div className="purchase-find" role="search">
          <Field label="Add a product (name, SKU or barcode)" hint="Press Enter to look it up.">
            <input
              type="search"
              autoComplete="off"
              maxLength={64}
              value={query}
              onChange={(event) => {
                setQuery(event.target.value);
                const text = event.target.value.trim();
                latest.current = text;
                if (text.length < 2) return setHits([]);
                // An older answer never replaces a newer one.
                search(text).then(
                  (found) => latest.current === text && setHits(found),
                  (failure: unknown) => latest.current === text && setFindError(failure),
                );
              }}
              onKeyDown={(event) => {
                if (event.key === 'Enter') {
                  event.preventDefault();
                  void find();
                }
              }}
            />
          </Field>
          <ErrorMessage error={findError} />
          {hits.length > 0 ? (
            <ul className="pos-hits" aria-label="Products found">
              {hits.map((hit) => (
                <li key={hit.id}>
                  <button type="button" onClick={() => void addProduct(hit)}>
                    <strong>{hit.name}</strong> <span className="muted">{hit.sku}</span>
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
        </div>

        <p className="purchase-total">
          Total: <strong>{total === null ? '—' : formatMoney(total, currency)}</strong>
        </p>
        <ErrorMessage error={error} />
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Recording…' : 'Record the purchase'}
          </button>
          <Link className="button" to="/purchases">
            Cancel
          </Link>
        </div>
      </form>
    </Page>
  );
}
