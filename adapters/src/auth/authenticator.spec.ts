import { describe, test, beforeAll, expect } from '@jest/globals';
import { createPublicKey, createHmac, randomUUID } from 'node:crypto';
import {
  AuthenticationError,
  createAuthenticator,
  type AuthFailure,
  type JsonWebKeySet,
  type RevocationCheck,
} from './authenticator';
import { createTestIssuer, memoryRevocations, noRevocations, type TestIssuer } from './testing';

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

async function refusal(promise: Promise<unknown>): Promise<AuthFailure> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AuthenticationError);
    return (error as AuthenticationError).reason;
  }
  throw new Error('the token was accepted');
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

    expect(principal.userId).toBe(userId);
    expect(principal.role).toBe('manager');
    expect(principal.tokenId).toBe('t-1');
    expect(principal.sessionId).toBe('s-1');
    expect(principal.expiresAt).toBeGreaterThan(Date.now());
  });

  test('refuses alg none', async () => {
    const claims = JSON.parse(
      Buffer.from((await issuer.mint({ role: 'admin' })).split('.')[1]!, 'base64url').toString(),
    );
    const token = `${base64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${base64url(JSON.stringify(claims))}.`;

    expect(await refusal(issuer.authenticator().verify(token))).toBe('invalid');
  });

  test('refuses HS256 signed with the public key as the HMAC secret', async () => {
    const publicPem = createPublicKey({ key: issuer.jwks.keys[0] as any, format: 'jwk' }).export({
      type: 'spki',
      format: 'pem',
    });
    const now = Math.floor(Date.now() / 1000);
    const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: issuer.kid }));
    const payload = base64url(
      JSON.stringify({ sub: 'u', role: 'admin', jti: 'j', sid: 's', iss: issuer.issuer, iat: now, exp: now + 60 }),
    );
    const signature = createHmac('sha256', publicPem).update(`${header}.${payload}`).digest('base64url');

    expect(await refusal(issuer.authenticator().verify(`${header}.${payload}.${signature}`))).toBe('invalid');
  });

  test('refuses an expired token as expired', async () => {
    const token = await issuer.mint({ role: 'cashier', expiresIn: -60 });

    expect(await refusal(issuer.authenticator().verify(token))).toBe('expired');
  });

  test('refuses a token without exp', async () => {
    const token = await issuer.sign({
      sub: 'u',
      role: 'admin',
      jti: 'j',
      sid: 's',
      iss: issuer.issuer,
      iat: Math.floor(Date.now() / 1000),
    });

    expect(await refusal(issuer.authenticator().verify(token))).toBe('invalid');
  });

  test('refuses a token issued in the future beyond the clock skew, and accepts one within it', async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: 'u', role: 'admin', jti: 'j', sid: 's', iss: issuer.issuer };
    const future = await issuer.sign({ ...claims, iat: now + 3600, exp: now + 3600 + 300 });
    const slightlyAhead = await issuer.sign({ ...claims, iat: now + 30, exp: now + 330 });

    expect(await refusal(issuer.authenticator().verify(future))).toBe('invalid');
    expect((await issuer.authenticator().verify(slightlyAhead)).role).toBe('admin');
  });

  test('refuses a token whose lifetime is longer than any access token lives', async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: 'u', role: 'admin', jti: 'j', sid: 's', iss: issuer.issuer, iat: now };
    const forAYear = await issuer.sign({ ...claims, exp: now + 365 * 86_400 });
    const forAnHour = await issuer.sign({ ...claims, exp: now + 3600 });
    const strict = createAuthenticator({
      jwks: issuer.jwks,
      issuer: issuer.issuer,
      revocations: noRevocations,
      maxTokenLifetimeSeconds: 1800,
    });

    expect(await refusal(issuer.authenticator().verify(forAYear))).toBe('invalid');
    expect((await issuer.authenticator().verify(forAnHour)).role).toBe('admin');
    expect(await refusal(strict.verify(forAnHour))).toBe('invalid');
  });

  test('refuses a tampered payload', async () => {
    const [header, payload, signature] = (await issuer.mint({ role: 'cashier' })).split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const forged = base64url(JSON.stringify({ ...claims, role: 'admin' }));

    expect(await refusal(issuer.authenticator().verify(`${header}.${forged}.${signature}`))).toBe('invalid');
  });

  test('refuses another issuer and a role it does not know', async () => {
    const foreign = await issuer.mint({ role: 'admin', issuer: 'someone-else' });
    const strangeRole = await issuer.mint({ role: 'owner' as never });

    expect(await refusal(issuer.authenticator().verify(foreign))).toBe('invalid');
    expect(await refusal(issuer.authenticator().verify(strangeRole))).toBe('invalid');
  });

  test('refuses a token signed by a key the JWKS does not hold', async () => {
    const stranger = await createTestIssuer(issuer.issuer);
    const token = await stranger.mint({ role: 'admin' });

    expect(await refusal(issuer.authenticator().verify(token))).toBe('invalid');
  });

  test('refuses a revoked token and session', async () => {
    const revocations = memoryRevocations();
    const authenticator = issuer.authenticator(revocations);
    const token = await issuer.mint({ role: 'cashier', tokenId: 'revoked-token' });
    const sessionToken = await issuer.mint({ role: 'cashier', sessionId: 'revoked-session' });
    revocations.revokeToken('revoked-token');
    revocations.revokeSession('revoked-session');

    expect(await refusal(authenticator.verify(token))).toBe('revoked');
    expect(await refusal(authenticator.verify(sessionToken))).toBe('revoked');
  });
});

