import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { accessTokenAlgorithm } from '@tulity/adapters/auth/authenticator';
import type { AccessTokenSigner } from '../../application/ports';
import type { SigningKeyStore } from '../postgres/signing-keys';

/**
 * Short-lived ES256 access tokens, signed with jsonwebtoken, with the claims every service's
 * authenticator requires: `sub`, `role`, `sid`, `jti`, `iss`, `iat`, `exp`.
 */
export function createAccessTokenSigner(
  keys: SigningKeyStore,
  options: { issuer: string; ttlSeconds: number },
): AccessTokenSigner {
  return {
    async sign({ userId, role, sessionId }) {
      const { kid, key } = await keys.active();
      const issuedAt = Math.floor(Date.now() / 1000);
      const expiresAt = issuedAt + options.ttlSeconds;
      const token = jwt.sign({ role, sid: sessionId, iat: issuedAt, exp: expiresAt }, key, {
        algorithm: accessTokenAlgorithm,
        keyid: kid,
        subject: userId,
        jwtid: randomUUID(),
        issuer: options.issuer,
      });
      return { token, expiresAt: new Date(expiresAt * 1000) };
    },
  };
}
