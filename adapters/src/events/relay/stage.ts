/** Which part of a relay cycle failed, for the failures metric and for deciding whether to let go of the lock. */
type Stage = 'registry' | 'kafka' | 'database';

export class StageError extends Error {
  constructor(
    readonly stage: Stage,
    cause: unknown,
  ) {
    super(`${stage}: ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }
}
