import { describe, test, beforeAll, afterAll, afterEach, expect } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Knex } from '@tulity/adapters/postgres/database';
import { testDatabase } from '@tulity/adapters/testing/kit';
import { proxyTrust } from '../src/adapters/http/client-address';
import { createLoginThrottle } from '../src/adapters/postgres/login-throttle';
import type { ThrottleKey } from '../src/application/ports';
import { defaultConfig, migrations, type AccountsConfig } from '../src/main';
import { adminPassword, callFrom, logIn, register, startAccounts, type Harness } from './harness';

const rule = { maxAttempts: 5, windowMs: 60_000 };
const start = new Date('2026-01-01T00:00:00Z');
const at = (ms: number) => new Date(start.getTime() + ms);
const key = (prefix: string, onSuccess: ThrottleKey['onSuccess'] = 'release', keyRule = rule): ThrottleKey => ({
  key: `${prefix}:${randomUUID()}`,
  rule: keyRule,
  onSuccess,
});

describe('the login throttle in Postgres', () => {
  let db: Knex;
  beforeAll(async () => {
    db = await testDatabase('accounts', migrations);
  });
  afterAll(() => db.destroy());

  test('concurrent reservations never pass the limit, from however many replicas', async () => {
    const replicas = [createLoginThrottle(db), createLoginThrottle(db), createLoginThrottle(db)];
    const account = key('account');

    const waits = await Promise.all(Array.from({ length: 12 }, (_, i) => replicas[i % 3]!.reserve([account], at(0))));

    expect(waits.filter((wait) => wait === 0).length).toBe(5);
    expect((await db('login_attempts').where({ key: account.key }).first()).attempts).toBe(5);
  });

  test('all keys or none: when one key must wait, no other key is counted', async () => {
    const throttle = createLoginThrottle(db);
    const exhausted = key('pair');
    const other = key('account');
    for (let i = 0; i < 5; i++) await throttle.reserve([exhausted], at(0));

    expect(await throttle.reserve([other, exhausted], at(1000))).toBe(59_000);
    expect((await db('login_attempts').where({ key: other.key }).first())?.attempts ?? 0).toBe(0);
  });

  test('a window that ended starts again at one check', async () => {
    const throttle = createLoginThrottle(db);
    const address = key('address');
    for (let i = 0; i < 5; i++) await throttle.reserve([address], at(0));

    expect(await throttle.reserve([address], at(61_000))).toBe(0);
    expect((await db('login_attempts').where({ key: address.key }).first()).attempts).toBe(1);
  });

  test("a correct password forgets the pair's count and gives the account its check back", async () => {
    const throttle = createLoginThrottle(db);
    const pair = key('pair', 'forget');
    const account = key('account', 'release');
    for (let i = 0; i < 3; i++) await throttle.reserve([pair, account], at(i));

    await throttle.succeeded([pair, account]);

    expect(await db('login_attempts').where({ key: pair.key }).first()).toBeUndefined();
    expect((await db('login_attempts').where({ key: account.key }).first()).attempts).toBe(2);
  });
});

