import http from 'node:http';
import type Koa from 'koa';
import { ProblemError } from '@tulity/adapters/http/problem';
import { ownerOf } from './routes';

const hopByHop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer']);

/**
 * Forwards `/api/v1/*` to the owning service, streaming both ways, so the browser sees one
 * origin. Runs before the body reader: the request body is piped untouched.
 */
export function apiProxy(serviceUrls: Record<string, string>): Koa.Middleware {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  return async (ctx, next) => {
    if (!ctx.path.startsWith('/api/v1/')) return next();
    const owner = ownerOf(ctx.path);
    const base = owner ? serviceUrls[owner] : undefined;
    if (!base) throw new ProblemError(404, 'ROUTE.NOT_FOUND', `No service serves ${ctx.path}.`);
    const target = new URL(ctx.url, base);
    const headers = Object.fromEntries(Object.entries(ctx.req.headers).filter(([name]) => !hopByHop.has(name)));
    headers['x-request-id'] = ctx.state.requestId;
    // Services limit failed logins per client address: they trust only the last entry, ours.
    const forwarded = ctx.get('x-forwarded-for');
    const client = ctx.req.socket.remoteAddress ?? 'unknown';
    headers['x-forwarded-for'] = forwarded ? `${forwarded}, ${client}` : client;
    const upstream = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const request = http.request(target, { method: ctx.method, headers, agent }, resolve);
      request.once('error', reject);
      ctx.req.pipe(request);
    }).catch(() => {
      throw new ProblemError(503, 'UPSTREAM.UNAVAILABLE', `The ${owner} service is not answering.`, undefined, { 'retry-after': '5' });
    });
    ctx.status = upstream.statusCode ?? 502;
    for (const [name, value] of Object.entries(upstream.headers)) {
      if (value !== undefined && !hopByHop.has(name)) ctx.set(name, value as string | string[]);
    }
    ctx.body = upstream;
  };
}
