import { isFailure } from '@tulity/adapters/core/failure';
import { passwordProblems } from '../domain/password-policy';
import { createUser, toPublicUser } from '../domain/user';
import type { AccountsDeps } from './ports';

export type BootstrapOutcome = 'created' | 'admin-exists';

/**
 * On start: when no active admin exists, create `admin` with the configured password so someone
 * can log in at all. A password that breaks the policy stops the start with the policy's words.
 */
export function bootstrapAdmin(deps: Pick<AccountsDeps, 'uow' | 'hasher' | 'clock' | 'ids'>) {
  return async (settings: { username: string; password: string; email: string }): Promise<BootstrapOutcome> => {
    const problems = passwordProblems(settings.password, settings.username);
    if (problems.length > 0)
      throw new Error(`the first admin's password does not meet the policy: ${problems.join(' ')}`);
    const passwordHash = await deps.hasher.hash(settings.password);
    return deps.uow.run('bootstrap', async (tx) => {
      if ((await tx.users.countActiveAdmins()) > 0) return 'admin-exists';
      const now = deps.clock.now();
      const admin = createUser({
        id: deps.ids.newId(),
        username: settings.username,
        email: settings.email,
        fullName: 'Administrator',
        role: 'admin',
        passwordHash,
        now,
      });
      try {
        await tx.users.insert(admin);
      } catch (error) {
        if (!isFailure(error)) throw error;
        // Another replica starting at the same moment may have just created it: the insert waited for its commit.
        if ((await tx.users.countActiveAdmins()) > 0) return 'admin-exists';
        throw new Error(
          `cannot create the first admin: "${settings.username}" or its email is taken by a user who is not an active admin`,
        );
      }
      await tx.events.record([{ type: 'UserRegistered', occurredAt: now, user: toPublicUser(admin) }]);
      return 'created';
    });
  };
}
