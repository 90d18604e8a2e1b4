// The local read model of users, built from accounts' events: who exists, their role, whether active.
import { roles, type Role } from '@tulity/adapters/core/actor';

export interface Recipient {
  id: string;
  username: string;
  role: Role | null;
  active: boolean;
}

/** Accounts carries roles as a list; a user has one of the shop's roles, the first known one. */
export function roleOf(names: readonly string[]): Role | null {
  return (names.find((name) => (roles as readonly string[]).includes(name)) as Role | undefined) ?? null;
}
