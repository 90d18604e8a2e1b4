import type { Knex } from 'knex';

// Login throttling counts password checks before they run (so concurrency cannot pass a limit)
// and slows a key down progressively, which needs the time of the last check.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    drop table login_failures;
    create table login_attempts (
      key text primary key,
      attempts integer not null,
      window_started_at timestamptz not null,
      last_attempt_at timestamptz not null
    );
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop table login_attempts;
    create table login_failures (
      key text primary key,
      failures integer not null,
      window_started_at timestamptz not null
    );
  `);
}
