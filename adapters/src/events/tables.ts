import type { Knex } from 'knex';

export const OUTBOX_TABLE = 'event_outbox';
export const INBOX_TABLE = 'event_inbox';

/**
 * The backbone's tables in a service's migration: `up` calls this once, `down` calls
 * `dropBackboneTables`. The relay publishes from the outbox; consumers dedupe through the inbox.
 */
export async function createBackboneTables(knex: Knex): Promise<void> {
  await createOutboxTable(knex);
  await createInboxTable(knex);
}

/** The outbox: one row per event, written in the aggregate's transaction, published by the relay. */
async function createOutboxTable(knex: Knex): Promise<void> {
  await knex.schema.createTable(OUTBOX_TABLE, (table) => {
    // The relay reads in id order: bigserial gives the order rows were written in.
    table.bigIncrements('id').primary();
    table.text('event_id').notNullable().unique();
    table.text('event_type').notNullable();
    table.text('topic').notNullable();
    table.text('key').notNullable();
    table.jsonb('payload').notNullable();
    table.text('correlation_id');
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.integer('attempts').notNullable().defaultTo(0);
    table.text('last_error');
    table.timestamp('published_at', { useTz: true });
  });
  // Keeps the relay's claim query and the pending-rows metric cheap however many published rows remain.
  await knex.raw(`create index ${OUTBOX_TABLE}_unpublished on ${OUTBOX_TABLE} (id) where published_at is null`);
  await knex.raw(
    `create index ${OUTBOX_TABLE}_published_at on ${OUTBOX_TABLE} (published_at) where published_at is not null`,
  );
}

/** The inbox: the ids of events a consumer group has applied; its primary key is the dedup. */
export async function createInboxTable(knex: Knex): Promise<void> {
  await knex.schema.createTable(INBOX_TABLE, (table) => {
    table.text('group_id').notNullable();
    table.text('event_id').notNullable();
    table.text('event_type').notNullable();
    table.text('topic').notNullable();
    table.integer('partition').notNullable();
    table.text('offset').notNullable();
    table.timestamp('applied_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.primary(['group_id', 'event_id']);
  });
}

/** Drops both backbone tables, for a migration's `down`. */
export async function dropBackboneTables(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists(INBOX_TABLE);
  await knex.schema.dropTableIfExists(OUTBOX_TABLE);
}
