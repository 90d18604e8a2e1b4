import type { JSONWebKeySet } from 'jose';
import { ProblemError } from '@tulity/adapters/http/problem';
import type { Actor } from '../../application/actor';
import type { deleteUser } from '../../application/delete-user';
import type { TokenPair } from '../../application/issue-tokens';
import type { login } from '../../application/login';
import type { logout } from '../../application/logout';
import type { UserSortKey } from '../../application/ports';
import type { refresh } from '../../application/refresh';
import type { registerUser } from '../../application/register-user';
import type { updateUser } from '../../application/update-user';
import type { getUser, listUsers } from '../../application/view-users';
import type { PublicUser } from '../../domain/user';
import { route, type Ctx, type Route } from '@tulity/adapters/http/routes';
import { unwrap } from './problems';
import {
  jwksResponse, listQuery, loginBody, loginResponse, refreshBody, registerBody, tokenResponse, updateBody, userId, userPage, userResponse,
} from './schemas';

export interface AccountsUseCases {
  login: ReturnType<typeof login>;
  refresh: ReturnType<typeof refresh>;
  logout: ReturnType<typeof logout>;
  registerUser: ReturnType<typeof registerUser>;
  listUsers: ReturnType<typeof listUsers>;
  getUser: ReturnType<typeof getUser>;
  updateUser: ReturnType<typeof updateUser>;
  deleteUser: ReturnType<typeof deleteUser>;
}

const present = (user: PublicUser) => ({
  id: user.id,
  username: user.username,
  email: user.email,
  fullName: user.fullName,
  role: user.role,
  active: user.active,
  createdAt: user.createdAt.toISOString(),
  updatedAt: user.updatedAt.toISOString(),
});

const secondsUntil = (at: Date) => Math.max(0, Math.round((at.getTime() - Date.now()) / 1000));
const presentTokens = (tokens: TokenPair) => ({
  tokenType: 'Bearer' as const,
  accessToken: tokens.accessToken,
  expiresIn: secondsUntil(tokens.accessTokenExpiresAt),
  refreshToken: tokens.refreshToken,
  refreshExpiresIn: secondsUntil(tokens.refreshTokenExpiresAt),
});

const actorOf = (ctx: Ctx): Actor => {
  const { userId: id, role, sessionId } = ctx.state.principal;
  return { userId: id, role, sessionId };
};

/** A path id that is not a UUID names no user: 404, never a database error. */
const idOf = (ctx: Ctx): string => {
  const parsed = userId.safeParse(ctx.params.id);
  if (!parsed.success) throw new ProblemError(404, 'USER.NOT_FOUND', 'There is no such user.');
  return parsed.data;
};

export function accountsRoutes(useCases: AccountsUseCases, keys: { publicKeys(): Promise<JSONWebKeySet> }): Route[] {
  return [
    route({
      method: 'post', path: '/auth/login', tag: 'auth', access: 'public', body: loginBody, response: loginResponse, problems: [401, 429],
      summary: 'Log in with a username and password: an access token and a refresh token',
      async handle({ body, ctx }) {
        const result = unwrap(await useCases.login({ ...body, clientAddress: ctx.ip, correlationId: ctx.state.requestId }));
        ctx.set('cache-control', 'no-store');
        return { ...presentTokens(result), user: present(result.user) };
      },
    }),
    route({
      method: 'post', path: '/auth/refresh', tag: 'auth', access: 'public', body: refreshBody, response: tokenResponse, problems: [401],
      summary: 'Exchange a refresh token for a new pair; reusing a spent one ends its session',
      async handle({ body, ctx }) {
        const tokens = unwrap(await useCases.refresh({ refreshToken: body.refreshToken, correlationId: ctx.state.requestId }));
        ctx.set('cache-control', 'no-store');
        return presentTokens(tokens);
      },
    }),
    route({
      method: 'post', path: '/auth/logout', tag: 'auth', access: 'any-role', status: 204,
      summary: 'End this session: its tokens are refused by every service',
      async handle({ ctx }) {
        const { userId: id, sessionId } = ctx.state.principal;
        return unwrap(await useCases.logout({ userId: id, sessionId, correlationId: ctx.state.requestId }));
      },
    }),
    route({
      method: 'get', path: '/auth/me', tag: 'auth', access: 'any-role', response: userResponse, problems: [404],
      summary: 'The user the access token belongs to',
      async handle({ ctx }) {
        return present(unwrap(await useCases.getUser(actorOf(ctx), ctx.state.principal.userId)));
      },
    }),
    route({
      method: 'get', path: '/auth/jwks', tag: 'auth', access: 'public', response: jwksResponse,
      summary: 'Public keys that verify access tokens (JWKS)',
      async handle({ ctx }) {
        ctx.set('cache-control', 'public, max-age=60');
        return keys.publicKeys();
      },
    }),
    route({
      method: 'get', path: '/users', tag: 'users', access: ['admin', 'manager'], query: listQuery, response: userPage,
      summary: 'List users: page, pageSize, sort, q, role, active',
      async handle({ query, ctx }) {
        const descending = query.sort.startsWith('-');
        const page = unwrap(await useCases.listUsers(actorOf(ctx), {
          page: query.page,
          pageSize: query.pageSize,
          sort: query.sort.replace(/^-/, '') as UserSortKey,
          descending,
          q: query.q,
          role: query.role,
          active: query.active === undefined ? undefined : query.active === 'true',
        }));
        return { ...page, items: page.items.map(present) };
      },
    }),
    route({
      method: 'post', path: '/users', tag: 'users', access: ['admin'], body: registerBody, response: userResponse, status: 201, problems: [409],
      summary: 'Register a user (admin)',
      async handle({ body, ctx }) {
        const user = unwrap(await useCases.registerUser({ ...body, actor: actorOf(ctx), correlationId: ctx.state.requestId }));
        ctx.set('location', `/api/v1/users/${user.id}`);
        return present(user);
      },
    }),
    route({
      method: 'get', path: '/users/:id', tag: 'users', access: 'any-role', response: userResponse, problems: [404],
      summary: 'A user: admins and managers see anyone, others themselves',
      async handle({ ctx }) {
        return present(unwrap(await useCases.getUser(actorOf(ctx), idOf(ctx))));
      },
    }),
    route({
      method: 'patch', path: '/users/:id', tag: 'users', access: 'any-role', body: updateBody, response: userResponse, problems: [404, 409, 429],
      summary: 'Change a user: your own profile and password (with the current one); an admin also role and active',
      async handle({ body, ctx }) {
        const id = idOf(ctx);
        return present(unwrap(await useCases.updateUser({ actor: actorOf(ctx), id, changes: body, correlationId: ctx.state.requestId })));
      },
    }),
    route({
      method: 'delete', path: '/users/:id', tag: 'users', access: ['admin'], status: 204, problems: [404, 409],
      summary: 'Delete a user (admin; soft delete)',
      async handle({ ctx }) {
        return unwrap(await useCases.deleteUser({ actor: actorOf(ctx), id: idOf(ctx), correlationId: ctx.state.requestId }));
      },
    }),
  ];
}
