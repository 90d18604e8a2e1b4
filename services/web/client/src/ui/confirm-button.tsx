import { useState, type ReactNode } from 'react';
import { errorText } from './status';

/**
 * A button for a step that cannot be undone: the first press asks, the second does it. A failure
 * is shown beside the button.
 */
export function ConfirmButton({
  onConfirm,
  children,
  question = 'Are you sure?',
  confirmLabel = 'Yes',
  className = 'danger',
}: {
  onConfirm(): Promise<unknown> | void;
  children: ReactNode;
  question?: string;
  confirmLabel?: string;
  className?: string;
}) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);

  if (!asking) {
    return (
      <span className="confirm">
        <button type="button" className={className} onClick={() => setAsking(true)}>
          {children}
        </button>
        {error !== undefined ? (
          <span className="field-error" role="alert">
            {errorText(error)}
          </span>
        ) : null}
      </span>
    );
  }
  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
      setAsking(false);
    }
  };
  return (
    <span className="confirm" role="group" aria-label={question}>
      <span>{question}</span>
      <button type="button" className={className} disabled={busy} onClick={() => void confirm()} autoFocus>
        {busy ? 'Working…' : confirmLabel}
      </button>
      <button type="button" className="secondary" disabled={busy} onClick={() => setAsking(false)}>
        No
      </button>
    </span>
  );
}
