import type { Actor } from '@tulity/adapters/core/actor';
import { failures } from '../domain/failures';
import { isActiveAdmin, toPublicUser } from '../domain/user';
import { endSessions } from './end-sessions';
import type { AccountsDeps } from './ports';

export interface DeleteUserCommand {
  actor: Actor;
  id: string;
  correlationId: string;
}

/** A soft delete by an admin: the row stays for history, the user disappears and every token of theirs is refused. */
export function deleteUser(deps: Pick<AccountsDeps, 'uow' | 'clock'>) {
  return async (command: DeleteUserCommand): Promise<void> => {
    if (command.actor.role !== 'admin') throw failures.forbidden('Only an admin deletes users.');
    await deps.uow.run(command.correlationId, async (tx) => {
      const now = deps.clock.now();
      const user = await tx.users.getForUpdate(command.id);
      if (!user) throw failures.userNotFound();
      if (isActiveAdmin(user) && (await tx.users.countActiveAdmins(user.id)) === 0) throw failures.lastAdmin();
      const deleted = { ...user, active: false, deletedAt: now, updatedAt: now };
      await tx.users.update(deleted);
      // UserDeleted revokes every token of the user in every service; the sessions end here so no refresh works.
      await endSessions(tx, user.id, 'user-deleted', now);
      await tx.events.record([{ type: 'UserDeleted', occurredAt: now, user: toPublicUser(deleted), mode: 'DELETED' }]);
    });
  };
}
