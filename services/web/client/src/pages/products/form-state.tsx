// A form's submission: client-side checks first, then the request; the server's per-field
// complaints land next to the same fields, and the first invalid field gets the focus.
import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../../api/client';
import { Refusal } from './refusal';
import type { FieldErrors, Parsed } from './rules';

export function useFormSubmit() {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [attempt]);

  /** Sends the parsed value unless the form found problems; true when it was sent and accepted. */
  async function submit<T>(parsed: Parsed<T>, send: (value: T) => Promise<unknown>): Promise<boolean> {
    setFailure(undefined);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      setAttempt((n) => n + 1);
      return false;
    }
    setErrors({});
    setBusy(true);
    try {
      await send(parsed.value);
      return true;
    } catch (error) {
      setFailure(error);
      if (error instanceof ApiError) setErrors(error.fieldErrors);
      setAttempt((n) => n + 1);
      return false;
    } finally {
      setBusy(false);
    }
  }

  const reset = () => {
    setErrors({});
    setFailure(undefined);
  };

  return { errors, failure, busy, submit, reset, formRef };
}

/** Above a form: the server's refusal (a 409 with what to do next), or a reminder that fields are marked. */
export function FormProblems({ errors, failure }: { errors: FieldErrors; failure: unknown }) {
  if (failure !== undefined) return <Refusal error={failure} />;
  if (Object.keys(errors).length === 0) return null;
  return (
    <p className="notice error" role="alert">
      Please correct the marked fields.
    </p>
  );
}
