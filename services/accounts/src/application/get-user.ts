import type { Actor } from '@tulity/adapters/core/actor';
import { failures } from '../domain/failures';
import { canSee, toPublicUser, type PublicUser } from '../domain/user';
import type { AccountsDeps } from './ports';

/** Admins and managers see anyone; everyone sees themselves. Deleted users and users one may not see are not found. */
export function getUser(deps: Pick<AccountsDeps, 'uow'>) {
  return async (actor: Actor, id: string): Promise<PublicUser> => {
    if (!canSee(actor, id)) throw failures.userNotFound();
    const user = await deps.uow.read((reads) => reads.users.get(id));
    if (!user) throw failures.userNotFound();
    return toPublicUser(user);
  };
}
