import { describe, test, beforeAll, afterAll, expect } from '@jest/globals';
import { adminPassword, logIn, register, startAccounts, type Harness, type Session } from './harness';

interface Case {
  name: string;
  method: string;
  path: string;
  /** Sent as JSON; a string is sent as it is. */
  body?: unknown;
  contentType?: string;
  status: number;
  /** The fields the 400 must name. */
  fields?: string[];
}

const tablesThatMustNotChange = [
  'users',
  'sessions',
  'refresh_tokens',
  'event_outbox',
  'auth_revocations',
  'login_attempts',
];

describe('bad input on every endpoint: a 4xx problem, never a 500, nothing written', () => {
  let h: Harness;
  let admin: Session;
  let cashierId: string;
  beforeAll(async () => {
    h = await startAccounts();
    admin = await logIn(h, 'admin', adminPassword);
    cashierId = (await register(h, admin.accessToken, 'cashier')).id;
  });
  afterAll(() => h.close());

  const counts = async () =>
    Object.fromEntries(
      await Promise.all(
        tablesThatMustNotChange.map(async (table) => {
          const rows = await h.db(table).count({ count: '*' });
          return [table, Number(rows[0]?.count)] as const;
        }),
      ),
    );

  function sweep(): Case[] {
    const user = `/api/v1/users/${cashierId}`;
    const bodyEndpoints: Array<[string, string, Record<string, unknown>]> = [
      ['POST', '/api/v1/auth/login', { username: 'admin', password: 'x' }],
      ['POST', '/api/v1/auth/refresh', { refreshToken: 'x' }],
      [
        'POST',
        '/api/v1/users',
        { username: 'valid.name', email: 'v@shop.test', fullName: 'V', role: 'cashier', password: 'a fine passphrase' },
      ],
      ['PATCH', user, { fullName: 'Valid' }],
    ];
    const cases: Case[] = [];
    for (const [method, path, valid] of bodyEndpoints) {
      cases.push(
        { name: 'malformed JSON', method, path, body: '{"username": "adm', status: 400 },
        { name: 'JSON that is not an object', method, path, body: '[1,2,3]', status: 400, fields: ['(root)'] },
        { name: 'null', method, path, body: 'null', status: 400, fields: ['(root)'] },
        { name: 'an unknown field', method, path, body: { ...valid, isAdmin: true }, status: 400, fields: ['isAdmin'] },
        { name: 'a body too large', method, path, body: { ...valid, padding: 'x'.repeat(20_000) }, status: 413 },
        {
          name: 'not JSON',
          method,
          path,
          body: 'username=admin',
          contentType: 'application/x-www-form-urlencoded',
          status: 415,
        },
        {
          name: 'a prototype-polluting key',
          method,
          path,
          body: JSON.stringify(valid).replace(/^\{/, '{"__proto__":{"role":"admin"},'),
          status: 400,
          fields: ['__proto__'],
        },
      );
    }
    cases.push(
      {
        name: 'login: wrong types',
        method: 'POST',
        path: '/api/v1/auth/login',
        body: { username: 42, password: ['a'] },
        status: 400,
        fields: ['username', 'password'],
      },
      {
        name: 'login: missing fields',
        method: 'POST',
        path: '/api/v1/auth/login',
        body: {},
        status: 400,
        fields: ['username', 'password'],
      },
      {
        name: 'login: no body at all',
        method: 'POST',
        path: '/api/v1/auth/login',
        status: 400,
        fields: ['username', 'password'],
      },
      {
        name: 'login: an oversized password field',
        method: 'POST',
        path: '/api/v1/auth/login',
        body: { username: 'admin', password: 'p'.repeat(2000) },
        status: 400,
        fields: ['password'],
      },
      {
        name: 'refresh: wrong type',
        method: 'POST',
        path: '/api/v1/auth/refresh',
        body: { refreshToken: 12 },
        status: 400,
        fields: ['refreshToken'],
      },
      {
        name: 'register: every field wrong',
        method: 'POST',
        path: '/api/v1/users',
        body: { username: 'No Spaces!', email: 'not-an-email', fullName: '', role: 'owner', password: 5 },
        status: 400,
        fields: ['username', 'email', 'fullName', 'role', 'password'],
      },
      {
        name: 'register: an oversized full name',
        method: 'POST',
        path: '/api/v1/users',
        body: {
          username: 'longname',
          email: 'l@shop.test',
          fullName: 'n'.repeat(500),
          role: 'cashier',
          password: 'a fine passphrase',
        },
        status: 400,
        fields: ['fullName'],
      },
      { name: 'update: nothing to change', method: 'PATCH', path: user, body: {}, status: 400, fields: ['(root)'] },
      {
        name: 'update: wrong types',
        method: 'PATCH',
        path: user,
        body: { active: 'yes', role: 'king', email: 7 },
        status: 400,
        fields: ['email', 'role', 'active'],
      },
      {
        name: 'update: an id that is not a UUID',
        method: 'PATCH',
        path: '/api/v1/users/1%20or%201=1',
        body: { fullName: 'X' },
        status: 404,
      },
      {
        name: 'detail: an id that is not a UUID',
        method: 'GET',
        path: "/api/v1/users/'; drop table users; --",
        status: 404,
      },
      {
        name: 'detail: an unknown UUID',
        method: 'GET',
        path: '/api/v1/users/00000000-0000-4000-8000-000000000000',
        status: 404,
      },
      { name: 'delete: an id that is not a UUID', method: 'DELETE', path: '/api/v1/users/abc', status: 404 },
      { name: 'list: page not a number', method: 'GET', path: '/api/v1/users?page=abc', status: 400, fields: ['page'] },
      {
        name: 'list: page size too large',
        method: 'GET',
        path: '/api/v1/users?pageSize=1000',
        status: 400,
        fields: ['pageSize'],
      },
      {
        name: 'list: sort by a hidden column',
        method: 'GET',
        path: '/api/v1/users?sort=password_hash',
        status: 400,
        fields: ['sort'],
      },
      {
        name: 'list: an unknown role and active flag',
        method: 'GET',
        path: '/api/v1/users?role=king&active=maybe',
        status: 400,
        fields: ['role', 'active'],
      },
      {
        name: 'list: an unknown parameter',
        method: 'GET',
        path: '/api/v1/users?isAdmin=1',
        status: 400,
        fields: ['isAdmin'],
      },
      {
        name: 'list: a repeated parameter',
        method: 'GET',
        path: '/api/v1/users?page=1&page=2',
        status: 400,
        fields: ['page'],
      },
      {
        name: 'list: a search longer than allowed',
        method: 'GET',
        path: `/api/v1/users?q=${'q'.repeat(300)}`,
        status: 400,
        fields: ['q'],
      },
      // NUL is refused by Postgres in any text: it must be stopped at the edge, never reach a query.
      {
        name: 'login: NUL in the username',
        method: 'POST',
        path: '/api/v1/auth/login',
        body: { username: 'ad\u0000min', password: 'x' },
        status: 400,
        fields: ['username'],
      },
      {
        name: 'login: NUL in the password',
        method: 'POST',
        path: '/api/v1/auth/login',
        body: { username: 'admin', password: 'pass\u0000word' },
        status: 400,
        fields: ['password'],
      },
      {
        name: 'refresh: NUL in the token',
        method: 'POST',
        path: '/api/v1/auth/refresh',
        body: { refreshToken: 'abc\u0000' },
        status: 400,
        fields: ['refreshToken'],
      },
      {
        name: 'register: NUL in the email',
        method: 'POST',
        path: '/api/v1/users',
        body: {
          username: 'nul.user',
          email: 'nul\u0000@shop.test',
          fullName: 'N',
          role: 'cashier',
          password: 'a fine passphrase',
        },
        status: 400,
        fields: ['email'],
      },
      {
        name: 'register: NUL in the name',
        method: 'POST',
        path: '/api/v1/users',
        body: {
          username: 'nul.user',
          email: 'nul@shop.test',
          fullName: 'N\u0000',
          role: 'cashier',
          password: 'a fine passphrase',
        },
        status: 400,
        fields: ['fullName'],
      },
      {
        name: 'update: NUL in the new password',
        method: 'PATCH',
        path: user,
        body: { password: 'a new\u0000 passphrase', currentPassword: 'x' },
        status: 400,
        fields: ['password'],
      },
      {
        name: 'update: NUL in the name',
        method: 'PATCH',
        path: user,
        body: { fullName: 'Carl\u0000' },
        status: 400,
        fields: ['fullName'],
      },
      { name: 'list: NUL in the search', method: 'GET', path: '/api/v1/users?q=a%00b', status: 400, fields: ['q'] },
      { name: 'an unknown route', method: 'GET', path: '/api/v1/userz', status: 404 },
      { name: 'a method the route does not have', method: 'PUT', path: '/api/v1/users', body: {}, status: 405 },
    );
    return cases;
  }

  test('each case gets its status, problem+json, and the fields it names', async () => {
    const before = await counts();
    const failures: string[] = [];
    for (const c of sweep()) {
      // The admin is allowed everywhere, so what is refused is the input, not the caller.
      const answer = await h.call(c.method, c.path, {
        token: admin.accessToken,
        body: c.body,
        headers: c.contentType ? { 'content-type': c.contentType } : {},
      });
      const label = `${c.method} ${c.path.slice(0, 40)} — ${c.name}`;
      if (answer.status !== c.status) failures.push(`${label}: ${answer.status} ${JSON.stringify(answer.body)}`);
      if (answer.headers.get('content-type') !== 'application/problem+json')
        failures.push(`${label}: content-type ${answer.headers.get('content-type')}`);
      if (c.fields) {
        const named = new Set((answer.body?.errors ?? []).map((e: { field: string }) => e.field.split('.')[0]));
        for (const field of c.fields)
          if (!named.has(field))
            failures.push(`${label}: no error for ${field} in ${JSON.stringify(answer.body?.errors)}`);
      }
    }
    expect(failures).toEqual([]);
    // A rejected request writes nothing.
    expect(await counts()).toEqual(before);
  });

  test('the 400 names each field with a message a person can act on', async () => {
    const answer = await h.call('POST', '/api/v1/users', {
      token: admin.accessToken,
      body: {
        username: 'Bad Name',
        email: 'nope',
        fullName: 'F',
        role: 'cashier',
        password: 'a fine passphrase',
        extra: 1,
      },
    });

    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('REQUEST.INVALID');
    expect(answer.body.errors).toEqual([
      {
        field: 'username',
        message: 'Use 3 to 32 lowercase letters, digits, dots, dashes or underscores, starting with a letter or digit.',
      },
      { field: 'email', message: 'Enter an email address like name@example.com.' },
      { field: 'extra', message: 'Unknown field.' },
    ]);
  });
});
