import { describe, test, beforeAll, afterAll, expect } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { assertTestDatabase, createDatabase, type Knex } from '../postgres/database';
import type { Principal } from './authenticator';
import {
  accountsEventTypes,
  createRevocationCheck,
  createRevocationTable,
  dropRevocationTable,
  pruneRevocations,
  recordRevocation,
  revocationHandlers,
  revocationTable,
} from './revocation';

const url =
  process.env.TULITY_ADAPTERS_TEST_DATABASE_URL ??
  'postgres://tulity_adapters:tulity_adapters@127.0.0.1:5432/tulity_adapters_test';

function principal(overrides: Partial<Principal> = {}): Principal {
  const now = Date.now();
  return {
    userId: randomUUID(),
    role: 'cashier',
    tokenId: randomUUID(),
    sessionId: randomUUID(),
    issuedAt: now - 1000,
    expiresAt: now + 60_000,
    ...overrides,
  };
}

describe('revocations in Postgres', () => {
  let db: Knex;
  beforeAll(async () => {
    assertTestDatabase(url);
    db = createDatabase(url);
    await dropRevocationTable(db);
    await createRevocationTable(db);
  });
  afterAll(async () => {
    await dropRevocationTable(db);
    await db.destroy();
  });

  test('refuses a revoked token and every token of a revoked session, and nothing else', async () => {
    const check = createRevocationCheck(db, { notRevokedCacheMs: 0 });
    const byToken = principal();
    const bySession = principal();
    const bystander = principal({ userId: byToken.userId });

    await recordRevocation(db, { kind: 'token', id: byToken.tokenId, expiresAt: byToken.expiresAt });
    await recordRevocation(db, { kind: 'session', id: bySession.sessionId, expiresAt: bySession.expiresAt });

    expect(await check.isRevoked(byToken)).toBe(true);
    expect(await check.isRevoked(bySession)).toBe(true);
    expect(await check.isRevoked(bystander)).toBe(false);
  });

  test('a user revocation refuses the tokens issued before it and lets later ones through', async () => {
    const check = createRevocationCheck(db, { notRevokedCacheMs: 0 });
    const revokedAt = Date.now();
    const older = principal({ issuedAt: revokedAt - 5000 });
    const newer = principal({ userId: older.userId, issuedAt: revokedAt + 5000 });

    await recordRevocation(db, {
      kind: 'user',
      id: older.userId,
      revokedBefore: revokedAt,
      expiresAt: revokedAt + 60_000,
    });

    expect(await check.isRevoked(older)).toBe(true);
    expect(await check.isRevoked(newer)).toBe(false);
  });

  test('reuses a "not revoked" answer until the cache is forgotten', async () => {
    const check = createRevocationCheck(db, { notRevokedCacheMs: 60_000 });
    const token = principal();
    expect(await check.isRevoked(token)).toBe(false);

    await recordRevocation(db, { kind: 'token', id: token.tokenId, expiresAt: token.expiresAt });

    expect(await check.isRevoked(token)).toBe(false);
    check.forget();
    expect(await check.isRevoked(token)).toBe(true);
  });

  test('an answer read across forget() is not kept: it may predate the revocation forget() announces', async () => {
    const check = createRevocationCheck(db, { notRevokedCacheMs: 60_000 });
    const token = principal();
    const answer = check.isRevoked(token);
    check.forget();
    expect(await answer).toBe(false);

    await recordRevocation(db, { kind: 'token', id: token.tokenId, expiresAt: token.expiresAt });

    expect(await check.isRevoked(token)).toBe(true);
  });

  test('the handlers turn accounts events into revocations, idempotently', async () => {
    const handlers = revocationHandlers();
    const check = createRevocationCheck(db, { notRevokedCacheMs: 0 });
    const occurredAt = Date.now();
    const loggedOut = principal({ issuedAt: occurredAt - 1000 });
    const deleted = principal({ issuedAt: occurredAt - 1000 });
    const deactivated = principal({ issuedAt: occurredAt - 1000 });
    const renamed = principal({ issuedAt: occurredAt - 1000 });
    const event = (type: string, payload: Record<string, unknown>) => ({
      type,
      payload: { eventId: randomUUID(), occurredAt, ...payload },
    });

    await db.transaction(async (trx) => {
      for (let delivery = 0; delivery < 2; delivery++) {
        await handlers[accountsEventTypes.sessionRevoked]!(
          event(accountsEventTypes.sessionRevoked, { aggregateId: loggedOut.userId, sessionId: loggedOut.sessionId }),
          trx,
        );
        await handlers[accountsEventTypes.userDeleted]!(
          event(accountsEventTypes.userDeleted, { aggregateId: deleted.userId }),
          trx,
        );
        await handlers[accountsEventTypes.userUpdated]!(
          event(accountsEventTypes.userUpdated, { aggregateId: deactivated.userId, active: false }),
          trx,
        );
        await handlers[accountsEventTypes.userUpdated]!(
          event(accountsEventTypes.userUpdated, { aggregateId: renamed.userId, active: true }),
          trx,
        );
      }
    });

    expect(await check.isRevoked(loggedOut)).toBe(true);
    expect(await check.isRevoked(deleted)).toBe(true);
    expect(await check.isRevoked(deactivated)).toBe(true);
    expect(await check.isRevoked(renamed)).toBe(false);
    const rows = await db(revocationTable).whereIn('subject', [
      loggedOut.sessionId,
      deleted.userId,
      deactivated.userId,
      renamed.userId,
    ]);
    expect(rows.length).toBe(3);
  });

  test('prunes the rows whose tokens have all expired', async () => {
    const expired = randomUUID();
    const live = randomUUID();
    await recordRevocation(db, { kind: 'token', id: expired, expiresAt: Date.now() - 1000 });
    await recordRevocation(db, { kind: 'token', id: live, expiresAt: Date.now() + 60_000 });

    await pruneRevocations(db);

    const left = (await db(revocationTable).whereIn('subject', [expired, live])).map((row) => row.subject);
    expect(left).toEqual([live]);
  });
});
