import { createPublicKey, KeyObject, type JsonWebKey } from 'node:crypto';
import { createRemoteJWKSet, errors as joseErrors } from 'jose';
import jwt from 'jsonwebtoken';

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
  constructor(
    readonly reason: AuthFailure,
    message: string,
  ) {
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

/** A JWKS document, as accounts publishes it at `/api/v1/auth/jwks`. */
export interface JsonWebKeySet {
  keys: Array<JsonWebKey & { kid?: string; alg?: string; use?: string }>;
}

export interface AuthenticatorOptions {
  /** Accounts' `/api/v1/auth/jwks`. Either this or `jwks`. */
  jwksUrl?: string;
  /** A fixed key set (tests, or a service that pins its keys). */
  jwks?: JsonWebKeySet;
  /** Keys read in-process, called on every verification and expected to cache: how accounts verifies its own tokens. */
  keySet?: () => Promise<JsonWebKeySet>;
  issuer: string;
  revocations: RevocationCheck;
  /**
   * Least time between two JWKS fetches triggered by an unknown `kid` (10 s by default); stops a flood
   * of bogus kids hammering accounts. Accounts publishes a new key well before it signs with it.
   */
  refetchCooldownMs?: number;
  /** Longest a fetched key is trusted before it is fetched again. */
  cacheMaxAgeMs?: number;
  /** Allowed clock difference between services for `exp`, in seconds. */
  clockToleranceSeconds?: number;
  /**
   * Furthest in the future an `iat` may be (60 s by default). A token "issued" later than now would
   * escape a user revocation (deactivation, deletion), which refuses tokens issued before it.
   */
  issuedAtSkewSeconds?: number;
  /**
   * Longest lifetime (`exp` − `iat`) accepted, in seconds: 1 h by default, the same bound the
   * revocation handlers keep their rows for, so no accepted token outlives its revocation.
   */
  maxTokenLifetimeSeconds?: number;
  /**
   * How many verified tokens are remembered (10 000 by default; 0 remembers none), so a token
   * used again skips the ES256 signature check until it expires. The revocation check still runs
   * on every call.
   */
  verifiedTokens?: number;
  /** Epoch milliseconds; tests move it. */
  clock?: () => number;
}

/** Finds the public key of a `kid`: undefined when no published key has it; throws when keys cannot be had. */
type KeyLookup = (kid: string) => Promise<KeyObject | undefined>;

/**
 * Verifies accounts' access tokens locally with jsonwebtoken: ES256 only, `exp`, `iat`, `jti`,
 * `sub` and `sid` required, issuer checked, `iat` not in the future and the lifetime bounded;
 * keys from the JWKS cached and refetched when a token names an unknown `kid` (so a key rotation
 * needs no restart), then the revocation check.
 */
export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const lookup = keyLookup(options);
  const clockTolerance = options.clockToleranceSeconds ?? 5;
  const issuedAtSkew = options.issuedAtSkewSeconds ?? 60;
  const maxLifetime = options.maxTokenLifetimeSeconds ?? 3600;
  const clock = options.clock ?? Date.now;
  const verified = verifiedTokenCache(options.verifiedTokens ?? 10_000);
  const verifySignedClaims = async (token: string, now: number): Promise<Principal> => {
    const kid = jwt.decode(token, { complete: true })?.header.kid;
    if (typeof kid !== 'string') throw new AuthenticationError('invalid', 'The access token is invalid.');
    let key: KeyObject | undefined;
    try {
      key = await lookup(kid);
    } catch {
      // The keys could not be had (accounts unreachable, a failed fetch or load): the token may
      // be fine, so this is not the client's fault.
      throw new AuthenticationError('keys-unavailable', 'The signing keys cannot be fetched right now.');
    }
    if (!key) throw new AuthenticationError('invalid', 'The access token is invalid.');
    let claims: jwt.JwtPayload;
    try {
      claims = jwt.verify(token, key, {
        algorithms: [accessTokenAlgorithm],
        issuer: options.issuer,
        clockTolerance,
        clockTimestamp: Math.floor(now / 1000),
      }) as jwt.JwtPayload;
    } catch (error) {
      if (error instanceof jwt.TokenExpiredError)
        throw new AuthenticationError('expired', 'The access token has expired.');
      throw new AuthenticationError('invalid', 'The access token is invalid.');
    }
    const principal = toPrincipal(claims);
    if (
      principal.issuedAt > now + issuedAtSkew * 1000 ||
      principal.expiresAt - principal.issuedAt > maxLifetime * 1000
    ) {
      throw new AuthenticationError('invalid', 'The access token is invalid.');
    }
    return principal;
  };
  return {
    async verify(token) {
      const now = clock();
      let principal = verified.get(token, now);
      if (!principal) {
        principal = await verifySignedClaims(token, now);
        verified.set(token, principal);
      }
      if (await options.revocations.isRevoked(principal)) {
        throw new AuthenticationError('revoked', 'The access token has been revoked.');
      }
      return principal;
    },
  };
}

