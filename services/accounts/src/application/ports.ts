import type { AccountsEvent } from '../domain/events';
import type { RefreshToken, Session } from '../domain/session';
import type { ThrottleRule } from '../domain/throttle';
import type { Role, User } from '../domain/user';

export type Insertion = { ok: true } | { ok: false; taken: 'username' | 'email' };

export interface UserQuery {
  page: number;
  pageSize: number;
  /** A field name, `-` first for descending. */
  sort: UserSortKey;
  descending: boolean;
  q?: string;
  role?: Role;
  active?: boolean;
}
export const userSortKeys = ['username', 'email', 'fullName', 'role', 'createdAt', 'updatedAt'] as const;
export type UserSortKey = (typeof userSortKeys)[number];

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** Users that are not deleted, unless a method says otherwise. Uniqueness is decided by the database. */
export interface UserRepository {
  get(id: string): Promise<User | undefined>;
  getForUpdate(id: string): Promise<User | undefined>;
  findByUsername(username: string): Promise<User | undefined>;
  insert(user: User): Promise<Insertion>;
  /** Stores every field of the user, deletedAt included. */
  update(user: User): Promise<Insertion>;
  /** Active admins (but `exceptId`), serialised with every other such count, so two concurrent demotions cannot both pass. */
  countActiveAdmins(exceptId?: string): Promise<number>;
  list(query: UserQuery): Promise<Page<User>>;
}

export interface SessionRepository {
  insert(session: Session): Promise<void>;
  getForUpdate(id: string): Promise<Session | undefined>;
  liveOf(userId: string, now: Date): Promise<Session[]>;
  update(session: Session): Promise<void>;
  insertRefreshToken(token: RefreshToken): Promise<void>;
  findRefreshTokenForUpdate(hash: string): Promise<RefreshToken | undefined>;
  markRefreshTokenUsed(id: string, at: Date): Promise<void>;
}

export interface EventRecorder {
  /** Writes the events to the outbox in the current transaction (and applies what they revoke locally). */
  record(events: AccountsEvent[]): Promise<void>;
}

/** Everything a use case may touch inside ONE database transaction. */
export interface Tx {
  users: UserRepository;
  sessions: SessionRepository;
  events: EventRecorder;
}

/** What a read may touch: single statements that need no transaction around them. */
export interface Reads {
  users: Pick<UserRepository, 'get' | 'findByUsername' | 'list'>;
}

export interface UnitOfWork {
  /** Runs `work` in one transaction; events recorded in it carry `correlationId`. */
  run<T>(correlationId: string, work: (tx: Tx) => Promise<T>): Promise<T>;
  /** Runs reads outside any transaction: one round trip each instead of three. */
  read<T>(work: (reads: Reads) => Promise<T>): Promise<T>;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
  /** A hash of no real password, verified against when the user does not exist, so both answers take as long. */
  readonly decoy: string;
}

export interface IssuedAccessToken {
  token: string;
  tokenId: string;
  expiresAt: Date;
}

export interface AccessTokenSigner {
  sign(claims: { userId: string; role: Role; sessionId: string }): Promise<IssuedAccessToken>;
}

export interface RefreshTokenCodec {
  /** A new opaque token with enough entropy that storing only its fast hash is safe. */
  generate(): string;
  hash(token: string): string;
}

/** Failed-login counters; written outside the use case's transaction, so a failure is counted even though nothing else is written. */
export interface LoginThrottle {
  /** Seconds to wait before every one of these keys may try again; 0 when allowed. */
  retryAfter(keys: ThrottleKey[], now: Date): Promise<number>;
  recordFailure(keys: ThrottleKey[], now: Date): Promise<void>;
  clear(key: ThrottleKey): Promise<void>;
}

export interface ThrottleKey {
  key: string;
  rule: ThrottleRule;
}

export interface Clock {
  now(): Date;
}

export interface Ids {
  newId(): string;
}

export interface Lifetimes {
  refreshTokenMs: number;
  sessionMs: number;
}

export interface ThrottleRules {
  perAccount: ThrottleRule;
  perAddress: ThrottleRule;
}

/** The ports and settings the use cases share; each takes what it needs. */
export interface AccountsDeps {
  uow: UnitOfWork;
  hasher: PasswordHasher;
  signer: AccessTokenSigner;
  codec: RefreshTokenCodec;
  throttle: LoginThrottle;
  throttleRules: ThrottleRules;
  clock: Clock;
  ids: Ids;
  lifetimes: Lifetimes;
}

export const throttleKeys = {
  account: (rules: ThrottleRules, username: string): ThrottleKey => ({ key: `account:${username.toLowerCase()}`, rule: rules.perAccount }),
  address: (rules: ThrottleRules, address: string): ThrottleKey => ({ key: `address:${address}`, rule: rules.perAddress }),
};
