// Stock on hand and reserved (in base units and in the product's levels), the movement ledger,
// and the manual adjustment with its reason.
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { call, products } from '../../api/client';
import { Empty, ErrorMessage, Field, formatDateTime, Loading, Pager, useResource } from '../../ui';
import type { MovementReason, ProductDetail } from './api-types';
import { movementReasons, type DetailParams, type MovementReasonFilter } from './detail-params';
import { FormProblems, useFormSubmit } from './form-state';
import { SelectControl, SuccessNotice } from './list-controls';
import { parseStockAdjustment, type StockAdjustmentValues } from './product-forms';
import { inLevels, movementLabels, movementLink, signed } from './stock-display';

const ledgerPageSize = 10;
const reasonOptions = [
  ['', 'All movements'],
  ...movementReasons.map((reason) => [reason, movementLabels[reason] ?? reason] as const),
] as const;

export function StockSection({
  product,
  baseAbbreviation,
  canWrite,
  page,
  reason,
  revision,
  onView,
  notice,
  onChanged,
}: {
  product: ProductDetail;
  baseAbbreviation: string;
  canWrite: boolean;
  page: number;
  reason: MovementReasonFilter;
  revision: number;
  onView(change: Partial<DetailParams>): void;
  notice: string | undefined;
  onChanged(message: string): void;
}) {
  const { stock } = product;
  const ledger = useResource(
    () =>
      call(
        products.GET('/api/v1/products/{id}/stock-movements', {
          params: {
            path: { id: product.id },
            query: {
              page,
              pageSize: ledgerPageSize,
              ...(reason === '' ? {} : { reason: reason as MovementReason }),
            },
          },
        }),
      ),
    [product.id, page, reason, revision],
  );
  const levels = product.unitLevels;

  return (
    <section className="card" aria-labelledby="product-stock">
      <h2 id="product-stock">Stock</h2>
      <dl className="facts stock-figures">
        <dt>On hand</dt>
        <dd>
          <strong>
            {stock.quantity} {baseAbbreviation}
          </strong>
          {levels.length > 1 && stock.quantity > 0 ? (
            <span className="muted"> = {inLevels(stock.quantity, levels)}</span>
          ) : null}
          {stock.low ? <span className="tag warn">Low stock</span> : null}
        </dd>
        <dt>Reserved</dt>
        <dd>
          {stock.reserved} {baseAbbreviation} <span className="muted">(held by sales not yet confirmed)</span>
        </dd>
        <dt>Low at</dt>
        <dd>
          {stock.lowStockThreshold} {baseAbbreviation} or less
        </dd>
      </dl>

      {canWrite ? (
        <AdjustStockForm productId={product.id} baseAbbreviation={baseAbbreviation} onChanged={onChanged} />
      ) : null}

      <SuccessNotice message={notice} focus={false} />
      <h3 id="stock-ledger">Movements</h3>
      <div className="list-controls">
        <SelectControl
          id="ledger-reason"
          label="Movement type"
          value={reason}
          options={reasonOptions}
          onChange={(value) => onView({ ledgerReason: value as MovementReasonFilter })}
        />
      </div>
      <ErrorMessage error={ledger.error} retry={ledger.reload} />
      {ledger.loading && !ledger.data ? <Loading label="Loading movements…" /> : null}
      {ledger.data && ledger.data.items.length === 0 ? <Empty>No stock movements yet.</Empty> : null}
      {ledger.data && ledger.data.items.length > 0 ? (
        <div className="table-wrap">
          <table aria-labelledby="stock-ledger" aria-busy={ledger.loading}>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col" className="number">
                  Change
                </th>
                <th scope="col" className="number">
                  Balance
                </th>
                <th scope="col">Type</th>
                <th scope="col">Note</th>
              </tr>
            </thead>
            <tbody>
              {ledger.data.items.map((movement) => {
                const link =
                  canWrite || movement.reason !== 'purchase'
                    ? movementLink(movement.reason, movement.reference)
                    : undefined;
                return (
                  <tr key={movement.id}>
                    <td>{formatDateTime(movement.occurredAt)}</td>
                    <td className={movement.delta > 0 ? 'number gain' : 'number loss'}>{signed(movement.delta)}</td>
                    <td className="number">{movement.balanceAfter}</td>
                    <td>
                      {link ? (
                        <Link to={link}>{movementLabels[movement.reason] ?? movement.reason}</Link>
                      ) : (
                        (movementLabels[movement.reason] ?? movement.reason)
                      )}
                    </td>
                    <td>{movement.note ?? ''}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      {ledger.data ? (
        <Pager
          page={page}
          pageSize={ledgerPageSize}
          total={ledger.data.total}
          onPage={(ledgerPage) => onView({ ledgerPage })}
        />
      ) : null}
    </section>
  );
}

const emptyAdjustment: StockAdjustmentValues = { direction: 'add', quantity: '', reason: '' };

function AdjustStockForm({
  productId,
  baseAbbreviation,
  onChanged,
}: {
  productId: string;
  baseAbbreviation: string;
  onChanged(message: string): void;
}) {
  const [values, setValues] = useState(emptyAdjustment);
  const form = useFormSubmit();
  const save = async (event: FormEvent) => {
    event.preventDefault();
    let delta = 0;
    const ok = await form.submit(parseStockAdjustment(values), async (body) => {
      delta = body.delta;
      await call(
        products.POST('/api/v1/products/{id}/stock/adjustments', { params: { path: { id: productId } }, body }),
      );
    });
    if (ok) {
      setValues(emptyAdjustment);
      onChanged(`Stock adjusted by ${signed(delta)} ${baseAbbreviation}.`);
    }
  };

  return (
    <form
      ref={form.formRef}
      className="inline-form"
      aria-label="Adjust stock"
      noValidate
      onSubmit={(e) => void save(e)}
    >
      <h3>Adjust stock</h3>
      <FormProblems errors={form.errors} failure={form.failure} />
      <div className="form-grid">
        <Field label="Change">
          <select
            value={values.direction}
            onChange={(e) => setValues({ ...values, direction: e.target.value as 'add' | 'remove' })}
          >
            <option value="add">Add to stock</option>
            <option value="remove">Remove from stock</option>
          </select>
        </Field>
        <Field label="Quantity" hint={`In base units (${baseAbbreviation}).`} error={form.errors['delta']}>
          <input
            type="number"
            min={1}
            step={1}
            inputMode="numeric"
            value={values.quantity}
            onChange={(e) => setValues({ ...values, quantity: e.target.value })}
          />
        </Field>
        <Field label="Reason" hint="E.g. count correction, damage, loss." error={form.errors['reason']}>
          <input
            value={values.reason}
            maxLength={500}
            onChange={(e) => setValues({ ...values, reason: e.target.value })}
          />
        </Field>
      </div>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={form.busy}>
          Adjust stock
        </button>
      </div>
    </form>
  );
}
