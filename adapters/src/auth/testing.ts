import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JSONWebKeySet } from 'jose';
import { accessTokenAlgorithm, createAuthenticator, type Authenticator, type Principal, type RevocationCheck, type Role } from './authenticator';

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
  jwks: JSONWebKeySet;
  mint(options: MintOptions): Promise<string>;
  /** Signs exactly these claims with the issuer's key and kid, adding none: for tokens missing a claim. */
  sign(claims: Record<string, unknown>): Promise<string>;
  /** An authenticator that trusts this issuer's keys directly, without HTTP. */
  authenticator(revocations?: RevocationCheck): Authenticator;
  /** Serves the JWKS over HTTP on a free port, for tests of the remote key path. */
  serve(): Promise<{ jwksUrl: string; close(): Promise<void> }>;
}

/** Revokes nothing: for tests that are not about revocation. */
export const noRevocations: RevocationCheck = { isRevoked: async () => false };

/** Revokes the tokens and sessions you name: for unit tests without a database. */
export function memoryRevocations(): RevocationCheck & { revokeToken(id: string): void; revokeSession(id: string): void } {
  const tokens = new Set<string>();
  const sessions = new Set<string>();
  return {
    isRevoked: async (principal: Principal) => tokens.has(principal.tokenId) || sessions.has(principal.sessionId),
    revokeToken: (id) => void tokens.add(id),
    revokeSession: (id) => void sessions.add(id),
  };
}

export async function createTestIssuer(issuer = 'tulity-accounts'): Promise<TestIssuer> {
  const { privateKey, publicKey } = await generateKeyPair(accessTokenAlgorithm, { extractable: true });
  const kid = randomUUID();
  const jwks: JSONWebKeySet = { keys: [{ ...(await exportJWK(publicKey)), kid, alg: accessTokenAlgorithm, use: 'sig' }] };
  return {
    issuer,
    kid,
    jwks,
    mint: (options) => mintToken(privateKey, kid, { issuer, ...options }),
    sign: (claims) => new SignJWT(claims).setProtectedHeader({ alg: accessTokenAlgorithm, kid, typ: 'JWT' }).sign(privateKey),
    authenticator: (revocations = noRevocations) => createAuthenticator({ jwks, issuer, revocations }),
    serve: () => serveJwks(jwks),
  };
}

async function mintToken(key: CryptoKey, kid: string, options: MintOptions & { issuer: string }): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role: options.role, sid: options.sessionId ?? randomUUID() })
    .setProtectedHeader({ alg: accessTokenAlgorithm, kid, typ: 'JWT' })
    .setSubject(options.userId ?? randomUUID())
    .setJti(options.tokenId ?? randomUUID())
    .setIssuer(options.issuer)
    .setIssuedAt(now)
    .setExpirationTime(now + (options.expiresIn ?? 300))
    .sign(key);
}

async function serveJwks(jwks: JSONWebKeySet) {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(jwks));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    jwksUrl: `http://127.0.0.1:${port}/jwks`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
