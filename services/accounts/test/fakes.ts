// In-memory fakes of the ports for the use-case tests: plain maps, a settable clock, predictable ids.
import type { Clock, Ids } from '@tulity/adapters/core/actor';
import type { Page } from '@tulity/adapters/core/page';
import type {
  AccessTokenSigner,
  AccountsDeps,
  LoginThrottle,
  PasswordHasher,
  Reads,
  RefreshTokenCodec,
  ThrottleKey,
  Tx,
  UnitOfWork,
  UserListQuery,
} from '../src/application/ports';
import type { AccountsEvent } from '../src/domain/events';
import { failures } from '../src/domain/failures';
import type { RefreshToken, Session } from '../src/domain/session';
import { waitMs, withAttempt, type AttemptWindow } from '../src/domain/throttle';
import type { User } from '../src/domain/user';

export class InMemoryClock implements Clock {
  constructor(public current = new Date('2026-01-01T10:00:00Z')) {}
  now = () => new Date(this.current);
  advance(ms: number) {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export class InMemoryIds implements Ids {
  private counter = 0;
  newId = () => `id-${++this.counter}`;
}

interface Stored {
  users: Map<string, User>;
  sessions: Map<string, Session>;
  refreshTokens: Map<string, RefreshToken>;
  events: AccountsEvent[];
}

/** Transactions over maps: a throw inside `run` puts every map back as it was, like a rollback. */
export class InMemoryUnitOfWork implements UnitOfWork {
  readonly users = new Map<string, User>();
  readonly sessions = new Map<string, Session>();
  readonly refreshTokens = new Map<string, RefreshToken>();
  readonly events: AccountsEvent[] = [];

  async run<T>(_correlationId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
    const before = this.snapshot();
    try {
      return await work(this.tx());
    } catch (error) {
      this.restore(before);
      throw error;
    }
  }

  read<T>(work: (reads: Reads) => Promise<T>): Promise<T> {
    return work(this.tx());
  }

  private snapshot(): Stored {
    return structuredClone({
      users: this.users,
      sessions: this.sessions,
      refreshTokens: this.refreshTokens,
      events: this.events,
    });
  }

  private restore(stored: Stored) {
    for (const name of ['users', 'sessions', 'refreshTokens'] as const) {
      const map = this[name] as Map<string, unknown>;
      map.clear();
      for (const [key, value] of stored[name]) map.set(key, value);
    }
    this.events.splice(0, this.events.length, ...stored.events);
  }

  private taken(user: User) {
    for (const other of this.users.values()) {
      if (other.id === user.id) continue;
      if (other.username === user.username) throw failures.taken('username');
      if (other.email === user.email) throw failures.taken('email');
    }
  }

  private tx(): Tx {
    const { users, sessions, refreshTokens, events } = this;
    const alive = (user: User | undefined) => (user && user.deletedAt === null ? { ...user } : undefined);
    return {
      users: {
        get: async (id) => alive(users.get(id)),
        getForUpdate: async (id) => alive(users.get(id)),
        findByUsername: async (username) => alive([...users.values()].find((u) => u.username === username)),
        insert: async (user) => {
          this.taken(user);
          users.set(user.id, { ...user });
        },
        update: async (user) => {
          this.taken(user);
          users.set(user.id, { ...user });
        },
        countActiveAdmins: async (exceptId) =>
          [...users.values()].filter((u) => u.id !== exceptId && u.role === 'admin' && u.active && u.deletedAt === null)
            .length,
        list: async (query: UserListQuery): Promise<Page<User>> => {
          const items = [...users.values()].filter(
            (u) => u.deletedAt === null && (query.role === undefined || u.role === query.role),
          );
          return { items, total: items.length, page: query.page, pageSize: query.pageSize };
        },
      },
      sessions: {
        insert: async (session) => void sessions.set(session.id, { ...session }),
        getForUpdate: async (id) => (sessions.has(id) ? { ...sessions.get(id)! } : undefined),
        liveOf: async (userId, now) =>
          [...sessions.values()].filter((s) => s.userId === userId && s.revokedAt === null && s.expiresAt > now),
        update: async (session) => void sessions.set(session.id, { ...session }),
        insertRefreshToken: async (token) => void refreshTokens.set(token.hash, { ...token }),
        findRefreshTokenForUpdate: async (hash) =>
          refreshTokens.has(hash) ? { ...refreshTokens.get(hash)! } : undefined,
        markRefreshTokenUsed: async (id, at) => {
          for (const token of refreshTokens.values()) if (token.id === id) token.usedAt = at;
        },
      },
      events: { record: async (recorded) => void events.push(...recorded) },
    };
  }
}

/** The same rules as the Postgres throttle; a single thread makes each reservation atomic. */
export class InMemoryLoginThrottle implements LoginThrottle {
  readonly windows = new Map<string, AttemptWindow>();

  async reserve(keys: ThrottleKey[], now: Date) {
    const wait = Math.max(0, ...keys.map(({ key, rule }) => waitMs(this.windows.get(key), rule, now)));
    if (wait > 0) return wait;
    for (const { key, rule } of keys) this.windows.set(key, withAttempt(this.windows.get(key), rule, now));
    return 0;
  }

  async succeeded(keys: ThrottleKey[]) {
    for (const { key, onSuccess } of keys) {
      const window = this.windows.get(key);
      if (onSuccess === 'forget') this.windows.delete(key);
      else if (window) this.windows.set(key, { ...window, attempts: Math.max(0, window.attempts - 1) });
    }
  }
}

/** "hashed:" + the password; verifications are counted. */
export class InMemoryPasswordHasher implements PasswordHasher {
  verifications = 0;
  readonly decoy = 'hashed:\u0000decoy';
  hash = async (password: string) => `hashed:${password}`;
  verify = async (hash: string, password: string) => {
    this.verifications++;
    return hash === `hashed:${password}`;
  };
}

export class InMemoryAccessTokenSigner implements AccessTokenSigner {
  private signed = 0;
  constructor(private readonly clock: Clock) {}
  sign: AccessTokenSigner['sign'] = async ({ userId, role, sessionId }) => ({
    token: `access:${userId}:${role}:${sessionId}:${++this.signed}`,
    expiresAt: new Date(this.clock.now().getTime() + 900_000),
  });
}

export class InMemoryRefreshTokenCodec implements RefreshTokenCodec {
  private counter = 0;
  generate = () => `refresh-${++this.counter}`;
  hash = (token: string) => `sha:${token}`;
}

const minute = 60_000;

export function fakeDeps() {
  const clock = new InMemoryClock();
  const uow = new InMemoryUnitOfWork();
  const throttle = new InMemoryLoginThrottle();
  const hasher = new InMemoryPasswordHasher();
  const deps: AccountsDeps = {
    uow,
    hasher,
    signer: new InMemoryAccessTokenSigner(clock),
    codec: new InMemoryRefreshTokenCodec(),
    throttle,
    throttleRules: {
      perPair: { maxAttempts: 5, windowMs: 15 * minute, delayMs: 1000 },
      perAccount: { maxAttempts: 100, windowMs: 60 * minute },
      perAddress: { maxAttempts: 20, windowMs: 15 * minute },
    },
    clock,
    ids: new InMemoryIds(),
    lifetimes: { refreshTokenMs: 7 * 86_400_000, sessionMs: 30 * 86_400_000 },
  };
  return {
    deps,
    clock,
    throttle,
    hasher,
    users: uow.users,
    sessions: uow.sessions,
    refreshTokens: uow.refreshTokens,
    events: uow.events,
  };
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
