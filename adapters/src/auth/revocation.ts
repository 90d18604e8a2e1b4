import type { Knex } from '../postgres/database';
import type { Principal, RevocationCheck } from './authenticator';

/**
 * Revocations every service keeps in its own database, filled by accounts' events:
 * - `token`: one access token (`jti`);
 * - `session`: every access token of one login session (`sid`), e.g. after logout;
 * - `user`: every token of a user issued at or before `revokedBefore` (deactivation, deletion).
 * A row is kept until every token it can match has expired on its own (`expiresAt`).
 */
export type Revocation =
  | { kind: 'token' | 'session'; id: string; expiresAt: number }
  | { kind: 'user'; id: string; revokedBefore: number; expiresAt: number };

export const revocationTable = 'auth_revocations';

/** Called from a service's own knex migration, like the outbox and inbox tables. */
export async function createRevocationTable(knex: Knex): Promise<void> {
  await knex.schema.createTable(revocationTable, (table) => {
    table.text('kind').notNullable();
    table.text('subject').notNullable();
    table.timestamp('revoked_before', { useTz: true }).nullable();
    table.timestamp('expires_at', { useTz: true }).notNullable().index();
    table.primary(['kind', 'subject']);
  });
}

export async function dropRevocationTable(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists(revocationTable);
}

/** Idempotent: recording the same revocation twice (a redelivered event) widens nothing. */
export async function recordRevocation(db: Knex | Knex.Transaction, revocation: Revocation): Promise<void> {
  await db(revocationTable)
    .insert({
      kind: revocation.kind,
      subject: revocation.id,
      revoked_before: revocation.kind === 'user' ? new Date(revocation.revokedBefore) : null,
      expires_at: new Date(revocation.expiresAt),
    })
    .onConflict(['kind', 'subject'])
    .merge({
      revoked_before: db.raw(`greatest(${revocationTable}.revoked_before, excluded.revoked_before)`),
      expires_at: db.raw(`greatest(${revocationTable}.expires_at, excluded.expires_at)`),
    });
}

/** Deletes rows whose tokens have all expired; returns how many. */
export async function pruneRevocations(db: Knex, now = Date.now()): Promise<number> {
  return db(revocationTable).where('expires_at', '<', new Date(now)).delete();
}

// Asked on every authenticated request whose "not revoked" is not cached.
const revokedSql = `select 1 from ${revocationTable}
         where (kind = 'token' and subject = ?) or (kind = 'session' and subject = ?)
            or (kind = 'user' and subject = ? and revoked_before >= ?)
         limit 1`;

export interface RevocationCheckOptions {
  /** How long a "not revoked" answer is reused. It bounds how late a revocation is seen, on top of event delivery. */
  notRevokedCacheMs?: number;
  maxCachedTokens?: number;
}

/**
 * A RevocationCheck over the table: one primary-key lookup per token, whose answer is cached —
 * "revoked" until the token expires (it can never become valid again), "not revoked" briefly.
 */
export function createRevocationCheck(
  db: Knex,
  options: RevocationCheckOptions = {},
): RevocationCheck & { forget(): void } {
  const notRevokedCacheMs = options.notRevokedCacheMs ?? 1000;
  const maxCachedTokens = options.maxCachedTokens ?? 10_000;
  const cache = new Map<string, { revoked: boolean; until: number }>();
  // Bumped by forget(): an answer read before it may predate the revocation it announces.
  let generation = 0;
  return {
    async isRevoked(principal: Principal) {
      const now = Date.now();
      const cached = cache.get(principal.tokenId);
      if (cached && cached.until > now) return cached.revoked;
      const asked = generation;
      const result: { rows: unknown[] } = await db.raw(revokedSql, [
        principal.tokenId,
        principal.sessionId,
        principal.userId,
        new Date(principal.issuedAt),
      ]);
      const revoked = result.rows.length > 0;
      if (asked !== generation) return revoked;
      if (cache.size >= maxCachedTokens) cache.clear();
      cache.set(principal.tokenId, { revoked, until: revoked ? principal.expiresAt : now + notRevokedCacheMs });
      return revoked;
    },
    forget() {
      generation++;
      cache.clear();
    },
  };
}

/** A structural match for the backbone's EventHandler, so this module does not depend on it. */
export type RevocationEventHandler = (event: { type: string; payload: any }, trx: Knex.Transaction) => Promise<void>;

export const accountsEventTypes = {
  sessionRevoked: 'tulity.accounts.SessionRevoked',
  userDeleted: 'tulity.accounts.UserDeleted',
  userUpdated: 'tulity.accounts.UserUpdated',
} as const;

export interface RevocationHandlerOptions {
  /** The longest an access token can live; a revocation row is kept that long after the event. */
  maxTokenLifetimeMs?: number;
}

/**
 * Handlers for accounts' events, keyed by event type, to spread into a service's backbone
 * consumer: `startConsumer({ handlers: { ...revocationHandlers(), ...ownHandlers } })`.
 */
export function revocationHandlers(options: RevocationHandlerOptions = {}): Record<string, RevocationEventHandler> {
  const lifetime = options.maxTokenLifetimeMs ?? 60 * 60_000;
  const revokeUser = (payload: { aggregateId: string; occurredAt: number }, trx: Knex.Transaction) =>
    recordRevocation(trx, {
      kind: 'user',
      id: payload.aggregateId,
      revokedBefore: payload.occurredAt,
      expiresAt: payload.occurredAt + lifetime,
    });
  return {
    [accountsEventTypes.sessionRevoked]: async ({ payload }, trx) => {
      await recordRevocation(trx, { kind: 'session', id: payload.sessionId, expiresAt: payload.occurredAt + lifetime });
    },
    [accountsEventTypes.userDeleted]: async ({ payload }, trx) => {
      await revokeUser(payload, trx);
    },
    [accountsEventTypes.userUpdated]: async ({ payload }, trx) => {
      if (payload.active === false) await revokeUser(payload, trx);
    },
  };
}
