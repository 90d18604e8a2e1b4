import type { Actor, Role } from '@tulity/adapters/core/actor';
import { failures } from '../domain/failures';
import { passwordProblems } from '../domain/password-policy';
import { createUser, toPublicUser, type PublicUser } from '../domain/user';
import type { AccountsDeps } from './ports';

export interface RegisterUserCommand {
  actor: Actor;
  username: string;
  email: string;
  fullName: string;
  role: Role;
  password: string;
  correlationId: string;
}

export function registerUser(deps: Pick<AccountsDeps, 'uow' | 'hasher' | 'clock' | 'ids'>) {
  return async (command: RegisterUserCommand): Promise<PublicUser> => {
    if (command.actor.role !== 'admin') throw failures.forbidden('Only an admin registers users.');
    const problems = passwordProblems(command.password, command.username);
    if (problems.length > 0) throw failures.weakPassword('password', problems);
    const passwordHash = await deps.hasher.hash(command.password);
    return deps.uow.run(command.correlationId, async (tx) => {
      const now = deps.clock.now();
      const user = createUser({ ...command, id: deps.ids.newId(), passwordHash, now });
      await tx.users.insert(user);
      const visible = toPublicUser(user);
      await tx.events.record([{ type: 'UserRegistered', occurredAt: now, user: visible }]);
      return visible;
    });
  };
}
