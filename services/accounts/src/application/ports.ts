import type { Clock, Ids, Role } from '@tulity/adapters/core/actor';
import type { ListQuery, Page } from '@tulity/adapters/core/page';
import type { AccountsEvent } from '../domain/events';
import type { RefreshToken, Session } from '../domain/session';
import type { ThrottleRule } from '../domain/throttle';
import type { User } from '../domain/user';

export const userSortKeys = ['username', 'email', 'fullName', 'role', 'createdAt', 'updatedAt'] as const;
export type UserSortKey = (typeof userSortKeys)[number];

export interface UserListQuery extends ListQuery<UserSortKey> {
  role?: Role;
  active?: boolean;
}

/** Users that are not deleted, unless a method says otherwise. Uniqueness is decided by the database. */
export interface UserRepository {
  get(id: string): Promise<User | undefined>;
  getForUpdate(id: string): Promise<User | undefined>;
  findByUsername(username: string): Promise<User | undefined>;
  /** Throws `failures.taken(field)` when the username or email belongs to another user. */
  insert(user: User): Promise<void>;
  /** Stores every field of the user, deletedAt included; throws `failures.taken(field)` like insert. */
  update(user: User): Promise<void>;
  /** Active admins (but `exceptId`), serialised with every other such count, so two concurrent demotions cannot both pass. */
  countActiveAdmins(exceptId?: string): Promise<number>;
  list(query: UserListQuery): Promise<Page<User>>;
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
  /** Runs `work` in one transaction (a throw rolls it back); events recorded in it carry `correlationId`. */
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

/** A counter of password checks; `onSuccess` says what a correct password does to it. */
export interface ThrottleKey {
  key: string;
  rule: ThrottleRule;
  /** `forget`: the key's count starts again (NIST 800-63B: disregard the same address's earlier failures); `release`: only this check is given back. */
  onSuccess: 'forget' | 'release';
}

/**
 * Password-check counters shared by every replica, kept outside the use case's transaction: a
 * failure must count even though nothing else is written.
 */
export interface LoginThrottle {
  /**
   * Counts one check under every key at once, before the password is verified, or none when a key
   * must wait: then the milliseconds to wait. Atomic, so concurrent checks cannot pass a limit.
   */
  reserve(keys: ThrottleKey[], now: Date): Promise<number>;
  /** After a correct password: each key forgets or gives back the check, as its `onSuccess` says. */
  succeeded(keys: ThrottleKey[]): Promise<void>;
}

export interface ThrottleRules {
  /** The pair of an account and a client address: a few checks, slowed down progressively. */
  perPair: ThrottleRule;
  /** An account from every address: much higher, the bound on a distributed brute force. */
  perAccount: ThrottleRule;
  /** A client address over every account: password spraying. */
  perAddress: ThrottleRule;
}

/** The keys one password check counts under. */
export function loginKeys(rules: ThrottleRules, username: string, clientAddress: string): ThrottleKey[] {
  const account = username.toLowerCase();
  return [
    { key: `pair:${clientAddress} ${account}`, rule: rules.perPair, onSuccess: 'forget' },
    { key: `account:${account}`, rule: rules.perAccount, onSuccess: 'release' },
    { key: `address:${clientAddress}`, rule: rules.perAddress, onSuccess: 'release' },
  ];
}

export interface Lifetimes {
  refreshTokenMs: number;
  sessionMs: number;
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
