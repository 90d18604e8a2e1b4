import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';

import { roles, type Role } from '../core/actor';

export { roles, type Role };

/** Who a verified access token speaks for. Times are epoch milliseconds. */
export interface Principal {
  userId: string;
  role: Role;
  /** The token's `jti`. */
  tokenId: string;
  /** The login session (refresh-token family) the token was minted for: its `sid` claim. */
  sessionId: string;
  issuedAt: number;
  expiresAt: number;
}

/** Answers whether a verified token has been revoked before it expired (logout, deactivation, deletion). */
export interface RevocationCheck {
  isRevoked(principal: Principal): Promise<boolean>;
}

export type AuthFailure = 'missing' | 'invalid' | 'expired' | 'revoked' | 'keys-unavailable';

/** A token that must be refused; `reason` decides the problem code, never the detail a client sees. */
export class AuthenticationError extends Error {
  constructor(readonly reason: AuthFailure, message: string) {
    super(message);
    this.name = 'AuthenticationError';
  }
}

export interface Authenticator {
  /** Verifies a compact JWT and returns its principal, or throws an AuthenticationError. */
  verify(token: string): Promise<Principal>;
}

/** Accounts signs with ES256 only; pinning it is what stops `alg: none` and HS256-with-the-public-key. */
export const accessTokenAlgorithm = 'ES256';

export interface AuthenticatorOptions {
  /** Accounts' `/api/v1/auth/jwks`. Either this or `jwks`. */
  jwksUrl?: string;
  /** A fixed key set (tests, or a service that pins its keys). */
  jwks?: JSONWebKeySet;
  /** Keys read in-process, called on every verification and expected to cache: how accounts verifies its own tokens. */
  keySet?: () => Promise<JSONWebKeySet>;
  issuer: string;
  revocations: RevocationCheck;
  /**
   * Least time between two JWKS fetches triggered by an unknown `kid` (10 s by default); stops a flood
   * of bogus kids hammering accounts. Accounts publishes a new key well before it signs with it.
   */
  refetchCooldownMs?: number;
  /** Longest the cached key set is trusted before it is fetched again. */
  cacheMaxAgeMs?: number;
  /** Allowed clock difference between services, in seconds. */
  clockToleranceSeconds?: number;
}

/**
 * Verifies accounts' access tokens locally: ES256 only, `exp`, `iat`, `jti`, `sub` and `sid`
 * required, issuer checked, keys from the JWKS cached and refetched when a token names an
 * unknown `kid` (so a key rotation needs no restart), then the revocation check.
 */
export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const keys = keySet(options);
  return {
    async verify(token) {
      let claims;
      try {
        ({ payload: claims } = await jwtVerify(token, keys, {
          algorithms: [accessTokenAlgorithm],
          issuer: options.issuer,
          requiredClaims: ['exp', 'iat', 'jti', 'sub', 'sid'],
          clockTolerance: options.clockToleranceSeconds ?? 5,
        }));
      } catch (error) {
        throw toAuthenticationError(error);
      }
      const principal = toPrincipal(claims);
      if (await options.revocations.isRevoked(principal)) {
        throw new AuthenticationError('revoked', 'The access token has been revoked.');
      }
      return principal;
    },
  };
}

function keySet(options: AuthenticatorOptions): JWTVerifyGetKey {
  if (options.jwks) return createLocalJWKSet(options.jwks);
  if (options.keySet) return dynamicKeySet(options.keySet);
  if (!options.jwksUrl) throw new Error('createAuthenticator needs jwksUrl, jwks or keySet');
  return createRemoteJWKSet(new URL(options.jwksUrl), {
    cooldownDuration: options.refetchCooldownMs ?? 10_000,
    cacheMaxAge: options.cacheMaxAgeMs ?? 10 * 60_000,
    timeoutDuration: 3000,
  });
}

function dynamicKeySet(load: () => Promise<JSONWebKeySet>): JWTVerifyGetKey {
  let source: JSONWebKeySet | undefined;
  let local: JWTVerifyGetKey | undefined;
  return async (header, token) => {
    const jwks = await load();
    // Imported keys are kept until the loader hands out a different set.
    if (jwks !== source || !local) {
      source = jwks;
      local = createLocalJWKSet(jwks);
    }
    return local(header, token);
  };
}

function toPrincipal(claims: Record<string, unknown>): Principal {
  const { sub, role, jti, sid, iat, exp } = claims;
  if (
    typeof sub !== 'string' || typeof jti !== 'string' || typeof sid !== 'string' ||
    typeof iat !== 'number' || typeof exp !== 'number' || !roles.includes(role as Role)
  ) {
    throw new AuthenticationError('invalid', 'The access token is missing a claim or has one of the wrong type.');
  }
  return { userId: sub, role: role as Role, tokenId: jti, sessionId: sid, issuedAt: iat * 1000, expiresAt: exp * 1000 };
}

function toAuthenticationError(error: unknown): AuthenticationError {
  if (error instanceof errors.JWTExpired) return new AuthenticationError('expired', 'The access token has expired.');
  // The keys could not be had (accounts unreachable, a failed fetch or load): the token may be fine,
  // so this is not the client's fault.
  const keysUnavailable = error instanceof errors.JWKSTimeout
    || !(error instanceof errors.JOSEError)
    || (error.code === 'ERR_JOSE_GENERIC' && /JSON Web Key Set/.test(error.message));
  if (keysUnavailable) return new AuthenticationError('keys-unavailable', 'The signing keys cannot be fetched right now.');
  return new AuthenticationError('invalid', 'The access token is invalid.');
}
