// A use case's new rows go to Postgres together: each statement costs a round trip and knex's
// query building, while the rows themselves cost Postgres next to nothing (docs/performance.md).
// So a sale's row, its lines, its outbox row and its Idempotency-Key's response wait here and are
// sent as ONE statement of data-modifying CTEs, either before the transaction's next statement (so
// that statement sees them) or, when the work is done, in the same write as COMMIT (deferred, see
// adapters/src/postgres/pipeline.ts).
//
// Only writes that no other queued write touches may be queued: inserts of rows with new ids, and
// the completion of a key that an earlier statement claimed. The CTEs of one statement all see the
// snapshot taken before it and may not change one row twice; foreign keys are checked at the end
// of the statement, so lines may travel beside their sale. A failing write (a constraint) fails
// when the batch is sent, still inside the transaction, which then rolls back as before.
import type { Knex } from 'knex';
import { deferWrite } from '@tulity/adapters/postgres/pipeline';

export interface WriteBatch {
  /** Queues writes, built now on the transaction and sent with the next batch. */
  queue(build: (trx: Knex.Transaction) => Knex.QueryBuilder | Knex.QueryBuilder[]): void;
  /** Sends the queued writes, then answers the transaction: what runs on it next sees them. */
  sent(): Promise<Knex.Transaction>;
  /** Hands the queued writes to the transaction's next statement (COMMIT, when the work is done). */
  deferred(): Promise<void>;
}

export function writeBatch(trx: Knex.Transaction): WriteBatch {
  let queued: Knex.QueryBuilder[] = [];
  const statement = (): Knex.QueryBuilder | Knex.Raw | undefined => {
    const writes = queued;
    queued = [];
    if (writes.length <= 1) return writes[0];
    return trx.raw(`with ${writes.map((_, i) => `w${i} as (?)`).join(', ')} select 1`, writes);
  };
  return {
    queue(build) {
      queued = queued.concat(build(trx));
    },
    async sent() {
      await statement();
      return trx;
    },
    async deferred() {
      const writes = statement();
      if (writes) await deferWrite(trx, writes);
    },
  };
}
