import type { JsonWebKeySet } from '@tulity/adapters/auth/authenticator';
import type { Actor } from '@tulity/adapters/core/actor';
import { mapPage } from '@tulity/adapters/core/page';
import { route, type Ctx, type Route } from '@tulity/adapters/http/routes';
import type { deleteUser } from '../../application/delete-user';
import type { getUser } from '../../application/get-user';
import type { listUsers } from '../../application/list-users';
import type { login } from '../../application/login';
import type { logout } from '../../application/logout';
import type { refresh } from '../../application/refresh';
import type { registerUser } from '../../application/register-user';
import type { updateUser } from '../../application/update-user';
import { clientAddress, type ProxyTrust } from './client-address';
import { presentTokens, presentUser } from './presenters';
import {
  jwksResponse,
  listQuery,
  loginBody,
  loginResponse,
  refreshBody,
  registerBody,
  tokenResponse,
  updateBody,
  userPage,
  userResponse,
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

export interface RouteOptions {
  keys: { publicKeys(): Promise<JsonWebKeySet> };
  /** Proxies whose X-Forwarded-For is believed for the client address (TULITY_TRUSTED_PROXIES). */
  trustedProxies: ProxyTrust;
}

const actorOf = (ctx: Ctx): Actor => {
  const { userId, role, sessionId } = ctx.state.principal;
  return { userId, role, sessionId };
};

export function accountsRoutes(useCases: AccountsUseCases, options: RouteOptions): Route[] {
  const addressOf = (ctx: Ctx) => clientAddress(ctx.req, options.trustedProxies);
  return [
    route({
      method: 'post',
      path: '/auth/login',
      operationId: 'logIn',
      tag: 'auth',
      access: 'public',
      body: loginBody,
      response: loginResponse,
      problems: [401, 429],
      summary: 'Log in with a username and password: an access token and a refresh token',
      async handle({ body, ctx }) {
        const result = await useCases.login({
          ...body,
          clientAddress: addressOf(ctx),
          correlationId: ctx.state.requestId,
        });
        ctx.set('cache-control', 'no-store');
        return { ...presentTokens(result), user: presentUser(result.user) };
      },
    }),
    route({
      method: 'post',
      path: '/auth/refresh',
      operationId: 'refreshTokens',
      tag: 'auth',
      access: 'public',
      body: refreshBody,
      response: tokenResponse,
      problems: [401],
      summary: 'Exchange a refresh token for a new pair; reusing a spent one ends its session',
      async handle({ body, ctx }) {
        const tokens = await useCases.refresh({ refreshToken: body.refreshToken, correlationId: ctx.state.requestId });
        ctx.set('cache-control', 'no-store');
        return presentTokens(tokens);
      },
    }),
    route({
      method: 'post',
      path: '/auth/logout',
      operationId: 'logOut',
      tag: 'auth',
      access: 'any-role',
      status: 204,
      summary: 'End this session: its tokens are refused by every service',
      async handle({ ctx }) {
        const { userId, sessionId } = ctx.state.principal;
        await useCases.logout({ userId, sessionId, correlationId: ctx.state.requestId });
      },
    }),
    route({
      method: 'get',
      path: '/auth/me',
      operationId: 'getCurrentUser',
      tag: 'auth',
      access: 'any-role',
      response: userResponse,
      problems: [404],
      summary: 'The user the access token belongs to',
      async handle({ ctx }) {
        return presentUser(await useCases.getUser(actorOf(ctx), ctx.state.principal.userId));
      },
    }),
    route({
      method: 'get',
      path: '/auth/jwks',
      operationId: 'getSigningKeys',
      tag: 'auth',
      access: 'public',
      response: jwksResponse,
      summary: 'Public keys that verify access tokens (JWKS)',
      async handle({ ctx }) {
        ctx.set('cache-control', 'public, max-age=60');
        return options.keys.publicKeys();
      },
    }),
    route({
      method: 'get',
      path: '/users',
      operationId: 'listUsers',
      tag: 'users',
      access: ['admin', 'manager'],
      query: listQuery,
      response: userPage,
      summary: 'List users: page, pageSize, sort, q, role, active',
      async handle({ query, ctx }) {
        return mapPage(await useCases.listUsers(actorOf(ctx), query), presentUser);
      },
    }),
    route({
      method: 'post',
      path: '/users',
      operationId: 'registerUser',
      tag: 'users',
      access: ['admin'],
      body: registerBody,
      response: userResponse,
      status: 201,
      problems: [409],
      summary: 'Register a user (admin)',
      async handle({ body, ctx }) {
        const user = await useCases.registerUser({ ...body, actor: actorOf(ctx), correlationId: ctx.state.requestId });
        ctx.set('location', `/api/v1/users/${user.id}`);
        return presentUser(user);
      },
    }),
    route({
      method: 'get',
      path: '/users/:id',
      operationId: 'getUser',
      tag: 'users',
      access: 'any-role',
      response: userResponse,
      problems: [404],
      summary: 'A user: admins and managers see anyone, others themselves',
      async handle({ params, ctx }) {
        return presentUser(await useCases.getUser(actorOf(ctx), params.id!));
      },
    }),
    route({
      method: 'patch',
      path: '/users/:id',
      operationId: 'updateUser',
      tag: 'users',
      access: 'any-role',
      body: updateBody,
      response: userResponse,
      problems: [404, 409, 429],
      summary: 'Change a user: your own profile and password (with the current one); an admin also role and active',
      async handle({ params, body, ctx }) {
        const command = {
          actor: actorOf(ctx),
          id: params.id!,
          changes: body,
          clientAddress: addressOf(ctx),
          correlationId: ctx.state.requestId,
        };
        return presentUser(await useCases.updateUser(command));
      },
    }),
    route({
      method: 'delete',
      path: '/users/:id',
      operationId: 'deleteUser',
      tag: 'users',
      access: ['admin'],
      status: 204,
      problems: [404, 409],
      summary: 'Delete a user (admin; soft delete)',
      async handle({ params, ctx }) {
        await useCases.deleteUser({ actor: actorOf(ctx), id: params.id!, correlationId: ctx.state.requestId });
      },
    }),
  ];
}
