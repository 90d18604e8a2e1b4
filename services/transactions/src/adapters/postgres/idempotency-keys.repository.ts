import type { Claim, IdempotencyKeys } from '../../application/ports';
import type { WriteBatch } from './write-batch';

interface KeyRow {
  fingerprint: string;
  status: number | null;
  response: unknown;
}

export function idempotencyKeys(batch: WriteBatch): IdempotencyKeys {
  return {
    async claim(key, now, lifetimeMs): Promise<Claim> {
      const trx = await batch.sent();
      // The primary key decides: a second transaction with the same key blocks here until the
      // first commits (then nothing is inserted and it replays) or rolls back (then it inserts).
      // An expired key is taken over in place.
      const expiredBefore = new Date(now.getTime() - lifetimeMs);
      const inserted = await trx.raw<{ rows: unknown[] }>(
        `insert into idempotency_keys (user_id, key, fingerprint, created_at) values (?, ?, ?, ?)
         on conflict (user_id, key) do update set fingerprint = excluded.fingerprint, status = null, response = null, created_at = excluded.created_at
           where idempotency_keys.created_at < ?
         returning user_id`,
        [key.userId, key.key, key.fingerprint, now, expiredBefore],
      );
      if (inserted.rows.length > 0) return { kind: 'fresh' };
      const row: KeyRow | undefined = await trx('idempotency_keys')
        .select('fingerprint', 'status', 'response')
        .where({ user_id: key.userId, key: key.key })
        .first();
      if (!row || row.fingerprint !== key.fingerprint || row.status === null) return { kind: 'mismatch' };
      return { kind: 'replay', response: { status: row.status, body: row.response } };
    },
    // Queued: the response is stored by the statement that writes the created rows and their
    // outbox rows, so all of them commit together. The claim inserted the key's row earlier in
    // this transaction, so no other queued write touches it.
    async complete(key, response) {
      batch.queue((trx) =>
        trx('idempotency_keys')
          .where({ user_id: key.userId, key: key.key })
          .update({ status: response.status, response: JSON.stringify(response.body) }),
      );
    },
    async prune(before) {
      const trx = await batch.sent();
      return trx('idempotency_keys').where('created_at', '<', before).delete();
    },
  };
}
