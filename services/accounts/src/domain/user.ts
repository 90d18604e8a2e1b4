import { roles, type Actor, type Role } from '@tulity/adapters/core/actor';

export interface User {
  id: string;
  username: string;
  email: string;
  fullName: string;
  role: Role;
  active: boolean;
  passwordHash: string;
  createdAt: Date;
  updatedAt: Date;
  /** Soft delete: the row stays for history and keeps its username taken. */
  deletedAt: Date | null;
}

/** What other parts of the system may see of a user: never the password hash. */
export type PublicUser = Omit<User, 'passwordHash'>;

export const usernamePattern = /^[a-z0-9][a-z0-9._-]{2,31}$/;
export const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

interface NewUser {
  id: string;
  username: string;
  email: string;
  fullName: string;
  role: Role;
  passwordHash: string;
  now: Date;
}

/** The edge already validated the input; these guards keep a bug elsewhere from storing a broken user. */
export function createUser(input: NewUser): User {
  assertProfile(input);
  return {
    id: input.id,
    username: input.username,
    email: input.email.toLowerCase(),
    fullName: input.fullName.trim(),
    role: input.role,
    active: true,
    passwordHash: input.passwordHash,
    createdAt: input.now,
    updatedAt: input.now,
    deletedAt: null,
  };
}

function assertProfile(user: { username: string; email: string; fullName: string; role: Role }): void {
  if (!usernamePattern.test(user.username)) throw new Error(`invalid username "${user.username}"`);
  if (!emailPattern.test(user.email)) throw new Error('invalid email');
  if (user.fullName.trim() === '') throw new Error('empty full name');
  if (!roles.includes(user.role)) throw new Error(`unknown role "${user.role}"`);
}

export function toPublicUser({ passwordHash: _hash, ...user }: User): PublicUser {
  return user;
}

/** An admin that can still log in; the system must always keep one. */
export function isActiveAdmin(user: User): boolean {
  return user.role === 'admin' && user.active && user.deletedAt === null;
}

/** Admins and managers see every user; a cashier sees only themselves (others are "not found"). */
export function canSee(actor: Actor, userId: string): boolean {
  return actor.role !== 'cashier' || actor.userId === userId;
}
