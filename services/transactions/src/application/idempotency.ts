// Runs a creating use case at most once per Idempotency-Key, inside the use case's transaction: the
// key, the created rows and the response commit together, so a retry either finds the stored
// response or (when the first attempt rolled back) does the work itself.
import type { Actor } from '@tulity/adapters/core/actor';
import { failures } from '../domain/failures';
import type { TransactionsDeps, Tx } from './ports';

/** The header's value and the request's fingerprint (what it is for + a hash of its body). */
export interface IdempotencyCommand {
  key: string;
  fingerprint: string;
}

/** Creations answer 201; a replay answers what the first attempt answered. */
export const createdStatus = 201;

export async function once<R>(
  tx: Tx,
  actor: Actor,
  idempotency: IdempotencyCommand | undefined,
  now: Date,
  work: () => Promise<R>,
): Promise<R> {
  if (!idempotency) return work();
  const key = { userId: actor.userId, ...idempotency };
  const claim = await tx.idempotency.claim(key, now, idempotencyKeyLifetimeMs);
  if (claim.kind === 'replay') return claim.response.body as R;
  if (claim.kind === 'mismatch') throw failures.idempotencyKeyReused();
  const body = await work();
  await tx.idempotency.complete(key, { status: createdStatus, body });
  return body;
}

/** Keys older than this are forgotten: a retry a day later is a new request. */
export const idempotencyKeyLifetimeMs = 24 * 60 * 60 * 1000;

/** Forgets Idempotency-Keys past their lifetime. */
export function pruneIdempotencyKeys(deps: Pick<TransactionsDeps, 'uow' | 'clock' | 'ids'>) {
  return (command: { lifetimeMs: number } = { lifetimeMs: idempotencyKeyLifetimeMs }): Promise<number> =>
    deps.uow.run(deps.ids.newId(), (tx) =>
      tx.idempotency.prune(new Date(deps.clock.now().getTime() - command.lifetimeMs)),
    );
}
