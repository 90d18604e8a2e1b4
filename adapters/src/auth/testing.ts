import http from 'node:http';
import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import {
  accessTokenAlgorithm,
  createAuthenticator,
  type Authenticator,
  type JsonWebKeySet,
  type Principal,
  type RevocationCheck,
  type Role,
} from './authenticator';

export interface MintOptions {
  role: Role;
  userId?: string;
  sessionId?: string;
  tokenId?: string;
  /** Lifetime in seconds; negative mints an expired token. */
  expiresIn?: number;
  issuer?: string;
}

/** Stands in for accounts in other services' tests: its own key pair, JWKS and tokens for any role. */
export interface TestIssuer {
  issuer: string;
  kid: string;
  jwks: JsonWebKeySet;
  mint(options: MintOptions): Promise<string>;
  /** Signs these claims with the issuer's key and kid (an `iat` is added only when they have none): for tokens missing a claim. */
  sign(claims: Record<string, unknown>): Promise<string>;
  /** An authenticator that trusts this issuer's keys directly, without HTTP. */
  authenticator(revocations?: RevocationCheck): Authenticator;
  /** Serves the JWKS over HTTP on a free port, for tests of the remote key path. */
  serve(): Promise<{ jwksUrl: string; close(): Promise<void> }>;
}

/** Revokes nothing: for tests that are not about revocation. */
export const noRevocations: RevocationCheck = { isRevoked: async () => false };

/** Revokes the tokens and sessions you name: for unit tests without a database. */
export function memoryRevocations(): RevocationCheck & {
  revokeToken(id: string): void;
  revokeSession(id: string): void;
} {
  const tokens = new Set<string>();
  const sessions = new Set<string>();
  return {
    isRevoked: async (principal: Principal) => tokens.has(principal.tokenId) || sessions.has(principal.sessionId),
    revokeToken: (id) => void tokens.add(id),
    revokeSession: (id) => void sessions.add(id),
  };
}

export async function createTestIssuer(issuer = 'tulity-accounts'): Promise<TestIssuer> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = randomUUID();
  const jwks: JsonWebKeySet = {
    keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: accessTokenAlgorithm, use: 'sig' }],
  };
  return {
    issuer,
    kid,
    jwks,
    mint: (options) => mintToken(privateKey, kid, { issuer, ...options }),
    sign: async (claims) => jwt.sign(claims, privateKey, { algorithm: accessTokenAlgorithm, keyid: kid }),
    authenticator: (revocations = noRevocations) => createAuthenticator({ jwks, issuer, revocations }),
    serve: () => serveJwks(jwks),
  };
}

async function mintToken(key: KeyObject, kid: string, options: MintOptions & { issuer: string }): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return jwt.sign(
    { role: options.role, sid: options.sessionId ?? randomUUID(), iat: now, exp: now + (options.expiresIn ?? 300) },
    key,
    {
      algorithm: accessTokenAlgorithm,
      keyid: kid,
      subject: options.userId ?? randomUUID(),
      jwtid: options.tokenId ?? randomUUID(),
      issuer: options.issuer,
    },
  );
}

async function serveJwks(jwks: JsonWebKeySet) {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(jwks));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    jwksUrl: `http://127.0.0.1:${port}/jwks`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
