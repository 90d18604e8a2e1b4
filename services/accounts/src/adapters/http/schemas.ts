// Request schemas: they parse every request once at the edge and are the OpenAPI document's schemas.
import { z } from 'zod';
import { userSortKeys } from '../../application/ports';
import { passwordPolicyText } from '../../domain/password-policy';
import { emailPattern, roles, usernamePattern } from '../../domain/user';

const username = z.string().regex(usernamePattern, 'Use 3 to 32 lowercase letters, digits, dots, dashes or underscores, starting with a letter or digit.');
const email = z.string().max(254).regex(emailPattern, 'Enter an email address like name@example.com.');
const fullName = z.string().trim().min(1, 'Enter a name.').max(120);
// The policy itself is checked by the use case, which knows the username; here only a sane bound.
const password = z.string().min(1, 'Enter a password.').max(1024).describe(passwordPolicyText);
const role = z.enum(roles);

export const loginBody = z.strictObject({
  username: z.string().min(1, 'Enter your username.').max(64),
  password: z.string().min(1, 'Enter your password.').max(1024),
});

export const refreshBody = z.strictObject({
  refreshToken: z.string().min(1).max(512),
});

export const registerBody = z.strictObject({ username, email, fullName, role, password });

export const updateBody = z
  .strictObject({
    email: email.optional(),
    fullName: fullName.optional(),
    password: password.optional(),
    currentPassword: z.string().max(1024).optional(),
    role: role.optional(),
    active: z.boolean().optional(),
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), { message: 'Send at least one field to change.' });

const sorts = userSortKeys.flatMap((key) => [key, `-${key}`] as const);

export const listQuery = z.strictObject({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
  sort: z.enum(sorts as [string, ...string[]]).default('username').describe('A field, with "-" first for descending.'),
  q: z.string().max(200).optional().describe('Matches username, email and full name.'),
  role: role.optional(),
  active: z.enum(['true', 'false']).optional(),
});

export const userId = z.uuid();

export const userResponse = z.object({
  id: z.uuid(),
  username: z.string(),
  email: z.string(),
  fullName: z.string(),
  role,
  active: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

export const tokenResponse = z.object({
  tokenType: z.literal('Bearer'),
  accessToken: z.string(),
  expiresIn: z.number().int().describe('Seconds until the access token expires.'),
  refreshToken: z.string().describe('Opaque; single use: each refresh returns a new one.'),
  refreshExpiresIn: z.number().int(),
});

export const loginResponse = tokenResponse.extend({ user: userResponse });

export const userPage = z.object({ items: z.array(userResponse), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

export const jwksResponse = z.object({ keys: z.array(z.record(z.string(), z.unknown())) });
