import type { AccountsEvent } from '../domain/events';
import { fail, failures, ok, type Result } from '../domain/failures';
import { passwordProblems } from '../domain/password-policy';
import { revokeSession, type RevocationReason } from '../domain/session';
import { isActiveAdmin, toPublicUser, type PublicUser, type Role, type User } from '../domain/user';
import type { Actor } from './actor';
import { throttleKeys, type AccountsDeps, type Tx } from './ports';

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
  correlationId: string;
}

/**
 * A user edits their own profile and password (proving the current one); an admin edits anyone's
 * profile, role and active flag. A new role or deactivation ends the user's sessions, so no token
 * keeps rights it no longer has; a new password ends every session but the one that changed it.
 */
export function updateUser(deps: Pick<AccountsDeps, 'uow' | 'hasher' | 'clock' | 'throttle' | 'throttleRules'>) {
  return async (command: UpdateUserCommand): Promise<Result<PublicUser>> => {
    const { actor, id, changes } = command;
    const self = actor.userId === id;
    const admin = actor.role === 'admin';
    if (!self && !admin) return fail(failures.forbidden('You can only change your own account.'));
    if ((changes.role !== undefined || changes.active !== undefined) && !admin) {
      return fail(failures.forbidden('Only an admin changes roles and the active flag.'));
    }
    if (changes.password !== undefined && !self) return fail(failures.forbidden('Users change their own password.'));

    let passwordHash: string | undefined;
    if (changes.password !== undefined) {
      const checked = await checkNewPassword(deps, command);
      if (!checked.ok) return checked;
      passwordHash = checked.value;
    }

    return deps.uow.run(command.correlationId, async (tx) => {
      const now = deps.clock.now();
      const user = await tx.users.getForUpdate(id);
      if (!user) return fail(failures.userNotFound());
      const next: User = {
        ...user,
        email: changes.email?.toLowerCase() ?? user.email,
        fullName: changes.fullName?.trim() ?? user.fullName,
        role: changes.role ?? user.role,
        active: changes.active ?? user.active,
        passwordHash: passwordHash ?? user.passwordHash,
        updatedAt: now,
      };
      if (isActiveAdmin(user) && !isActiveAdmin(next) && (await tx.users.countActiveAdmins(user.id)) === 0) {
        return fail(failures.lastAdmin());
      }
      const profileChanged = next.email !== user.email || next.fullName !== user.fullName || next.role !== user.role || next.active !== user.active;
      if (!profileChanged && passwordHash === undefined) return ok(toPublicUser(user));

      const stored = await tx.users.update(next);
      if (!stored.ok) return fail(failures.taken(stored.taken));
      const events: AccountsEvent[] = profileChanged ? [{ type: 'UserUpdated', occurredAt: now, user: toPublicUser(next) }] : [];
      if (user.active && !next.active) {
        // UserUpdated with active=false already revokes every token of the user in every service.
        await endSessions(tx, user.id, 'deactivated', now);
      } else if (next.role !== user.role) {
        events.push(...(await endSessions(tx, user.id, 'role-changed', now)));
      } else if (passwordHash !== undefined) {
        events.push(...(await endSessions(tx, user.id, 'password-changed', now, actor.sessionId)));
      }
      await tx.events.record(events);
      return ok(toPublicUser(next));
    });
  };
}

async function checkNewPassword(
  deps: Pick<AccountsDeps, 'uow' | 'hasher' | 'clock' | 'throttle' | 'throttleRules'>,
  { id, changes }: UpdateUserCommand,
): Promise<Result<string>> {
  if (changes.currentPassword === undefined) return fail(failures.currentPasswordRequired());
  const user = await deps.uow.read((reads) => reads.users.get(id));
  if (!user) return fail(failures.userNotFound());
  // The current-password check is a password guess like a login, so it counts against the same limit.
  const now = deps.clock.now();
  const account = throttleKeys.account(deps.throttleRules, user.username);
  const wait = await deps.throttle.retryAfter([account], now);
  if (wait > 0) return fail(failures.throttled(wait));
  if (!(await deps.hasher.verify(user.passwordHash, changes.currentPassword))) {
    await deps.throttle.recordFailure([account], now);
    return fail(failures.wrongCurrentPassword());
  }
  const problems = passwordProblems(changes.password!, user.username);
  if (problems.length > 0) return fail(failures.weakPassword('password', problems));
  return ok(await deps.hasher.hash(changes.password!));
}

/** Revokes the user's live sessions (but `keep`) and returns one SessionRevoked per session. */
export async function endSessions(tx: Tx, userId: string, reason: RevocationReason, now: Date, keep?: string): Promise<AccountsEvent[]> {
  const sessions = (await tx.sessions.liveOf(userId, now)).filter((session) => session.id !== keep);
  for (const session of sessions) await tx.sessions.update(revokeSession(session, reason, now));
  return sessions.map((session) => ({ type: 'SessionRevoked', occurredAt: now, userId, sessionId: session.id, reason }));
}
