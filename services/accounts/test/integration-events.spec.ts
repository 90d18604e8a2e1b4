import { expect, test } from '@jest/globals';
import type { Knex } from 'knex';
import { catalogue } from '@tulity/contracts';
import { createOutbox } from '@tulity/adapters/events/outbox';
import { toIntegrationEvent } from '../src/adapters/kafka/integration-events';
import type { AccountsEvent } from '../src/domain/events';
import { toPublicUser } from '../src/domain/user';
import { aUser } from './fakes';

const occurredAt = new Date('2026-01-01T10:00:00Z');
const user = toPublicUser(aUser({ role: 'manager' }));
const domainEvents: AccountsEvent[] = [
  { type: 'UserRegistered', occurredAt, user },
  { type: 'UserUpdated', occurredAt, user: { ...user, active: false } },
  { type: 'UserDeleted', occurredAt, user, mode: 'DELETED' },
  { type: 'SessionRevoked', occurredAt, userId: user.id, sessionId: 'session-1', reason: 'logout' },
];

test("every domain event maps to its contract, keyed by the user id, and passes the outbox's Avro check", async () => {
  const rows: Array<Record<string, unknown>> = [];
  // The outbox validates against the Avro schemas before inserting; this stand-in only keeps the rows.
  const trx = (() => ({
    insert: async (inserted: Array<Record<string, unknown>>) => void rows.push(...inserted),
  })) as unknown as Knex.Transaction;

  await createOutbox(catalogue).write(
    trx,
    domainEvents.map((event) => toIntegrationEvent(event, 'corr-1')),
  );

  expect(rows.map((row) => row.event_type)).toEqual([
    'tulity.accounts.UserRegistered',
    'tulity.accounts.UserUpdated',
    'tulity.accounts.UserDeleted',
    'tulity.accounts.SessionRevoked',
  ]);
  for (const row of rows) {
    expect(row).toMatchObject({ key: user.id, topic: 'accounts.user', correlation_id: 'corr-1' });
  }
  const updated = JSON.parse(rows[1]!.payload as string);
  expect(updated).toMatchObject({
    roles: ['manager'],
    active: false,
    occurredAt: occurredAt.getTime(),
    aggregateId: user.id,
  });
  // No password hash leaves the service.
  expect(JSON.stringify(rows)).not.toContain('hashed');
});
