import { useRef, useState } from 'react';
import { call, transactions } from '../../api/client';
import { ErrorMessage, Field, fieldError } from '../../ui';
import type { Sale, SaleReturnCreated } from './api-types';
import { returnable } from './sale-view';

/** Returns part or all of a confirmed sale (managers); products puts the stock back. */
export function ReturnForm({ sale, onReturned }: { sale: Sale; onReturned(created: SaleReturnCreated): void }) {
  const lines = returnable(sale);
  const [quantities, setQuantities] = useState<Record<string, string>>({});
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const idempotency = useRef<{ body: string; key: string } | undefined>(undefined);
  /** The sale line ids in the order last sent: the server names a line by its index there. */
  const sent = useRef<string[]>([]);

  const lineProblem = (lineId: string, left: number) => {
    const text = (quantities[lineId] ?? '').trim();
    if (text === '') return undefined;
    if (!/^\d{1,7}$/.test(text)) return 'Enter a whole number.';
    if (Number(text) > left) return `At most ${left}.`;
    return undefined;
  };

  const submit = async () => {
    const chosen = lines
      .map((line) => ({ saleLineId: line.id, quantity: Number((quantities[line.id] ?? '').trim() || '0') }))
      .filter((line) => line.quantity > 0);
    if (lines.some((line) => lineProblem(line.id, line.quantity - line.returnedQuantity))) {
      return setProblem('Correct the quantities first.');
    }
    if (chosen.length === 0) return setProblem('Enter how many of at least one line come back.');
    if (reason.length > 500) return setProblem('The reason is longer than 500 characters.');
    setProblem(undefined);
    const body = { lines: chosen, ...(reason.trim() ? { reason: reason.trim() } : {}) };
    sent.current = chosen.map((line) => line.saleLineId);
    const text = JSON.stringify(body);
    if (idempotency.current?.body !== text) idempotency.current = { body: text, key: crypto.randomUUID() };
    setBusy(true);
    setError(undefined);
    try {
      const created = await call(
        transactions.POST('/api/v1/sales/{id}/returns', {
          params: { path: { id: sale.id } },
          body,
          headers: { 'idempotency-key': idempotency.current.key },
        }),
      );
      setQuantities({});
      setReason('');
      idempotency.current = undefined;
      onReturned(created);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="card"
      aria-label="Return items"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <h2>Return items</h2>
      {lines.map((line) => {
        const left = line.quantity - line.returnedQuantity;
        const index = sent.current.indexOf(line.id);
        return (
          <Field
            key={line.id}
            label={`${line.productName} (${line.unitName}), up to ${left}`}
            error={lineProblem(line.id, left) ?? fieldError(error, `lines.${index}.quantity`)}
          >
            <input
              inputMode="numeric"
              autoComplete="off"
              maxLength={7}
              placeholder="0"
              value={quantities[line.id] ?? ''}
              onChange={(event) => setQuantities({ ...quantities, [line.id]: event.target.value })}
            />
          </Field>
        );
      })}
      <Field label="Reason (optional)" error={fieldError(error, 'reason')}>
        <input maxLength={500} value={reason} onChange={(event) => setReason(event.target.value)} />
      </Field>
      {problem ? (
        <p className="notice error" role="alert">
          {problem}
        </p>
      ) : null}
      <ErrorMessage error={error} />
      <button type="submit" className="primary" disabled={busy}>
        {busy ? 'Returning…' : 'Return and refund'}
      </button>
    </form>
  );
}
