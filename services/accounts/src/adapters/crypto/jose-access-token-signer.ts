import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { accessTokenAlgorithm } from '@tulity/adapters/auth/authenticator';
import type { AccessTokenSigner } from '../../application/ports';
import type { SigningKeyStore } from '../postgres/knex-signing-keys';

/** Short-lived ES256 access tokens with the claims every service's authenticator requires. */
export function createJoseAccessTokenSigner(keys: SigningKeyStore, options: { issuer: string; ttlSeconds: number }): AccessTokenSigner {
  return {
    async sign({ userId, role, sessionId }) {
      const { kid, key } = await keys.active();
      const tokenId = randomUUID();
      const issuedAt = Math.floor(Date.now() / 1000);
      const expiresAt = issuedAt + options.ttlSeconds;
      const token = await new SignJWT({ role, sid: sessionId })
        .setProtectedHeader({ alg: accessTokenAlgorithm, kid, typ: 'JWT' })
        .setSubject(userId)
        .setJti(tokenId)
        .setIssuer(options.issuer)
        .setIssuedAt(issuedAt)
        .setExpirationTime(expiresAt)
        .sign(key);
      return { token, tokenId, expiresAt: new Date(expiresAt * 1000) };
    },
  };
}
