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
