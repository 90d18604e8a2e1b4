import type { Knex } from 'knex';
import { createRevocationTable, dropRevocationTable } from '@tulity/adapters/auth/revocation';
import { createBackboneTables, dropBackboneTables } from '@tulity/adapters/events/tables';

// Constraint names are matched by the repositories to tell which unique field was taken.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table users (
      id uuid primary key,
      username text not null constraint users_username_unique unique,
      email text not null constraint users_email_unique unique,
      full_name text not null,
      role text not null check (role in ('admin', 'manager', 'cashier')),
      active boolean not null,
      password_hash text not null,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      deleted_at timestamptz
    );
    create index users_role on users (role) where deleted_at is null;

    create table sessions (
      id uuid primary key,
      user_id uuid not null references users (id),
      created_at timestamptz not null,
      expires_at timestamptz not null,
      revoked_at timestamptz,
      revoked_reason text
    );
    create index sessions_live_by_user on sessions (user_id) where revoked_at is null;

    -- Only a hash is stored: a leaked table gives no usable refresh token.
    create table refresh_tokens (
      id uuid primary key,
      session_id uuid not null references sessions (id),
      token_hash text not null constraint refresh_tokens_hash_unique unique,
      issued_at timestamptz not null,
      expires_at timestamptz not null,
      used_at timestamptz
    );
    create index refresh_tokens_session on refresh_tokens (session_id);

    -- The private key never leaves this database. A key is published from its creation, signs from
    -- activates_at, and stays published after its successor activates until its tokens expired.
    create table signing_keys (
      kid text primary key,
      algorithm text not null,
      private_jwk jsonb not null,
      public_jwk jsonb not null,
      created_at timestamptz not null,
      activates_at timestamptz not null
    );

    create table login_failures (
      key text primary key,
      failures integer not null,
      window_started_at timestamptz not null
    );
  `);
  await createBackboneTables(knex);
  await createRevocationTable(knex);
}

export async function down(knex: Knex): Promise<void> {
  await dropRevocationTable(knex);
  await dropBackboneTables(knex);
  await knex.raw('drop table login_failures, signing_keys, refresh_tokens, sessions, users');
}
