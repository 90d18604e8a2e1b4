import { fail, failures, ok, type Result } from '../domain/failures';
import { passwordProblems } from '../domain/password-policy';
import { createUser, toPublicUser, type PublicUser, type Role } from '../domain/user';
import type { Actor } from './actor';
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
  return async (command: RegisterUserCommand): Promise<Result<PublicUser>> => {
    if (command.actor.role !== 'admin') return fail(failures.forbidden('Only an admin registers users.'));
    const problems = passwordProblems(command.password, command.username);
    if (problems.length > 0) return fail(failures.weakPassword('password', problems));
    const passwordHash = await deps.hasher.hash(command.password);
    return deps.uow.run(command.correlationId, async (tx) => {
      const now = deps.clock.now();
      const user = createUser({ ...command, id: deps.ids.newId(), passwordHash, now });
      const inserted = await tx.users.insert(user);
      if (!inserted.ok) return fail(failures.taken(inserted.taken));
      const visible = toPublicUser(user);
      await tx.events.record([{ type: 'UserRegistered', occurredAt: now, user: visible }]);
      return ok(visible);
    });
  };
}
