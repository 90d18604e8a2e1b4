import { fail, failures, ok, type Result } from '../domain/failures';
import { toPublicUser, type PublicUser } from '../domain/user';
import type { Actor } from './actor';
import type { AccountsDeps, Page, UserQuery } from './ports';

/** Admins and managers see anyone; everyone sees themselves. Deleted users are not found. */
export function getUser(deps: Pick<AccountsDeps, 'uow'>) {
  return async (actor: Actor, id: string): Promise<Result<PublicUser>> => {
    if (actor.role === 'cashier' && actor.userId !== id) return fail(failures.forbidden('You can only see your own account.'));
    const user = await deps.uow.read((reads) => reads.users.get(id));
    return user ? ok(toPublicUser(user)) : fail(failures.userNotFound());
  };
}

export function listUsers(deps: Pick<AccountsDeps, 'uow'>) {
  return async (actor: Actor, query: UserQuery): Promise<Result<Page<PublicUser>>> => {
    if (actor.role === 'cashier') return fail(failures.forbidden('Only admins and managers list users.'));
    const page = await deps.uow.read((reads) => reads.users.list(query));
    return ok({ ...page, items: page.items.map(toPublicUser) });
  };
}
