import { describe, test, beforeAll, afterAll, expect } from '@jest/globals';
import assert from 'node:assert/strict';
import Router from '@koa/router';
import { createHttpApp } from '../http/app';
import { listen, type RunningServer } from '../http/server';
import { createLogger } from '../logger';
import { createMetrics } from '../metrics';
import { authenticate, requireRole, type AuthState } from './middleware';
import { createTestIssuer, type TestIssuer } from './testing';

describe('authenticate and requireRole', () => {
  let issuer: TestIssuer;
  let server: RunningServer;
  let url: string;

  beforeAll(async () => {
    issuer = await createTestIssuer();
    const router = new Router<AuthState>();
    router.use(authenticate(issuer.authenticator()));
    router.get('/whoami', (ctx) => {
      ctx.body = { userId: ctx.state.principal.userId };
    });
    router.get('/admin-only', requireRole('admin'), (ctx) => {
      ctx.body = { ok: true };
    });
    const app = createHttpApp({ service: 'auth-test', logger: createLogger('auth-test'), metrics: createMetrics('auth-test'), routers: [router as unknown as Router] });
    server = await listen(app, 0);
    url = `http://127.0.0.1:${server.port}`;
  });
  afterAll(() => server.close());

  test('puts the principal on the state for a valid token', async () => {
    const token = await issuer.mint({ role: 'cashier', userId: 'user-7' });

    const response = await fetch(`${url}/whoami`, { headers: { authorization: `Bearer ${token}` } });

    assert.equal(response.status, 200);
    expect(await response.json()).toEqual({ userId: 'user-7' });
  });

  test('answers 401 problem+json with a Bearer challenge without a token', async () => {
    const response = await fetch(`${url}/whoami`);

    assert.equal(response.status, 401);
    assert.equal(response.headers.get('content-type'), 'application/problem+json');
    assert.equal(response.headers.get('www-authenticate'), 'Bearer');
    assert.equal(((await response.json()) as { code: string }).code, 'AUTH.UNAUTHENTICATED');
  });

  test('answers 401 for a malformed header and an expired token', async () => {
    const expired = await issuer.mint({ role: 'admin', expiresIn: -60 });

    const malformed = await fetch(`${url}/whoami`, { headers: { authorization: 'Basic abc' } });
    const late = await fetch(`${url}/whoami`, { headers: { authorization: `Bearer ${expired}` } });

    assert.equal(malformed.status, 401);
    assert.equal(late.status, 401);
    assert.equal(((await late.json()) as { code: string }).code, 'AUTH.TOKEN_EXPIRED');
  });

  test('answers 403 for a role that is not allowed, and lets the allowed one through', async () => {
    const cashier = await issuer.mint({ role: 'cashier' });
    const admin = await issuer.mint({ role: 'admin' });

    const refused = await fetch(`${url}/admin-only`, { headers: { authorization: `Bearer ${cashier}` } });
    const allowed = await fetch(`${url}/admin-only`, { headers: { authorization: `Bearer ${admin}` } });

    assert.equal(refused.status, 403);
    assert.equal(((await refused.json()) as { code: string }).code, 'AUTH.FORBIDDEN');
    assert.equal(allowed.status, 200);
  });
});
