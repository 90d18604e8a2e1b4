// The user forms' checks, the same the accounts API makes, so mistakes show before sending.
import type { Role } from '../../app/session';

export interface NewUser {
  username: string;
  email: string;
  fullName: string;
  role: Role;
  password: string;
}

export type Problems = Partial<Record<keyof NewUser, string>>;

const usernamePattern = /^[a-z0-9][a-z0-9._-]{2,31}$/;
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const noControl = /^[^\p{Cc}]*$/u;

export function checkEmail(email: string): string | undefined {
  if (!emailPattern.test(email.trim()) || email.trim().length > 254)
    return 'Enter an email address like name@example.com.';
  return undefined;
}

export function checkFullName(fullName: string): string | undefined {
  if (!fullName.trim()) return 'Enter a name.';
  if (fullName.trim().length > 120) return 'At most 120 characters.';
  if (!noControl.test(fullName)) return 'Control characters are not allowed.';
  return undefined;
}

export function checkPassword(password: string, username: string): string | undefined {
  const length = [...password].length;
  if (length < 12) return `Use at least 12 characters (this one has ${length}).`;
  if (length > 128) return 'Use at most 128 characters.';
  if (!noControl.test(password)) return 'Control characters are not allowed.';
  if (username && password.toLowerCase().includes(username.toLowerCase()))
    return 'The password must not contain the username.';
  return undefined;
}

export function checkNewUser(user: NewUser): Problems {
  const problems: Problems = {};
  if (!usernamePattern.test(user.username)) {
    problems.username =
      'Use 3 to 32 lowercase letters, digits, dots, dashes or underscores, starting with a letter or digit.';
  }
  const email = checkEmail(user.email);
  if (email) problems.email = email;
  const fullName = checkFullName(user.fullName);
  if (fullName) problems.fullName = fullName;
  const password = checkPassword(user.password, user.username);
  if (password) problems.password = password;
  return problems;
}