/**
 * Principals of tokens whose signature and claims were checked, by the compact token. An entry
 * lives until the token's `exp` (after which the full check answers, with its clock tolerance),
 * and the oldest entry makes room for a new one. Only verified tokens enter, so garbage tokens
 * cannot crowd out good ones. A key withdrawn from the key set keeps the tokens it signed accepted
 * until they expire; accounts publishes a retired key until then anyway.
 */
function verifiedTokenCache(capacity: number) {
  const entries = new Map<string, Principal>();
  return {
    get(token: string, now: number): Principal | undefined {
      const principal = entries.get(token);
      if (principal && principal.expiresAt <= now) {
        entries.delete(token);
        return undefined;
      }
      return principal;
    },
    set(token: string, principal: Principal) {
      if (capacity <= 0) return;
      if (entries.size >= capacity) entries.delete(entries.keys().next().value!);
      entries.set(token, principal);
    },
  };
}

function keyLookup(options: AuthenticatorOptions): KeyLookup {
  if (options.jwks) {
    const keys = importKeySet(options.jwks);
    return async (kid) => keys.get(kid);
  }
  if (options.keySet) return loadedKeys(options.keySet);
  if (!options.jwksUrl) throw new Error('createAuthenticator needs jwksUrl, jwks or keySet');
  return remoteKeys(options.jwksUrl, options.refetchCooldownMs ?? 10_000, options.cacheMaxAgeMs ?? 10 * 60_000);
}

/** The set's ES256 signing keys by kid; keys of another kind or curve are left out, never trusted. */
function importKeySet(jwks: JsonWebKeySet): Map<string, KeyObject> {
  const keys = new Map<string, KeyObject>();
  for (const { kid, alg, use, ...jwk } of jwks.keys) {
    if (
      typeof kid !== 'string' ||
      (alg !== undefined && alg !== accessTokenAlgorithm) ||
      (use !== undefined && use !== 'sig')
    )
      continue;
    try {
      const key = createPublicKey({ key: jwk, format: 'jwk' });
      if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') keys.set(kid, key);
    } catch {
      // A key node cannot import verifies nothing; the others still do.
    }
  }
  return keys;
}

function loadedKeys(load: () => Promise<JsonWebKeySet>): KeyLookup {
  let source: JsonWebKeySet | undefined;
  let keys = new Map<string, KeyObject>();
  return async (kid) => {
    let jwks: JsonWebKeySet;
    try {
      jwks = await load();
    } catch (error) {
      throw new Error('the key set could not be loaded', { cause: error });
    }
    // Imported keys are kept until the loader hands out a different set.
    if (jwks !== source) {
      source = jwks;
      keys = importKeySet(jwks);
    }
    return keys.get(kid);
  };
}

/**
 * Other services' keys, fetched from accounts' JWKS and cached: jose's remote key set, kept for
 * this one job. jwks-rsa (jsonwebtoken's companion) imports EC P-256 keys, but its 4.x line
 * require()s jose 6, which is ES-module only: that needs require(esm), which Node 20 before 20.19
 * (allowed by `engines`) and jest's module runtime (before Node 24.9) do not have, so every test
 * importing this file would fail to load. jose's set refetches when a token names an unknown
 * `kid`, at most once per `cooldownMs`, so a flood of bogus kids cannot hammer accounts.
 */
function remoteKeys(url: string, cooldownMs: number, cacheMaxAgeMs: number): KeyLookup {
  const remote = createRemoteJWKSet(new URL(url), {
    cooldownDuration: cooldownMs,
    cacheMaxAge: cacheMaxAgeMs,
    timeoutDuration: 3000,
  });
  // jose hands out the same imported key while the set is unchanged; jsonwebtoken wants a KeyObject.
  const converted = new WeakMap<object, KeyObject>();
  return async (kid) => {
    let key;
    try {
      key = await remote({ alg: accessTokenAlgorithm, kid });
    } catch (error) {
      if (error instanceof joseErrors.JWKSNoMatchingKey || error instanceof joseErrors.JWKSMultipleMatchingKeys)
        return undefined;
      throw error;
    }
    let keyObject = converted.get(key);
    if (!keyObject) converted.set(key, (keyObject = KeyObject.from(key)));
    return keyObject;
  };
}

function toPrincipal(claims: Record<string, unknown>): Principal {
  const { sub, role, jti, sid, iat, exp } = claims;
  if (
    typeof sub !== 'string' ||
    typeof jti !== 'string' ||
    typeof sid !== 'string' ||
    typeof iat !== 'number' ||
    typeof exp !== 'number' ||
    !roles.includes(role as Role)
  ) {
    throw new AuthenticationError('invalid', 'The access token is missing a claim or has one of the wrong type.');
  }
  return { userId: sub, role: role as Role, tokenId: jti, sessionId: sid, issuedAt: iat * 1000, expiresAt: exp * 1000 };
}