describe('login limits over HTTP', () => {
  let h: Harness | undefined;
  const start = async (config: Partial<AccountsConfig> = {}) => (h = await startAccounts(config));
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });
  const loginBody = (username: string, password = 'a wrong guess') => ({ body: { username, password } });
  const from = (address: string) => ({ headers: { 'x-forwarded-for': address } });
  const attempt = (h: Harness, username: string, address: string, password?: string) =>
    h.call('POST', '/api/v1/auth/login', { ...loginBody(username, password), ...from(address) });

  test('X-Forwarded-For is believed only from a trusted proxy: invented addresses do not reset the per-address limit', async () => {
    const h = await start({ trustedProxies: proxyTrust('127.0.0.1') });
    const statuses = [];
    for (let i = 0; i <= defaultConfig.throttleRules.perAddress.maxAttempts; i++) {
      // A client at 127.0.0.2 (not a proxy) invents a new forwarded address for every guess.
      const answer = await callFrom('127.0.0.2', h.url, 'POST', '/api/v1/auth/login', {
        ...loginBody(`spray${i}`),
        headers: { 'x-forwarded-for': `203.0.113.${i}` },
      });
      statuses.push(answer.status);
    }
    const elsewhere = await callFrom(
      '127.0.0.3',
      h.url,
      'POST',
      '/api/v1/auth/login',
      loginBody('admin', adminPassword),
    );
    const throughTheProxy = await h.call('POST', '/api/v1/auth/login', {
      ...loginBody('admin', adminPassword),
      ...from('127.0.0.2'),
    });
    const anotherClientOfTheProxy = await h.call('POST', '/api/v1/auth/login', {
      ...loginBody('admin', adminPassword),
      ...from('198.51.100.9'),
    });

    expect(statuses.slice(0, -1).every((status) => status === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    expect(elsewhere.status).toBe(200);
    // The proxy vouches for the address it appends: the blocked client stays blocked behind it, another is served.
    expect(throughTheProxy.status).toBe(429);
    expect(anotherClientOfTheProxy.status).toBe(200);
  });

  test('12 parallel wrong passwords for one account from one address: at most 5 are checked, the rest are 429', async () => {
    const h = await start();
    const victim = await register(h, (await logIn(h, 'admin', adminPassword)).accessToken, 'cashier');
    const checkedBefore = h.verifications();

    const answers = await Promise.all(Array.from({ length: 12 }, () => attempt(h, victim.username, '203.0.113.50')));

    const checked = h.verifications() - checkedBefore;
    expect(checked).toBeGreaterThanOrEqual(1);
    expect(checked).toBeLessThanOrEqual(defaultConfig.throttleRules.perPair.maxAttempts);
    expect(answers.filter((a) => a.status === 401).length).toBe(checked);
    expect(answers.filter((a) => a.status === 429).length).toBe(12 - checked);
  });

  test("12 parallel wrong passwords for one account from 12 addresses: exactly the account's limit is checked", async () => {
    const h = await start({
      throttleRules: { ...defaultConfig.throttleRules, perAccount: { maxAttempts: 5, windowMs: 60 * 60_000 } },
    });
    const victim = await register(h, (await logIn(h, 'admin', adminPassword)).accessToken, 'cashier');
    const checkedBefore = h.verifications();

    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => attempt(h, victim.username, `203.0.113.${100 + i}`)),
    );

    expect(h.verifications() - checkedBefore).toBe(5);
    expect(answers.map((a) => a.status).sort()).toEqual([...Array(5).fill(401), ...Array(7).fill(429)]);
  });

  test('an attacker failing again and again is slowed, then blocked, and the owner still logs in from elsewhere', async () => {
    // The production rule with a shorter first delay, so the test waits less than 2 s.
    const h = await start({
      throttleRules: {
        ...defaultConfig.throttleRules,
        perPair: { ...defaultConfig.throttleRules.perPair, delayMs: 200 },
      },
    });
    const victim = await register(h, (await logIn(h, 'admin', adminPassword)).accessToken, 'admin');
    const attacker = '203.0.113.66';

    expect((await attempt(h, victim.username, attacker)).status).toBe(401);
    expect((await attempt(h, victim.username, attacker)).status).toBe(401);
    const slowed = await attempt(h, victim.username, attacker);
    expect({ status: slowed.status, retryAfter: slowed.headers.get('retry-after') }).toEqual({
      status: 429,
      retryAfter: '1',
    });
    // Five wrong guesses, waiting out each delay: then the pair is blocked, whatever it sends.
    for (const delayMs of [200, 400, 800]) {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      expect((await attempt(h, victim.username, attacker)).status).toBe(401);
    }
    const blocked = await attempt(h, victim.username, attacker, victim.password);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(800);

    const owner = await attempt(h, victim.username, '198.51.100.20', victim.password);
    expect(owner.status).toBe(200);
  });

  test('the account-wide bound holds against guesses spread over many addresses', async () => {
    const h = await start({
      throttleRules: { ...defaultConfig.throttleRules, perAccount: { maxAttempts: 8, windowMs: 60 * 60_000 } },
    });
    const victim = await register(h, (await logIn(h, 'admin', adminPassword)).accessToken, 'cashier');
    for (let i = 0; i < 8; i++) expect((await attempt(h, victim.username, `203.0.113.${i}`)).status).toBe(401);
    const checked = h.verifications();

    expect((await attempt(h, victim.username, '203.0.113.200')).status).toBe(429);
    expect((await attempt(h, victim.username, '198.51.100.21', victim.password)).status).toBe(429);
    expect(h.verifications()).toBe(checked);
  });
});
