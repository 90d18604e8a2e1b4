import { describe, test, beforeAll, afterAll, expect } from '@jest/globals';
import { Router } from '../http/router';
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
    const app = createHttpApp({
      service: 'auth-test',
      logger: createLogger('auth-test'),
      metrics: createMetrics('auth-test'),
      routers: [router],
    });
    server = await listen(app, 0);
    url = `http://127.0.0.1:${server.port}`;
  });
  afterAll(() => server.close());

  test('puts the principal on the state for a valid token', async () => {
    const token = await issuer.mint({ role: 'cashier', userId: 'user-7' });

    const response = await fetch(`${url}/whoami`, { headers: { authorization: `Bearer ${token}` } });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ userId: 'user-7' });
  });

  test('answers 401 problem+json with a Bearer challenge without a token', async () => {
    const response = await fetch(`${url}/whoami`);

    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(((await response.json()) as { code: string }).code).toBe('AUTH.UNAUTHENTICATED');
  });

  test('answers 401 for a malformed header and an expired token', async () => {
    const expired = await issuer.mint({ role: 'admin', expiresIn: -60 });

    const malformed = await fetch(`${url}/whoami`, { headers: { authorization: 'Basic abc' } });
    const late = await fetch(`${url}/whoami`, { headers: { authorization: `Bearer ${expired}` } });

    expect(malformed.status).toBe(401);
    expect(late.status).toBe(401);
    expect(((await late.json()) as { code: string }).code).toBe('AUTH.TOKEN_EXPIRED');
  });

  test('answers 403 for a role that is not allowed, and lets the allowed one through', async () => {
    const cashier = await issuer.mint({ role: 'cashier' });
    const admin = await issuer.mint({ role: 'admin' });

    const refused = await fetch(`${url}/admin-only`, { headers: { authorization: `Bearer ${cashier}` } });
    const allowed = await fetch(`${url}/admin-only`, { headers: { authorization: `Bearer ${admin}` } });

    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { code: string }).code).toBe('AUTH.FORBIDDEN');
    expect(allowed.status).toBe(200);
  });
});