describe('createAuthenticator with a remote JWKS', () => {
  test('fetches the keys once and refetches on an unknown kid, so a rotated key works without a restart', async () => {
    const first = await createTestIssuer();
    const second = await createTestIssuer(first.issuer);
    const published: JsonWebKeySet = { keys: [...first.jwks.keys] };
    const server = await serveCounting(() => published);
    try {
      const authenticator = createAuthenticator({
        jwksUrl: server.url,
        issuer: first.issuer,
        revocations: noRevocations,
        refetchCooldownMs: 0,
      });
      await authenticator.verify(await first.mint({ role: 'admin' }));
      await authenticator.verify(await first.mint({ role: 'admin' }));
      expect(server.fetches()).toBe(1);

      published.keys.push(...second.jwks.keys);
      const principal = await authenticator.verify(await second.mint({ role: 'cashier' }));

      expect(principal.role).toBe('cashier');
      expect(server.fetches()).toBe(2);
    } finally {
      await server.close();
    }
  });

  test('does not refetch for every unknown kid while cooling down', async () => {
    const known = await createTestIssuer();
    const stranger = await createTestIssuer(known.issuer);
    const server = await serveCounting(() => known.jwks);
    try {
      const authenticator = createAuthenticator({
        jwksUrl: server.url,
        issuer: known.issuer,
        revocations: noRevocations,
        refetchCooldownMs: 60_000,
      });
      await authenticator.verify(await known.mint({ role: 'admin' }));
      for (let i = 0; i < 5; i++) {
        expect(await refusal(authenticator.verify(await stranger.mint({ role: 'admin' })))).toBe('invalid');
      }

      expect(server.fetches()).toBe(1);
    } finally {
      await server.close();
    }
  });

  test('says the keys are unavailable, not that the token is bad, when accounts cannot be reached', async () => {
    const issuer = await createTestIssuer();
    const server = await serveCounting(() => issuer.jwks);
    await server.close();
    const authenticator = createAuthenticator({
      jwksUrl: server.url,
      issuer: issuer.issuer,
      revocations: noRevocations,
    });

    expect(await refusal(authenticator.verify(await issuer.mint({ role: 'admin' })))).toBe('keys-unavailable');
  });
});

describe('createAuthenticator with an in-process key set', () => {
  test('verifies with the loaded keys and reports a failing loader as keys unavailable', async () => {
    const issuer = await createTestIssuer();
    const working = createAuthenticator({
      keySet: async () => issuer.jwks,
      issuer: issuer.issuer,
      revocations: noRevocations,
    });
    const failing = createAuthenticator({
      keySet: async () => {
        throw new Error('database down');
      },
      issuer: issuer.issuer,
      revocations: noRevocations,
    });
    const token = await issuer.mint({ role: 'manager' });

    expect((await working.verify(token)).role).toBe('manager');
    expect(await refusal(failing.verify(token))).toBe('keys-unavailable');
  });
});

describe('createAuthenticator remembering verified tokens', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await createTestIssuer();
  });

  /** An authenticator over an in-process key set that counts its loads: one per signature check. */
  function counting(options: { verifiedTokens?: number; clock?: () => number; revocations?: RevocationCheck } = {}) {
    let loads = 0;
    const authenticator = createAuthenticator({
      keySet: async () => {
        loads++;
        return issuer.jwks;
      },
      issuer: issuer.issuer,
      revocations: options.revocations ?? noRevocations,
      verifiedTokens: options.verifiedTokens,
      clock: options.clock,
    });
    return { authenticator, loads: () => loads };
  }

  test('checks the signature of a token once and answers its principal again from memory', async () => {
    const { authenticator, loads } = counting();
    const token = await issuer.mint({ role: 'manager', tokenId: 'remembered' });

    const first = await authenticator.verify(token);
    const again = await authenticator.verify(token);

    expect(again).toEqual(first);
    expect(loads()).toBe(1);
  });

  test('still refuses a remembered token once it is revoked', async () => {
    const revocations = memoryRevocations();
    const { authenticator } = counting({ revocations });
    const token = await issuer.mint({ role: 'cashier', tokenId: 'revoked-later' });
    await authenticator.verify(token);

    revocations.revokeToken('revoked-later');

    expect(await refusal(authenticator.verify(token))).toBe('revoked');
  });

  test('refuses a remembered token as expired once its exp and the clock tolerance have passed', async () => {
    let now = Date.now();
    const { authenticator } = counting({ clock: () => now });
    const token = await issuer.mint({ role: 'cashier', expiresIn: 60 });
    await authenticator.verify(token);

    now += 66_000;

    expect(await refusal(authenticator.verify(token))).toBe('expired');
  });

  test('remembers at most the tokens it is told to, forgetting the oldest first', async () => {
    const { authenticator, loads } = counting({ verifiedTokens: 2 });
    const [oldest, middle, newest] = await Promise.all([1, 2, 3].map(() => issuer.mint({ role: 'cashier' })));
    for (const token of [oldest!, middle!, newest!]) await authenticator.verify(token);

    await authenticator.verify(newest!);
    await authenticator.verify(middle!);
    expect(loads()).toBe(3);
    await authenticator.verify(oldest!);
    expect(loads()).toBe(4);
  });

  test('remembers nothing when told so', async () => {
    const { authenticator, loads } = counting({ verifiedTokens: 0 });
    const token = await issuer.mint({ role: 'admin' });

    await authenticator.verify(token);
    await authenticator.verify(token);

    expect(loads()).toBe(2);
  });
});

async function serveCounting(jwks: () => JsonWebKeySet) {
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
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
