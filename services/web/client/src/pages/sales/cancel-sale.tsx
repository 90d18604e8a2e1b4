import { useState } from 'react';
import { call, transactions } from '../../api/client';
import { ErrorMessage, Field, fieldError } from '../../ui';
import type { Sale } from './api-types';
import { canCancel } from './sale-view';

/** Cancels a pending or confirmed sale, with the reason the API asks for. */
export function CancelSale({ sale, onCancelled }: { sale: Sale; onCancelled(sale: Sale): void }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  if (!canCancel(sale)) return null;
  if (!open) {
    return (
      <button type="button" className="danger" onClick={() => setOpen(true)}>
        Cancel sale
      </button>
    );
  }
  const submit = async () => {
    const text = reason.trim();
    if (!text) return setProblem('Say why the sale is cancelled.');
    if (text.length > 500) return setProblem('At most 500 characters.');
    setProblem(undefined);
    setBusy(true);
    setError(undefined);
    try {
      onCancelled(
        await call(
          transactions.POST('/api/v1/sales/{id}/cancel', { params: { path: { id: sale.id } }, body: { reason: text } }),
        ),
      );
      setOpen(false);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className="cancel-sale"
      aria-label="Cancel the sale"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <Field label="Why is the sale cancelled?" error={problem ?? fieldError(error, 'reason')}>
        <input
          autoFocus
          maxLength={500}
          value={reason}
          onChange={(event) => setReason(event.target.value)}
          onKeyDown={(event) => event.key === 'Escape' && setOpen(false)}
        />
      </Field>
      <ErrorMessage error={fieldError(error, 'reason') ? undefined : error} />
      <div className="actions">
        <button type="submit" className="danger" disabled={busy}>
          {busy ? 'Cancelling…' : 'Cancel the sale'}
        </button>
        <button type="button" className="secondary" disabled={busy} onClick={() => setOpen(false)}>
          Keep it
        </button>
      </div>
    </form>
  );
}
