import type Koa from 'koa';
import { ProblemError, forbidden } from '../http/problem';
import { AuthenticationError, type Authenticator, type AuthFailure, type Principal, type Role } from './authenticator';

export interface AuthState {
  principal: Principal;
}

const failures: Record<AuthFailure, { status: number; code: string }> = {
  missing: { status: 401, code: 'AUTH.UNAUTHENTICATED' },
  invalid: { status: 401, code: 'AUTH.TOKEN_INVALID' },
  expired: { status: 401, code: 'AUTH.TOKEN_EXPIRED' },
  revoked: { status: 401, code: 'AUTH.TOKEN_REVOKED' },
  'keys-unavailable': { status: 503, code: 'AUTH.KEYS_UNAVAILABLE' },
};

/** Koa middleware: a valid bearer token puts its Principal on `ctx.state.principal`; anything else is a 401 problem. */
export function authenticate(authenticator: Authenticator): Koa.Middleware<AuthState> {
  return async (ctx, next) => {
    const match = /^Bearer ([A-Za-z0-9_.~+/=-]+)$/.exec(ctx.get('authorization'));
    if (!match?.[1])
      throw authProblem(new AuthenticationError('missing', 'Send an access token as "Authorization: Bearer <token>".'));
    try {
      ctx.state.principal = await authenticator.verify(match[1]);
    } catch (error) {
      if (error instanceof AuthenticationError) throw authProblem(error);
      throw error;
    }
    return next();
  };
}

/** Koa middleware after `authenticate`: a principal without one of `allowed` gets a 403 problem. */
export function requireRole(...allowed: Role[]): Koa.Middleware<AuthState> {
  return async (ctx, next) => {
    const principal = ctx.state.principal as Principal | undefined;
    if (!principal) throw authProblem(new AuthenticationError('missing', 'Authentication is required.'));
    if (!allowed.includes(principal.role)) {
      throw forbidden(`This needs the role ${allowed.join(' or ')}; you are ${principal.role}.`);
    }
    return next();
  };
}

function authProblem(error: AuthenticationError): ProblemError {
  const { status, code } = failures[error.reason];
  const headers: Record<string, string> =
    status === 401
      ? { 'www-authenticate': error.reason === 'missing' ? 'Bearer' : 'Bearer error="invalid_token"' }
      : { 'retry-after': '5' };
  return new ProblemError(status, code, error.message, undefined, headers);
}
