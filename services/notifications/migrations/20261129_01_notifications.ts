import type { Knex } from 'knex';
import { createRevocationTable, dropRevocationTable, revocationTable } from '@tulity/adapters/auth/revocation';
import { createBackboneTables, dropBackboneTables } from '@tulity/adapters/events/tables';

export async function up(knex: Knex): Promise<void> {
  // Notifications publishes nothing, but every service runs the relay role, which reads the outbox.
  await createBackboneTables(knex);
  await createRevocationTable(knex);

  // The read model of users, from accounts' events. `last_seq` numbers each user's notifications:
  // it is bumped under the row's lock, so sequence numbers follow commit order (a stream resuming
  // after N never skips a notification that committed late with a smaller number).
  await knex.schema.createTable('recipients', (table) => {
    table.text('id').primary();
    table.text('username').notNullable();
    table.text('role');
    table.boolean('active').notNullable();
    table.bigInteger('last_seq').notNullable().defaultTo(0);
  });
  await knex.raw(`create index recipients_active_role on recipients (role) where active`);

  await knex.schema.createTable('announcements', (table) => {
    table.uuid('id').primary();
    table.text('audience').notNullable();
    table.text('title').notNullable();
    table.text('text').notNullable();
    table.text('created_by').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.integer('recipients').notNullable().defaultTo(0);
  });

  await knex.schema.createTable('notifications', (table) => {
    table.uuid('id').primary();
    table.text('recipient_id').notNullable().references('id').inTable('recipients');
    table.bigInteger('seq').notNullable();
    table.text('kind').notNullable();
    table.text('title').notNullable();
    table.text('text').notNullable();
    table.text('link_resource');
    table.text('link_id');
    // The event id (or announcement, or alert state) that caused it: one notification per recipient.
    table.text('source_id').notNullable();
    table.uuid('announcement_id').references('id').inTable('announcements').onDelete('CASCADE');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('read_at', { useTz: true });
    table.unique(['source_id', 'recipient_id'], { indexName: 'notifications_once_per_source' });
    table.unique(['recipient_id', 'seq'], { indexName: 'notifications_recipient_seq' });
    table.index(['recipient_id', 'created_at'], 'notifications_recipient_created');
    table.index(['announcement_id'], 'notifications_announcement');
  });
  await knex.raw(`create index notifications_read_at on notifications (read_at) where read_at is not null`);

  await knex.schema.createTable('stream_tickets', (table) => {
    // SHA-256 of the ticket: the database never holds a usable one.
    table.text('hash').primary();
    table.text('user_id').notNullable();
    table.text('role').notNullable();
    table.text('session_id').notNullable();
    table.text('token_id').notNullable();
    table.timestamp('token_issued_at', { useTz: true }).notNullable();
    table.timestamp('expires_at', { useTz: true }).notNullable().index();
  });

  // Open streams learn about new rows and revocations from whichever process wrote them (the
  // consumer may run elsewhere): one NOTIFY per statement naming the recipients, '*' when too many.
  await knex.raw(`
    create function notify_notifications_created() returns trigger language plpgsql as $$
    declare recipients text;
    begin
      select string_agg(distinct recipient_id, ',') into recipients from created;
      if recipients is not null then
        perform pg_notify('notifications_created', case when length(recipients) < 7900 then recipients else '*' end);
      end if;
      return null;
    end $$;
    create trigger notifications_created after insert on notifications
      referencing new table as created for each statement execute function notify_notifications_created();

    create function notify_revocation() returns trigger language plpgsql as $$
    begin
      perform pg_notify('auth_revoked', new.kind || ':' || new.subject);
      return null;
    end $$;
    create trigger auth_revoked after insert or update on ${revocationTable}
      for each row execute function notify_revocation();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(
    `drop trigger if exists auth_revoked on ${revocationTable}; drop function if exists notify_revocation()`,
  );
  await knex.schema.dropTableIfExists('stream_tickets');
  await knex.schema.dropTableIfExists('notifications');
  await knex.raw('drop function if exists notify_notifications_created()');
  await knex.schema.dropTableIfExists('announcements');
  await knex.schema.dropTableIfExists('recipients');
  await dropRevocationTable(knex);
  await dropBackboneTables(knex);
}
