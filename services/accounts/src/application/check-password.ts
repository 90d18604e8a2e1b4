import { failures } from '../domain/failures';
import { retryAfterSeconds } from '../domain/throttle';
import { loginKeys, type AccountsDeps } from './ports';

interface PasswordCheck {
  username: string;
  clientAddress: string;
  /** The stored hash; undefined when there is no such user or they cannot log in. */
  passwordHash: string | undefined;
  password: string;
}

/**
 * One password guess, as a login and a password change make it: counted under the pair, the
 * account and the address BEFORE it is verified (throws `failures.throttled` when one must wait),
 * and given back when it is right. Without a hash the decoy is verified, so an unknown user
 * answers after the same work.
 */
export async function checkPassword(
  deps: Pick<AccountsDeps, 'throttle' | 'throttleRules' | 'hasher' | 'clock'>,
  check: PasswordCheck,
): Promise<boolean> {
  const keys = loginKeys(deps.throttleRules, check.username, check.clientAddress);
  const wait = await deps.throttle.reserve(keys, deps.clock.now());
  if (wait > 0) throw failures.throttled(retryAfterSeconds(wait));
  const matches = await deps.hasher.verify(check.passwordHash ?? deps.hasher.decoy, check.password);
  if (!matches || check.passwordHash === undefined) return false;
  await deps.throttle.succeeded(keys);
  return true;
}
