import { failures } from '../domain/failures';
import { toPublicUser, type PublicUser } from '../domain/user';
import { checkPassword } from './check-password';
import { issueTokens, type TokenPair } from './issue-tokens';
import type { AccountsDeps } from './ports';

export interface LoginCommand {
  username: string;
  password: string;
  clientAddress: string;
  correlationId: string;
}

/**
 * Exchanges a username and password for a new session. An unknown user, a wrong password and a
 * deactivated account get the same answer after the same work; every guess is counted first
 * (see checkPassword), so no concurrency gets past the limits.
 */
export function login(deps: AccountsDeps) {
  return async (command: LoginCommand): Promise<TokenPair & { user: PublicUser }> => {
    // Usernames are lowercase; "Alice" is her too.
    const username = command.username.toLowerCase();
    const user = await deps.uow.read((reads) => reads.users.findByUsername(username));
    const canLogIn = user !== undefined && user.active;
    const right = await checkPassword(deps, {
      username,
      clientAddress: command.clientAddress,
      passwordHash: canLogIn ? user.passwordHash : undefined,
      password: command.password,
    });
    if (!right || !canLogIn) throw failures.invalidCredentials();

    return deps.uow.run(command.correlationId, async (tx) => {
      const now = deps.clock.now();
      const session = {
        id: deps.ids.newId(),
        userId: user.id,
        createdAt: now,
        expiresAt: new Date(now.getTime() + deps.lifetimes.sessionMs),
        revokedAt: null,
        revokedReason: null,
      };
      await tx.sessions.insert(session);
      const tokens = await issueTokens(deps, tx, session, user.role, now);
      return { ...tokens, user: toPublicUser(user) };
    });
  };
}
