import type { Knex } from 'knex';
import type { RecipientRepository } from '../../application/ports';
import type { Recipient } from '../../domain/recipient';

export class RecipientRepositoryPg implements RecipientRepository {
  constructor(private readonly trx: Knex.Transaction) {}

  async save(recipient: Recipient): Promise<void> {
    await this.trx('recipients')
      .insert({ id: recipient.id, username: recipient.username, role: recipient.role, active: recipient.active })
      .onConflict('id')
      .merge(['username', 'role', 'active']);
  }

  async deactivate(id: string): Promise<void> {
    await this.trx('recipients').where({ id }).update({ active: false });
  }
}

/**
 * Locks the active recipients with these roles, and the recipients with these ids, in id order, the order a delivery locks
 * them in. A consumer's run takes them all before its first event (see LockFirst), so runs of
 * different partitions queue behind each other instead of deadlocking.
 */
export async function lockRecipientsAhead(
  trx: Knex.Transaction,
  named: { roles: readonly string[]; userIds: readonly string[] },
): Promise<void> {
  if (named.roles.length === 0 && named.userIds.length === 0) return;
  await trx.raw(
    `select 1 from recipients where (active and role = any(?::text[])) or id = any(?::text[]) order by id for update`,
    [[...named.roles], [...named.userIds]],
  );
}
