// A refused change, explained: the server's words, what to do about it, and (for some) a link
// to the things in the way.
import type { ReactNode } from 'react';
import { ApiError } from '../../api/client';
import { ErrorMessage } from '../../ui';
import { explainConflict } from './conflicts';

export function Refusal({ error, children }: { error: unknown; children?: ReactNode }) {
  if (error === undefined || error === null) return null;
  if (!(error instanceof ApiError) || error.status !== 409) return <ErrorMessage error={error} />;
  const { detail, next } = explainConflict(error.code, error.detail);
  return (
    <div className="notice error refusal" role="alert">
      <p>
        <strong>Not possible: </strong>
        {detail}
      </p>
      {next ? <p>{next}</p> : null}
      {children}
    </div>
  );
}
