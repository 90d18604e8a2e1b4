import { createHash, randomBytes } from 'node:crypto';
import type { RefreshTokenCodec } from '../../application/ports';

// 256 random bits cannot be guessed, so a fast hash is enough to keep a leaked table useless;
// a slow password hash would only slow down every refresh.
export const refreshTokenCodec: RefreshTokenCodec = {
  generate: () => randomBytes(32).toString('base64url'),
  hash: (token) => createHash('sha256').update(token).digest('base64url'),
};
