import { fail, failures, ok, type Result } from '../domain/failures';
import { toPublicUser, type PublicUser } from '../domain/user';
import { issueTokens, type TokenPair } from './issue-tokens';
import { throttleKeys, type AccountsDeps } from './ports';

export interface LoginCommand {
  username: string;
  password: string;
  clientAddress: string;
  correlationId: string;
}

/**
 * Exchanges a username and password for a new session. An unknown user, a wrong password and a
 * deactivated account get the same answer after the same work (a decoy hash is verified), and
 * failures are counted per account and per client address.
 */
export function login(deps: AccountsDeps) {
  return async (command: LoginCommand): Promise<Result<TokenPair & { user: PublicUser }>> => {
    const now = deps.clock.now();
    const keys = [throttleKeys.account(deps.throttleRules, command.username), throttleKeys.address(deps.throttleRules, command.clientAddress)];
    const wait = await deps.throttle.retryAfter(keys, now);
    if (wait > 0) return fail(failures.throttled(wait));

    // Usernames are lowercase; "Alice" is her too.
    const user = await deps.uow.read((reads) => reads.users.findByUsername(command.username.toLowerCase()));
    const canLogIn = user !== undefined && user.active;
    const matches = await deps.hasher.verify(canLogIn ? user.passwordHash : deps.hasher.decoy, command.password);
    if (!canLogIn || !matches) {
      await deps.throttle.recordFailure(keys, now);
      return fail(failures.invalidCredentials());
    }
    await deps.throttle.clear(keys[0]!);

    return deps.uow.run(command.correlationId, async (tx) => {
      const session = { id: deps.ids.newId(), userId: user.id, createdAt: now, expiresAt: new Date(now.getTime() + deps.lifetimes.sessionMs), revokedAt: null, revokedReason: null };
      await tx.sessions.insert(session);
      const tokens = await issueTokens(deps, tx, session, user.role, now);
      return ok({ ...tokens, user: toPublicUser(user) });
    });
  };
}
