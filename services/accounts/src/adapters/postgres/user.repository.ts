import type { Knex } from 'knex';
import type { Role } from '@tulity/adapters/core/actor';
import type { Failure } from '@tulity/adapters/core/failure';
import { containing, paged } from '@tulity/adapters/postgres/paging';
import type { UserListQuery, UserRepository, UserSortKey } from '../../application/ports';
import { failures } from '../../domain/failures';
import type { User } from '../../domain/user';

interface UserRow {
  id: string;
  username: string;
  email: string;
  full_name: string;
  role: Role;
  active: boolean;
  password_hash: string;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
}

/** A user's columns, named so the statements that read them are prepared (a prepared `*` breaks on a new column). */
const userColumns: Array<keyof UserRow> = [
  'id',
  'username',
  'email',
  'full_name',
  'role',
  'active',
  'password_hash',
  'created_at',
  'updated_at',
  'deleted_at',
];

const toRow = (user: User): UserRow => ({
  id: user.id,
  username: user.username,
  email: user.email,
  full_name: user.fullName,
  role: user.role,
  active: user.active,
  password_hash: user.passwordHash,
  created_at: user.createdAt,
  updated_at: user.updatedAt,
  deleted_at: user.deletedAt,
});

const toUser = (row: UserRow): User => ({
  id: row.id,
  username: row.username,
  email: row.email,
  fullName: row.full_name,
  role: row.role,
  active: row.active,
  passwordHash: row.password_hash,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  deletedAt: row.deleted_at,
});

const sortColumns: Record<UserSortKey, string> = {
  username: 'username',
  email: 'email',
  fullName: 'full_name',
  role: 'role',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
};

const adminChangesLock = 80110002;

/** The database decides uniqueness; its constraint names say which failure it is. */
const constraintFailures: Record<string, () => Failure> = {
  users_username_unique: () => failures.taken('username'),
  users_email_unique: () => failures.taken('email'),
};

export class PostgresUserRepository implements UserRepository {
  /** `db` outside a transaction serves reads only; the locking and writing methods need one. */
  constructor(private readonly trx: Knex | Knex.Transaction) {}

  private live() {
    return this.trx<UserRow>('users').whereNull('deleted_at');
  }

  private liveRows() {
    return this.live().select(userColumns);
  }

  async get(id: string) {
    const row: UserRow | undefined = await this.liveRows().where({ id }).first();
    return row && toUser(row);
  }

  async getForUpdate(id: string) {
    const row: UserRow | undefined = await this.liveRows().where({ id }).forUpdate().first();
    return row && toUser(row);
  }

  async findByUsername(username: string) {
    const row: UserRow | undefined = await this.liveRows().where({ username }).first();
    return row && toUser(row);
  }

  async insert(user: User) {
    await this.unique((sp) => sp<UserRow>('users').insert(toRow(user)));
  }

  async update(user: User) {
    const { id: _id, created_at: _created, ...changes } = toRow(user);
    await this.unique((sp) => sp<UserRow>('users').where({ id: user.id }).update(changes));
  }

  async countActiveAdmins(exceptId?: string) {
    // One lock for every change that could remove an admin, taken after the caller locked its
    // own user row: two admins demoting each other queue here instead of deadlocking on each
    // other's rows, and the second then counts what the first committed.
    await this.trx.raw('select pg_advisory_xact_lock(?)', [adminChangesLock]);
    const query = this.live().where({ role: 'admin', active: true }).count<{ count: string }[]>({ count: '*' });
    if (exceptId) query.whereNot({ id: exceptId });
    return Number((await query)[0]?.count ?? 0);
  }

  list(query: UserListQuery) {
    const filtered = this.liveRows().modify((q) => {
      if (query.role) q.where({ role: query.role });
      if (query.active !== undefined) q.where({ active: query.active });
      if (query.q) {
        const pattern = containing(query.q);
        q.where((w) =>
          w.whereILike('username', pattern).orWhereILike('email', pattern).orWhereILike('full_name', pattern),
        );
      }
    });
    return paged(filtered, query, sortColumns, toUser);
  }

  /** Runs the write in a savepoint, so a unique violation leaves the transaction usable and becomes its failure. */
  private async unique(write: (sp: Knex.Transaction) => Promise<unknown>): Promise<void> {
    try {
      await this.trx.transaction(write);
    } catch (error) {
      const { code, constraint } = error as { code?: string; constraint?: string };
      const failure = code === '23505' && constraint ? constraintFailures[constraint] : undefined;
      throw failure ? failure() : error;
    }
  }
}
