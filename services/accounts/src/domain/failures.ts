// Accounts' failures: the only place its codes are written. Use cases throw them; the route table
// turns them into problems through the shared kind → status table.
import { Failure, conflict, forbidden, notFound, throttled, unauthenticated } from '@tulity/adapters/core/failure';

const fieldFailure = (code: string, field: string, message: string, fieldMessage = message) =>
  new Failure('invalid', code, message, [{ field, message: fieldMessage }]);

export const failures = {
  invalidCredentials: () => unauthenticated('AUTH.INVALID_CREDENTIALS', 'The username or password is wrong.'),
  invalidRefreshToken: () =>
    unauthenticated(
      'AUTH.REFRESH_TOKEN_INVALID',
      'The refresh token is invalid, expired or already used; log in again.',
    ),
  throttled: (retryAfterSeconds: number) =>
    throttled('AUTH.TOO_MANY_ATTEMPTS', `Too many attempts; try again in ${retryAfterSeconds} s.`, retryAfterSeconds),
  userNotFound: () => notFound('USER.NOT_FOUND', 'There is no such user.'),
  forbidden: (message: string) => forbidden(message),
  taken: (field: 'username' | 'email') =>
    conflict(
      field === 'username' ? 'USER.USERNAME_TAKEN' : 'USER.EMAIL_TAKEN',
      `That ${field} is already taken.`,
      field,
    ),
  lastAdmin: () => conflict('USER.LAST_ADMIN', 'This would leave no active admin; make another user admin first.'),
  weakPassword: (field: string, problems: string[]) =>
    fieldFailure(
      'USER.PASSWORD_POLICY',
      field,
      `The password does not meet the policy: ${problems.join(' ')}`,
      problems.join(' '),
    ),
  wrongCurrentPassword: () =>
    fieldFailure('USER.CURRENT_PASSWORD_WRONG', 'currentPassword', 'The current password is wrong.'),
  currentPasswordRequired: () =>
    fieldFailure(
      'USER.CURRENT_PASSWORD_REQUIRED',
      'currentPassword',
      'Changing your password needs your current one.',
      'Required to change the password.',
    ),
};
