// In-memory ports for the use-case tests: plain maps, a settable clock, predictable ids.
import type { AccountsEvent } from '../src/domain/events';
import { retryAfterSeconds, type FailureWindow } from '../src/domain/throttle';
import type { RefreshToken, Session } from '../src/domain/session';
import type { User } from '../src/domain/user';
import type { AccountsDeps, Insertion, Page, ThrottleKey, Tx, UserQuery } from '../src/application/ports';

export class FakeClock {
  constructor(public current = new Date('2026-01-01T10:00:00Z')) {}
  now = () => new Date(this.current);
  advance(ms: number) {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export function fakeDeps() {
  const clock = new FakeClock();
  let counter = 0;
  const users = new Map<string, User>();
  const sessions = new Map<string, Session>();
  const refreshTokens = new Map<string, RefreshToken>();
  const events: AccountsEvent[] = [];
  const windows = new Map<string, FailureWindow>();
  let signed = 0;

  const taken = (user: User): Insertion => {
    for (const other of users.values()) {
      if (other.id === user.id) continue;
      if (other.username === user.username) return { ok: false, taken: 'username' };
      if (other.email === user.email) return { ok: false, taken: 'email' };
    }
    return { ok: true };
  };
  const alive = (user: User | undefined) => (user && user.deletedAt === null ? { ...user } : undefined);

  const tx = (): Tx => ({
    users: {
      get: async (id) => alive(users.get(id)),
      getForUpdate: async (id) => alive(users.get(id)),
      findByUsername: async (username) => alive([...users.values()].find((u) => u.username === username)),
      insert: async (user) => {
        const result = taken(user);
        if (result.ok) users.set(user.id, { ...user });
        return result;
      },
      update: async (user) => {
        const result = taken(user);
        if (result.ok) users.set(user.id, { ...user });
        return result;
      },
      countActiveAdmins: async (exceptId) =>
        [...users.values()].filter((u) => u.id !== exceptId && u.role === 'admin' && u.active && u.deletedAt === null).length,
      list: async (query: UserQuery): Promise<Page<User>> => {
        const items = [...users.values()].filter((u) => u.deletedAt === null && (query.role === undefined || u.role === query.role));
        return { items, total: items.length, page: query.page, pageSize: query.pageSize };
      },
    },
    sessions: {
      insert: async (session) => void sessions.set(session.id, { ...session }),
      getForUpdate: async (id) => (sessions.has(id) ? { ...sessions.get(id)! } : undefined),
      liveOf: async (userId, now) => [...sessions.values()].filter((s) => s.userId === userId && s.revokedAt === null && s.expiresAt > now),
      update: async (session) => void sessions.set(session.id, { ...session }),
      insertRefreshToken: async (token) => void refreshTokens.set(token.hash, { ...token }),
      findRefreshTokenForUpdate: async (hash) => (refreshTokens.has(hash) ? { ...refreshTokens.get(hash)! } : undefined),
      markRefreshTokenUsed: async (id, at) => {
        for (const token of refreshTokens.values()) if (token.id === id) token.usedAt = at;
      },
    },
    events: { record: async (recorded) => void events.push(...recorded) },
  });

  const deps: AccountsDeps = {
    uow: { run: async (_correlationId, work) => work(tx()), read: async (work) => work(tx()) },
    hasher: {
      hash: async (password) => `hashed:${password}`,
      verify: async (hash, password) => hash === `hashed:${password}`,
      decoy: 'hashed:\u0000decoy',
    },
    signer: {
      sign: async ({ userId, role, sessionId }) => ({ token: `access:${userId}:${role}:${sessionId}:${++signed}`, tokenId: `jti-${signed}`, expiresAt: new Date(clock.current.getTime() + 900_000) }),
    },
    codec: { generate: () => `refresh-${++counter}`, hash: (token) => `sha:${token}` },
    throttle: {
      retryAfter: async (keys: ThrottleKey[], now) => Math.max(0, ...keys.map((k) => retryAfterSeconds(windows.get(k.key), k.rule, now))),
      recordFailure: async (keys: ThrottleKey[], now) => {
        for (const { key, rule } of keys) {
          const window = windows.get(key);
          if (!window || window.windowStartedAt.getTime() + rule.windowMs <= now.getTime()) windows.set(key, { failures: 1, windowStartedAt: now });
          else window.failures++;
        }
      },
      clear: async ({ key }) => void windows.delete(key),
    },
    throttleRules: { perAccount: { maxFailures: 5, windowMs: 15 * 60_000 }, perAddress: { maxFailures: 20, windowMs: 15 * 60_000 } },
    clock,
    ids: { newId: () => `id-${++counter}` },
    lifetimes: { refreshTokenMs: 7 * 86_400_000, sessionMs: 30 * 86_400_000 },
  };
  return { deps, clock, users, sessions, refreshTokens, events };
}

let seq = 0;
/** A stored user with a known password ("password:" + username), built deterministically. */
export function aUser(overrides: Partial<User> = {}): User {
  const n = ++seq;
  const username = overrides.username ?? `user${n}`;
  return {
    id: `user-${n}`,
    username,
    email: `${username}@example.com`,
    fullName: `User ${n}`,
    role: 'cashier',
    active: true,
    passwordHash: `hashed:password:${username}`,
    createdAt: new Date('2026-01-01T09:00:00Z'),
    updatedAt: new Date('2026-01-01T09:00:00Z'),
    deletedAt: null,
    ...overrides,
  };
}
