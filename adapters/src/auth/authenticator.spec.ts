import { describe, test, beforeAll } from '@jest/globals';
import assert from 'node:assert/strict';
import { createPublicKey, createHmac, randomUUID } from 'node:crypto';
import type { JSONWebKeySet } from 'jose';
import { AuthenticationError, createAuthenticator, type AuthFailure } from './authenticator';
import { createTestIssuer, memoryRevocations, noRevocations, type TestIssuer } from './testing';

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

async function refusal(promise: Promise<unknown>): Promise<AuthFailure> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof AuthenticationError, `expected an AuthenticationError, got ${String(error)}`);
    return error.reason;
  }
  assert.fail('the token was accepted');
}

describe('createAuthenticator', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await createTestIssuer();
  });

  test('accepts a token of the issuer and returns its principal', async () => {
    const userId = randomUUID();
    const token = await issuer.mint({ role: 'manager', userId, sessionId: 's-1', tokenId: 't-1' });

    const principal = await issuer.authenticator().verify(token);

    assert.equal(principal.userId, userId);
    assert.equal(principal.role, 'manager');
    assert.equal(principal.tokenId, 't-1');
    assert.equal(principal.sessionId, 's-1');
    assert.ok(principal.expiresAt > Date.now());
  });

  test('refuses alg none', async () => {
    const claims = JSON.parse(Buffer.from((await issuer.mint({ role: 'admin' })).split('.')[1]!, 'base64url').toString());
    const token = `${base64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${base64url(JSON.stringify(claims))}.`;

    assert.equal(await refusal(issuer.authenticator().verify(token)), 'invalid');
  });

  test('refuses HS256 signed with the public key as the HMAC secret', async () => {
    const publicPem = createPublicKey({ key: issuer.jwks.keys[0] as any, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
    const now = Math.floor(Date.now() / 1000);
    const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: issuer.kid }));
    const payload = base64url(JSON.stringify({ sub: 'u', role: 'admin', jti: 'j', sid: 's', iss: issuer.issuer, iat: now, exp: now + 60 }));
    const signature = createHmac('sha256', publicPem).update(`${header}.${payload}`).digest('base64url');

    assert.equal(await refusal(issuer.authenticator().verify(`${header}.${payload}.${signature}`)), 'invalid');
  });

  test('refuses an expired token as expired', async () => {
    const token = await issuer.mint({ role: 'cashier', expiresIn: -60 });

    assert.equal(await refusal(issuer.authenticator().verify(token)), 'expired');
  });

  test('refuses a token without exp', async () => {
    const token = await issuer.sign({ sub: 'u', role: 'admin', jti: 'j', sid: 's', iss: issuer.issuer, iat: Math.floor(Date.now() / 1000) });

    assert.equal(await refusal(issuer.authenticator().verify(token)), 'invalid');
  });

  test('refuses a tampered payload', async () => {
    const [header, payload, signature] = (await issuer.mint({ role: 'cashier' })).split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const forged = base64url(JSON.stringify({ ...claims, role: 'admin' }));

    assert.equal(await refusal(issuer.authenticator().verify(`${header}.${forged}.${signature}`)), 'invalid');
  });

  test('refuses another issuer and a role it does not know', async () => {
    const foreign = await issuer.mint({ role: 'admin', issuer: 'someone-else' });
    const strangeRole = await issuer.mint({ role: 'owner' as never });

    assert.equal(await refusal(issuer.authenticator().verify(foreign)), 'invalid');
    assert.equal(await refusal(issuer.authenticator().verify(strangeRole)), 'invalid');
  });

  test('refuses a token signed by a key the JWKS does not hold', async () => {
    const stranger = await createTestIssuer(issuer.issuer);
    const token = await stranger.mint({ role: 'admin' });

    assert.equal(await refusal(issuer.authenticator().verify(token)), 'invalid');
  });

  test('refuses a revoked token and session', async () => {
    const revocations = memoryRevocations();
    const authenticator = issuer.authenticator(revocations);
    const token = await issuer.mint({ role: 'cashier', tokenId: 'revoked-token' });
    const sessionToken = await issuer.mint({ role: 'cashier', sessionId: 'revoked-session' });
    revocations.revokeToken('revoked-token');
    revocations.revokeSession('revoked-session');

    assert.equal(await refusal(authenticator.verify(token)), 'revoked');
    assert.equal(await refusal(authenticator.verify(sessionToken)), 'revoked');
  });
});

describe('createAuthenticator with a remote JWKS', () => {
  test('fetches the keys once and refetches on an unknown kid, so a rotated key works without a restart', async () => {
    const first = await createTestIssuer();
    const second = await createTestIssuer(first.issuer);
    const published: JSONWebKeySet = { keys: [...first.jwks.keys] };
    const server = await serveCounting(() => published);
    try {
      const authenticator = createAuthenticator({ jwksUrl: server.url, issuer: first.issuer, revocations: noRevocations, refetchCooldownMs: 0 });
      await authenticator.verify(await first.mint({ role: 'admin' }));
      await authenticator.verify(await first.mint({ role: 'admin' }));
      assert.equal(server.fetches(), 1);

      published.keys.push(...second.jwks.keys);
      const principal = await authenticator.verify(await second.mint({ role: 'cashier' }));

      assert.equal(principal.role, 'cashier');
      assert.equal(server.fetches(), 2);
    } finally {
      await server.close();
    }
  });

  test('does not refetch for every unknown kid while cooling down', async () => {
    const known = await createTestIssuer();
    const stranger = await createTestIssuer(known.issuer);
    const server = await serveCounting(() => known.jwks);
    try {
      const authenticator = createAuthenticator({ jwksUrl: server.url, issuer: known.issuer, revocations: noRevocations, refetchCooldownMs: 60_000 });
      await authenticator.verify(await known.mint({ role: 'admin' }));
      for (let i = 0; i < 5; i++) {
        assert.equal(await refusal(authenticator.verify(await stranger.mint({ role: 'admin' }))), 'invalid');
      }

      assert.equal(server.fetches(), 1);
    } finally {
      await server.close();
    }
  });

  test('says the keys are unavailable, not that the token is bad, when accounts cannot be reached', async () => {
    const issuer = await createTestIssuer();
    const server = await serveCounting(() => issuer.jwks);
    await server.close();
    const authenticator = createAuthenticator({ jwksUrl: server.url, issuer: issuer.issuer, revocations: noRevocations });

    assert.equal(await refusal(authenticator.verify(await issuer.mint({ role: 'admin' }))), 'keys-unavailable');
  });
});

describe('createAuthenticator with an in-process key set', () => {
  test('verifies with the loaded keys and reports a failing loader as keys unavailable', async () => {
    const issuer = await createTestIssuer();
    const working = createAuthenticator({ keySet: async () => issuer.jwks, issuer: issuer.issuer, revocations: noRevocations });
    const failing = createAuthenticator({ keySet: async () => { throw new Error('database down'); }, issuer: issuer.issuer, revocations: noRevocations });
    const token = await issuer.mint({ role: 'manager' });

    assert.equal((await working.verify(token)).role, 'manager');
    assert.equal(await refusal(failing.verify(token)), 'keys-unavailable');
  });
});

async function serveCounting(jwks: () => JSONWebKeySet) {
  const http = await import('node:http');
  let count = 0;
  const server = http.createServer((_req, res) => {
    count++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(jwks()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/api/v1/auth/jwks`,
    fetches: () => count,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
