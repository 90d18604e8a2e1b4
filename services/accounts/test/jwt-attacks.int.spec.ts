import { describe, test, beforeAll, afterAll, expect } from '@jest/globals';
import { createHmac, createPublicKey, generateKeyPairSync, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { issuer } from '../src/main';
import { adminPassword, logIn, register, startAccounts, type Harness, type Session } from './harness';

const b64 = (value: object | string) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const strangerKey = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });

describe('JWT attacks on accounts: every one is a 401', () => {
  let h: Harness;
  let admin: Session;
  let claims: Record<string, unknown>;
  beforeAll(async () => {
    h = await startAccounts();
    admin = await logIn(h, 'admin', adminPassword);
    claims = jwt.decode(admin.accessToken) as Record<string, unknown>;
  });
  afterAll(() => h.close());

  /** Signs with accounts' real active key, so only the claim under test is wrong. */
  async function signWithRealKey(payload: Record<string, unknown>, kid?: string) {
    const { kid: realKid, key } = await h.keys.active();
    return jwt.sign(payload, key, { algorithm: 'ES256', keyid: kid ?? realKid });
  }

  async function assertRefused(token: string, code = 'AUTH.TOKEN_INVALID') {
    const answer = await h.call('GET', '/api/v1/users', { token });
    expect({ status: answer.status, code: answer.body.code }).toEqual({ status: 401, code });
    expect(answer.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
  }

  test('the genuine token is accepted (the baseline the attacks are measured against)', async () => {
    expect((await h.call('GET', '/api/v1/users', { token: admin.accessToken })).status).toBe(200);
    expect((await h.call('GET', '/api/v1/users', { token: await signWithRealKey(claims) })).status).toBe(200);
  });

  test('alg: none', async () => {
    await assertRefused(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`);
  });

  test('HS256 signed with the public key as the HMAC secret', async () => {
    const { keys } = (await h.call('GET', '/api/v1/auth/jwks')).body;
    for (const format of ['pem', 'jwk-json'] as const) {
      const secret =
        format === 'pem'
          ? createPublicKey({ key: keys[0], format: 'jwk' }).export({ type: 'spki', format: 'pem' })
          : JSON.stringify(keys[0]);
      const header = b64({ alg: 'HS256', typ: 'JWT', kid: keys[0].kid });
      const body = b64(claims);
      const signature = createHmac('sha256', secret).update(`${header}.${body}`).digest('base64url');
      await assertRefused(`${header}.${body}.${signature}`);
    }
  });

  test('expired', async () => {
    const now = Math.floor(Date.now() / 1000);
    await assertRefused(await signWithRealKey({ ...claims, iat: now - 3600, exp: now - 60 }), 'AUTH.TOKEN_EXPIRED');
  });

  test('without exp', async () => {
    const { exp: _exp, ...withoutExp } = claims;
    await assertRefused(await signWithRealKey(withoutExp));
  });

  test('tampered payload: a cashier rewrites their role to admin', async () => {
    const cashier = await register(h, admin.accessToken, 'cashier');
    const session = await logIn(h, cashier.username, cashier.password);
    const [header, payload, signature] = session.accessToken.split('.');
    const forged = b64({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), role: 'admin' });

    await assertRefused(`${header}.${forged}.${signature}`);
  });

  test('unknown kid, and a foreign key that claims the real kid', async () => {
    const { privateKey } = strangerKey();
    const { kid } = await h.keys.active();
    const unknownKid = jwt.sign(claims, privateKey, { algorithm: 'ES256', keyid: randomUUID() });
    const stolenKid = jwt.sign(claims, privateKey, { algorithm: 'ES256', keyid: kid });
    const realKeyUnknownKid = await signWithRealKey(claims, 'not-a-published-kid');

    await assertRefused(unknownKid);
    await assertRefused(stolenKid);
    await assertRefused(realKeyUnknownKid);
  });

  test('an embedded key in the header is not trusted', async () => {
    const { privateKey, publicKey } = strangerKey();
    const token = jwt.sign(claims, privateKey, {
      algorithm: 'ES256',
      header: { alg: 'ES256', jwk: publicKey.export({ format: 'jwk' }) } as jwt.JwtHeader,
    });

    await assertRefused(token);
  });

  test('another issuer, and a role or session claim missing', async () => {
    const { sid: _sid, ...withoutSid } = claims;
    await assertRefused(await signWithRealKey({ ...claims, iss: 'someone-else' }));
    await assertRefused(await signWithRealKey({ ...claims, role: 'superuser' }));
    await assertRefused(await signWithRealKey(withoutSid));
    expect(claims.iss).toBe(issuer);
  });

  test("a deleted user's token", async () => {
    const doomed = await register(h, admin.accessToken, 'manager');
    const session = await logIn(h, doomed.username, doomed.password);
    expect((await h.call('GET', '/api/v1/users', { token: session.accessToken })).status).toBe(200);

    await h.call('DELETE', `/api/v1/users/${doomed.id}`, { token: admin.accessToken });

    await assertRefused(session.accessToken, 'AUTH.TOKEN_REVOKED');
  });

  test('a token after logout', async () => {
    const session = await logIn(h, 'admin', adminPassword);
    expect((await h.call('GET', '/api/v1/users', { token: session.accessToken })).status).toBe(200);

    await h.call('POST', '/api/v1/auth/logout', { token: session.accessToken });

    await assertRefused(session.accessToken, 'AUTH.TOKEN_REVOKED');
  });

  test('garbage in the Authorization header', async () => {
    for (const value of [
      'Bearer',
      'Bearer ',
      'Bearer a.b',
      'Bearer a.b.c',
      `Basic ${b64('admin:x')}`,
      `Bearer ${'x'.repeat(10_000)}`,
    ]) {
      const answer = await h.call('GET', '/api/v1/users', { headers: { authorization: value } });
      expect({ value: value.slice(0, 20), status: answer.status }).toEqual({ value: value.slice(0, 20), status: 401 });
    }
  });

  test('issued in the future, or living longer than accounts ever lets a token live', async () => {
    const now = Math.floor(Date.now() / 1000);
    await assertRefused(await signWithRealKey({ ...claims, iat: now + 3600, exp: now + 3600 + 900 }));
    await assertRefused(await signWithRealKey({ ...claims, iat: now, exp: now + 365 * 86_400 }));
  });
});
