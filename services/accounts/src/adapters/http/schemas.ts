// Request and response schemas: they parse every request once at the edge and are the OpenAPI document's schemas.
import { z } from 'zod';
import { roles } from '@tulity/adapters/core/actor';
import { listQuerySchema } from '@tulity/adapters/http/list-query';
import { userSortKeys } from '../../application/ports';
import { passwordPolicyText } from '../../domain/password-policy';
import { emailPattern, usernamePattern } from '../../domain/user';

// No control characters in anything stored or looked up: Postgres refuses NUL in text (a 500 otherwise).
const noControl = /^[^\p{Cc}]*$/u;
const controlMessage = 'Control characters are not allowed.';

const username = z
  .string()
  .regex(
    usernamePattern,
    'Use 3 to 32 lowercase letters, digits, dots, dashes or underscores, starting with a letter or digit.',
  );
const email = z
  .string()
  .max(254)
  .regex(emailPattern, 'Enter an email address like name@example.com.')
  .regex(noControl, controlMessage);
const fullName = z.string().trim().min(1, 'Enter a name.').max(120).regex(noControl, controlMessage);
// The policy itself is checked by the use case, which knows the username; here only a sane bound
// and no control characters (NIST 800-63B asks for printable characters and spaces; a control
// character in a password is a mistake or a probe).
const password = z
  .string()
  .min(1, 'Enter a password.')
  .max(1024)
  .regex(noControl, controlMessage)
  .describe(passwordPolicyText);
const role = z.enum(roles);

export const loginBody = z.strictObject({
  username: z.string().min(1, 'Enter your username.').max(64).regex(noControl, controlMessage),
  password: z.string().min(1, 'Enter your password.').max(1024).regex(noControl, controlMessage),
});

export const refreshBody = z.strictObject({
  refreshToken: z
    .string()
    .min(1)
    .max(512)
    .regex(/^[\w-]+$/, 'A refresh token is base64url text.'),
});

export const registerBody = z.strictObject({ username, email, fullName, role, password });

export const updateBody = z
  .strictObject({
    email: email.optional(),
    fullName: fullName.optional(),
    password: password.optional(),
    currentPassword: z.string().max(1024).regex(noControl, controlMessage).optional(),
    role: role.optional(),
    active: z.boolean().optional(),
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), {
    message: 'Send at least one field to change.',
  });

export const listQuery = listQuerySchema(
  { sortKeys: userSortKeys, defaultSort: 'username' },
  {
    role: role.optional(),
    active: z
      .enum(['true', 'false'])
      .transform((value) => value === 'true')
      .optional(),
  },
);

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

export const userPage = z.object({
  items: z.array(userResponse),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

export const jwksResponse = z.object({ keys: z.array(z.record(z.string(), z.unknown())) });
