/**
 * Expected business failures, returned (not thrown) by use cases as `{ ok: false, failure }`.
 * The HTTP adapter maps `kind` to a status in one place; `code` is the stable problem code.
 */
export type FailureKind = 'invalid' | 'unauthenticated' | 'forbidden' | 'not-found' | 'conflict' | 'throttled';

export interface FieldProblem {
  field: string;
  message: string;
}

export interface Failure {
  kind: FailureKind;
  code: string;
  message: string;
  fields?: FieldProblem[];
  retryAfterSeconds?: number;
}

export type Result<T> = { ok: true; value: T } | { ok: false; failure: Failure };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (failure: Failure): { ok: false; failure: Failure } => ({ ok: false, failure });

export const failures = {
  invalidCredentials: (): Failure => ({ kind: 'unauthenticated', code: 'AUTH.INVALID_CREDENTIALS', message: 'The username or password is wrong.' }),
  invalidRefreshToken: (): Failure => ({ kind: 'unauthenticated', code: 'AUTH.REFRESH_TOKEN_INVALID', message: 'The refresh token is invalid, expired or already used; log in again.' }),
  throttled: (retryAfterSeconds: number): Failure => ({ kind: 'throttled', code: 'AUTH.TOO_MANY_ATTEMPTS', message: `Too many failed attempts; try again in ${retryAfterSeconds} s.`, retryAfterSeconds }),
  userNotFound: (): Failure => ({ kind: 'not-found', code: 'USER.NOT_FOUND', message: 'There is no such user.' }),
  forbidden: (message: string): Failure => ({ kind: 'forbidden', code: 'AUTH.FORBIDDEN', message }),
  taken: (field: 'username' | 'email'): Failure => ({
    kind: 'conflict',
    code: field === 'username' ? 'USER.USERNAME_TAKEN' : 'USER.EMAIL_TAKEN',
    message: `That ${field} is already taken.`,
    fields: [{ field, message: `That ${field} is already taken.` }],
  }),
  lastAdmin: (): Failure => ({ kind: 'conflict', code: 'USER.LAST_ADMIN', message: 'This would leave no active admin; make another user admin first.' }),
  weakPassword: (field: string, problems: string[]): Failure => ({
    kind: 'invalid',
    code: 'USER.PASSWORD_POLICY',
    message: `The password does not meet the policy: ${problems.join(' ')}`,
    fields: [{ field, message: problems.join(' ') }],
  }),
  wrongCurrentPassword: (): Failure => ({
    kind: 'invalid',
    code: 'USER.CURRENT_PASSWORD_WRONG',
    message: 'The current password is wrong.',
    fields: [{ field: 'currentPassword', message: 'The current password is wrong.' }],
  }),
  currentPasswordRequired: (): Failure => ({
    kind: 'invalid',
    code: 'USER.CURRENT_PASSWORD_REQUIRED',
    message: 'Changing your password needs your current one.',
    fields: [{ field: 'currentPassword', message: 'Required to change the password.' }],
  }),
};
