// Prices per unit level: the ones in force, the scheduled ones (which can still change) and the
// history. Managers and admins set a price now or from a later time.
import { useState, type FormEvent } from 'react';
import { call, products } from '../../api/client';
import { ConfirmButton, Empty, ErrorMessage, Field, Loading, Money, Pager, useCurrency, useResource } from '../../ui';
import type { Price, ProductDetail } from './api-types';
import type { DetailParams } from './detail-params';
import { FormProblems, useFormSubmit } from './form-state';
import { SelectControl, SuccessNotice } from './list-controls';
import { moneyInput } from './money-input';
import { isoToLocalDateTime, parsePrice, type PriceFormValues } from './product-forms';
import { priceState, scheduleLabel } from './price-schedule';
import { Refusal } from './refusal';
import { levelName } from './stock-display';

const historyPageSize = 10;
const stateNames = { scheduled: 'Scheduled', current: 'In force', past: 'Superseded' } as const;

export function PricesSection({
  product,
  baseAbbreviation,
  canWrite,
  page,
  level,
  revision,
  onView,
  notice,
  onChanged,
}: {
  product: ProductDetail;
  baseAbbreviation: string;
  canWrite: boolean;
  page: number;
  level: string;
  revision: number;
  onView(change: Partial<DetailParams>): void;
  notice: string | undefined;
  onChanged(message: string): void;
}) {
  const [editing, setEditing] = useState<Price | undefined>(undefined);
  const [refused, setRefused] = useState<unknown>(undefined);
  const history = useResource(
    () =>
      call(
        products.GET('/api/v1/products/{id}/prices', {
          params: {
            path: { id: product.id },
            query: { page, pageSize: historyPageSize, ...(level === '' ? {} : { unitLevelId: level }) },
          },
        }),
      ),
    [product.id, page, level, revision],
  );
  const levels = [...product.unitLevels].sort((a, b) => a.factor - b.factor);
  const nameOf = (unitLevelId: string) => {
    const found = levels.find((l) => l.id === unitLevelId);
    return found ? levelName(found, baseAbbreviation) : 'Deleted level';
  };
  const currentIds = new Set(product.currentPrices.map((price) => price.id));
  const now = new Date();

  const remove = async (price: Price) => {
    setRefused(undefined);
    try {
      await call(
        products.DELETE('/api/v1/products/{id}/prices/{priceId}', {
          params: { path: { id: product.id, priceId: price.id } },
        }),
      );
      onChanged(`The scheduled price of ${nameOf(price.unitLevelId)} was deleted.`);
    } catch (error) {
      setRefused(error);
    }
  };

  return (
    <section className="card" aria-labelledby="product-prices">
      <h2 id="product-prices">Prices</h2>
      <h3 id="prices-current">In force now</h3>
      <div className="table-wrap">
        <table aria-labelledby="prices-current">
          <thead>
            <tr>
              <th scope="col">Unit level</th>
              <th scope="col" className="number">
                Sell
              </th>
              <th scope="col" className="number">
                Buy
              </th>
            </tr>
          </thead>
          <tbody>
            {levels.map((l) => {
              const price = product.currentPrices.find((p) => p.unitLevelId === l.id);
              return (
                <tr key={l.id}>
                  <th scope="row">{levelName(l, baseAbbreviation)}</th>
                  {price ? (
                    <>
                      <td className="number">
                        <Money minor={price.sellPrice} currency={price.currency} />
                      </td>
                      <td className="number">
                        <Money minor={price.buyPrice} currency={price.currency} />
                      </td>
                    </>
                  ) : (
                    <td colSpan={2} className="muted">
                      No price yet: it cannot be sold or bought in this unit.
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      {canWrite ? (
        <PriceForm
          key={editing?.id ?? 'new'}
          product={product}
          editing={editing}
          nameOf={nameOf}
          baseAbbreviation={baseAbbreviation}
          onDone={(message) => {
            setEditing(undefined);
            if (message) onChanged(message);
          }}
        />
      ) : null}

      <SuccessNotice message={notice} focus={false} />
      <h3 id="prices-history">Schedule and history</h3>
      <Refusal error={refused} />
      <div className="list-controls">
        <SelectControl
          id="prices-level"
          label="Show prices of"
          value={level}
          options={[['', 'All unit levels'], ...levels.map((l) => [l.id, levelName(l, baseAbbreviation)] as const)]}
          onChange={(pricesLevel) => onView({ pricesLevel })}
        />
      </div>
      <ErrorMessage error={history.error} retry={history.reload} />
      {history.loading && !history.data ? <Loading label="Loading prices…" /> : null}
      {history.data && history.data.items.length === 0 ? <Empty>No prices yet.</Empty> : null}
      {history.data && history.data.items.length > 0 ? (
        <div className="table-wrap">
          <table aria-labelledby="prices-history" aria-busy={history.loading}>
            <thead>
              <tr>
                <th scope="col">Unit level</th>
                <th scope="col" className="number">
                  Sell
                </th>
                <th scope="col" className="number">
                  Buy
                </th>
                <th scope="col">When</th>
                {canWrite ? (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {history.data.items.map((price) => {
                const state = priceState(price, currentIds, now);
                return (
                  <tr key={price.id} className={`price-${state}`}>
                    <th scope="row">{nameOf(price.unitLevelId)}</th>
                    <td className="number">
                      <Money minor={price.sellPrice} currency={price.currency} />
                    </td>
                    <td className="number">
                      <Money minor={price.buyPrice} currency={price.currency} />
                    </td>
                    <td>
                      <span className={`tag ${state === 'scheduled' ? 'info' : state === 'current' ? 'ok' : ''}`}>
                        {stateNames[state]}
                      </span>{' '}
                      {scheduleLabel(price, currentIds, now)}
                    </td>
                    {canWrite ? (
                      <td>
                        {state === 'scheduled' ? (
                          <div className="row-actions">
                            <button type="button" className="secondary" onClick={() => setEditing(price)}>
                              Edit
                              <span className="visually-hidden"> scheduled price of {nameOf(price.unitLevelId)}</span>
                            </button>
                            <ConfirmButton
                              question="Delete this scheduled price?"
                              confirmLabel="Yes, delete"
                              onConfirm={() => remove(price)}
                            >
                              Delete
                              <span className="visually-hidden"> scheduled price of {nameOf(price.unitLevelId)}</span>
                            </ConfirmButton>
                          </div>
                        ) : null}
                      </td>
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      {history.data ? (
        <Pager
          page={page}
          pageSize={historyPageSize}
          total={history.data.total}
          onPage={(pricesPage) => onView({ pricesPage })}
        />
      ) : null}
    </section>
  );
}

/** Sets a new price, or changes a scheduled one (its level and currency stay). */
function PriceForm({
  product,
  editing,
  nameOf,
  baseAbbreviation,
  onDone,
}: {
  product: ProductDetail;
  editing: Price | undefined;
  nameOf(unitLevelId: string): string;
  baseAbbreviation: string;
  onDone(message?: string): void;
}) {
  const configured = useCurrency();
  const currency = editing?.currency ?? product.currentPrices[0]?.currency ?? configured;
  const [values, setValues] = useState<PriceFormValues>(
    editing
      ? {
          unitLevelId: editing.unitLevelId,
          sellPrice: moneyInput(editing.sellPrice, editing.currency),
          buyPrice: moneyInput(editing.buyPrice, editing.currency),
          currency: editing.currency,
          effectiveFrom: isoToLocalDateTime(editing.effectiveFrom),
        }
      : { unitLevelId: '', sellPrice: '', buyPrice: '', currency, effectiveFrom: '' },
  );
  const form = useFormSubmit();
  const set = (key: keyof PriceFormValues) => (value: string) => setValues((v) => ({ ...v, [key]: value }));
  const levels = [...product.unitLevels].sort((a, b) => a.factor - b.factor);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = parsePrice(values);
    if (editing) {
      const ok = await form.submit(parsed, ({ sellPrice, buyPrice, effectiveFrom }) =>
        call(
          products.PATCH('/api/v1/products/{id}/prices/{priceId}', {
            params: { path: { id: product.id, priceId: editing.id } },
            // Emptied, the start means "now": the scheduled price takes effect at once.
            body: { sellPrice, buyPrice, effectiveFrom: effectiveFrom ?? new Date().toISOString() },
          }),
        ),
      );
      if (ok) onDone(`The scheduled price of ${nameOf(editing.unitLevelId)} was changed.`);
      return;
    }
    const ok = await form.submit(parsed, (body) =>
      call(products.POST('/api/v1/products/{id}/prices', { params: { path: { id: product.id } }, body })),
    );
    if (ok) {
      setValues({ unitLevelId: '', sellPrice: '', buyPrice: '', currency: values.currency, effectiveFrom: '' });
      onDone(
        values.effectiveFrom === ''
          ? `New price of ${nameOf(values.unitLevelId)} in force.`
          : `New price of ${nameOf(values.unitLevelId)} scheduled.`,
      );
    }
  };

  const title = editing ? `Change the scheduled price of ${nameOf(editing.unitLevelId)}` : 'Set a price';
  return (
    <form ref={form.formRef} className="inline-form" aria-label={title} noValidate onSubmit={(e) => void save(e)}>
      <h3>{title}</h3>
      <FormProblems errors={form.errors} failure={form.failure} />
      <div className="form-grid">
        {editing ? null : (
          <Field label="Unit level" error={form.errors['unitLevelId']}>
            <select value={values.unitLevelId} onChange={(e) => set('unitLevelId')(e.target.value)}>
              <option value="">Choose a unit level…</option>
              {levels.map((l) => (
                <option key={l.id} value={l.id}>
                  {levelName(l, baseAbbreviation)}
                </option>
              ))}
            </select>
          </Field>
        )}
        <Field
          label="Sell price"
          hint={`Per unit of the level, in ${values.currency}.`}
          error={form.errors['sellPrice']}
        >
          <input
            inputMode="decimal"
            value={values.sellPrice}
            maxLength={20}
            autoFocus={editing !== undefined}
            onChange={(e) => set('sellPrice')(e.target.value)}
          />
        </Field>
        <Field
          label="Buy price"
          hint={`What one unit of the level costs you, in ${values.currency}.`}
          error={form.errors['buyPrice']}
        >
          <input
            inputMode="decimal"
            value={values.buyPrice}
            maxLength={20}
            onChange={(e) => set('buyPrice')(e.target.value)}
          />
        </Field>
        {editing ? null : (
          <Field label="Currency" hint="ISO 4217 code." error={form.errors['currency']}>
            <input
              value={values.currency}
              maxLength={3}
              autoCapitalize="characters"
              onChange={(e) => set('currency')(e.target.value.toUpperCase())}
            />
          </Field>
        )}
        <Field
          label="Takes effect"
          hint={editing ? 'Empty: at once.' : 'Leave empty to take effect now; pick a later time to schedule it.'}
          error={form.errors['effectiveFrom']}
        >
          <input
            type="datetime-local"
            value={values.effectiveFrom}
            onChange={(e) => set('effectiveFrom')(e.target.value)}
          />
        </Field>
      </div>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={form.busy}>
          {editing ? 'Save price' : 'Set price'}
        </button>
        {editing ? (
          <button type="button" className="secondary" onClick={() => onDone()}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}
