import type { Actor } from '@tulity/adapters/core/actor';
import { mapPage, type Page } from '@tulity/adapters/core/page';
import { failures } from '../domain/failures';
import { toPublicUser, type PublicUser } from '../domain/user';
import type { AccountsDeps, UserListQuery } from './ports';

export function listUsers(deps: Pick<AccountsDeps, 'uow'>) {
  return async (actor: Actor, query: UserListQuery): Promise<Page<PublicUser>> => {
    if (actor.role === 'cashier') throw failures.forbidden('Only admins and managers list users.');
    return mapPage(await deps.uow.read((reads) => reads.users.list(query)), toPublicUser);
  };
}
