const passwordPolicy = { minLength: 12, maxLength: 128 } as const;

// NIST SP 800-63B: length and a blocklist protect better than composition rules, which push
// people towards "Password1!". The list holds the few 12+ character passwords leaked most often.
const common = new Set([
  '123456789012',
  '1234567890123',
  'qwertyuiopas',
  'qwerty123456',
  'password1234',
  'passwordpassword',
  'iloveyou1234',
  '111111111111',
  '000000000000',
  'abcdefghijkl',
  'abc123abc123',
  'qwertyqwerty',
  'changeme1234',
  'letmein12345',
  'welcome12345',
  'administrator',
]);

export const passwordPolicyText = `Use ${passwordPolicy.minLength} to ${passwordPolicy.maxLength} characters; a few words make a good one. It must not contain your username or be a well-known password.`;

/** Every rule the password breaks, each as a sentence a person can act on; empty when it is acceptable. */
export function passwordProblems(password: string, username: string): string[] {
  const problems: string[] = [];
  const length = [...password].length;
  if (length < passwordPolicy.minLength)
    problems.push(`Use at least ${passwordPolicy.minLength} characters (this one has ${length}).`);
  if (length > passwordPolicy.maxLength) problems.push(`Use at most ${passwordPolicy.maxLength} characters.`);
  if (username.length >= 3 && password.toLowerCase().includes(username.toLowerCase()))
    problems.push('Do not include your username.');
  if (length > 0 && new Set(password).size === 1) problems.push('Do not repeat a single character.');
  if (common.has(password.toLowerCase())) problems.push('This password is well known to attackers; choose another.');
  return problems;
}
