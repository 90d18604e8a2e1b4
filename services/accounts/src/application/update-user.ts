import type { Actor, Role } from '@tulity/adapters/core/actor';
import type { AccountsEvent } from '../domain/events';
import { failures } from '../domain/failures';
import { passwordProblems } from '../domain/password-policy';
import { canSee, isActiveAdmin, toPublicUser, type PublicUser, type User } from '../domain/user';
import { checkPassword } from './check-password';
import { endSessions } from './end-sessions';
import type { AccountsDeps } from './ports';

export interface UserChanges {
  email?: string;
  fullName?: string;
  password?: string;
  currentPassword?: string;
  role?: Role;
  active?: boolean;
}

export interface UpdateUserCommand {
  actor: Actor;
  id: string;
  changes: UserChanges;
  /** The current-password check is a password guess, counted like a login from this address. */
  clientAddress: string;
  correlationId: string;
}

type UpdateDeps = Pick<AccountsDeps, 'uow' | 'hasher' | 'clock' | 'throttle' | 'throttleRules'>;

/**
 * A user edits their own profile and password (proving the current one); an admin edits anyone's
 * profile, role and active flag. A new role or deactivation ends the user's sessions, so no token
 * keeps rights it no longer has; a new password ends every session but the one that changed it.
 */
export function updateUser(deps: UpdateDeps) {
  return async (command: UpdateUserCommand): Promise<PublicUser> => {
    const { actor, id, changes } = command;
    const self = actor.userId === id;
    const admin = actor.role === 'admin';
    if (!canSee(actor, id)) throw failures.userNotFound();
    if (!self && !admin) throw failures.forbidden('You can only change your own account.');
    if ((changes.role !== undefined || changes.active !== undefined) && !admin) {
      throw failures.forbidden('Only an admin changes roles and the active flag.');
    }
    if (changes.password !== undefined && !self) throw failures.forbidden('Users change their own password.');
    const passwordHash =
      changes.password === undefined ? undefined : await newPasswordHash(deps, command, changes.password);

    return deps.uow.run(command.correlationId, async (tx) => {
      const now = deps.clock.now();
      const user = await tx.users.getForUpdate(id);
      if (!user) throw failures.userNotFound();
      const next: User = {
        ...user,
        email: changes.email?.toLowerCase() ?? user.email,
        fullName: changes.fullName?.trim() ?? user.fullName,
        role: changes.role ?? user.role,
        active: changes.active ?? user.active,
        passwordHash: passwordHash ?? user.passwordHash,
        updatedAt: now,
      };
      if (isActiveAdmin(user) && !isActiveAdmin(next) && (await tx.users.countActiveAdmins(user.id)) === 0)
        throw failures.lastAdmin();
      const profileChanged =
        next.email !== user.email ||
        next.fullName !== user.fullName ||
        next.role !== user.role ||
        next.active !== user.active;
      if (!profileChanged && passwordHash === undefined) return toPublicUser(user);

      await tx.users.update(next);
      const events: AccountsEvent[] = profileChanged
        ? [{ type: 'UserUpdated', occurredAt: now, user: toPublicUser(next) }]
        : [];
      if (user.active && !next.active) {
        // UserUpdated with active=false already revokes every token of the user in every service.
        await endSessions(tx, user.id, 'deactivated', now);
      } else if (next.role !== user.role) {
        events.push(...(await endSessions(tx, user.id, 'role-changed', now)));
      } else if (passwordHash !== undefined) {
        events.push(...(await endSessions(tx, user.id, 'password-changed', now, actor.sessionId)));
      }
      await tx.events.record(events);
      return toPublicUser(next);
    });
  };
}

/** The new password's hash, once the current one is proven and the new one meets the policy. */
async function newPasswordHash(
  deps: UpdateDeps,
  { id, changes, clientAddress }: UpdateUserCommand,
  password: string,
): Promise<string> {
  if (changes.currentPassword === undefined) throw failures.currentPasswordRequired();
  const user = await deps.uow.read((reads) => reads.users.get(id));
  if (!user) throw failures.userNotFound();
  const right = await checkPassword(deps, {
    username: user.username,
    clientAddress,
    passwordHash: user.passwordHash,
    password: changes.currentPassword,
  });
  if (!right) throw failures.wrongCurrentPassword();
  const problems = passwordProblems(password, user.username);
  if (problems.length > 0) throw failures.weakPassword('password', problems);
  return deps.hasher.hash(password);
}
