import { fail, failures, ok, type Result } from '../domain/failures';
import { isActiveAdmin, toPublicUser } from '../domain/user';
import type { Actor } from './actor';
import type { AccountsDeps } from './ports';
import { endSessions } from './update-user';

export interface DeleteUserCommand {
  actor: Actor;
  id: string;
  correlationId: string;
}

/** A soft delete by an admin: the row stays for history, the user disappears and every token of theirs is refused. */
export function deleteUser(deps: Pick<AccountsDeps, 'uow' | 'clock'>) {
  return (command: DeleteUserCommand): Promise<Result<void>> => {
    if (command.actor.role !== 'admin') return Promise.resolve(fail(failures.forbidden('Only an admin deletes users.')));
    return deps.uow.run(command.correlationId, async (tx) => {
      const now = deps.clock.now();
      const user = await tx.users.getForUpdate(command.id);
      if (!user) return fail(failures.userNotFound());
      if (isActiveAdmin(user) && (await tx.users.countActiveAdmins(user.id)) === 0) return fail(failures.lastAdmin());
      const deleted = { ...user, active: false, deletedAt: now, updatedAt: now };
      await tx.users.update(deleted);
      // UserDeleted revokes every token of the user in every service; the sessions end here so no refresh works.
      await endSessions(tx, user.id, 'user-deleted', now);
      await tx.events.record([{ type: 'UserDeleted', occurredAt: now, user: toPublicUser(deleted), mode: 'DELETED' }]);
      return ok(undefined);
    });
  };
}
