import http from 'node:http';
import { Transform, type TransformCallback } from 'node:stream';
import type Koa from 'koa';
import { ProblemError } from '@tulity/adapters/http/problem';
import { ownerOf } from './routes';

export interface ProxyLimits {
  /** Largest request body forwarded, in bytes; the services' own limits are lower. */
  maxBodyBytes: number;
  /** Longest request target (path and query), in characters. */
  maxTargetLength: number;
  /** How long an upstream may take to start answering. */
  responseTimeoutMs: number;
  /** How long an upstream may stay silent, before or while it answers (a stream must send heartbeats sooner). */
  idleTimeoutMs: number;
}

export const defaultLimits: ProxyLimits = {
  maxBodyBytes: 256 * 1024,
  maxTargetLength: 4096,
  responseTimeoutMs: 30_000,
  idleTimeoutMs: 120_000,
};

/** Hop-by-hop headers (RFC 9110 §7.6.1) and the proxy ones: they concern one connection, never the next one. */
const hopByHop = [
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
];
/**
 * Request headers the proxy sets itself or keeps: Host names the upstream; the browser's cookies
 * belong to this server (services authenticate with bearer tokens); forwarding claims a client
 * makes about itself would be trusted by the services behind us.
 */
const replacedOnRequest = [
  'host',
  'cookie',
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-real-ip',
  'x-request-id',
];
const forwardedMethods = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']);

const apiPrefix = '/api/v1/';
/** RFC 3986 path characters (pchar): anything else, a backslash included, is refused. */
const segmentCharacters = /^[\w\-.~!$&'()*+,;=:@%]+$/;
/** Printable ASCII but `#`: the query is passed on as it came, it never changes host or path. */
const queryCharacters = /^[\x21-\x22\x24-\x7e]*$/;

const badTarget = (detail: string) => new ProblemError(400, 'REQUEST.BAD_TARGET', detail);

/**
 * The owning service and the path to send it, from a raw request target such as
 * `/api/v1/products/7/stock?page=2`. Refuses what could leave `/api/v1/` once a URL parser or an
 * upstream normalised it: dot segments raw or percent-encoded, encoded slashes and backslashes,
 * empty segments; so the path sent is exactly the path checked.
 */
function apiTarget(target: string): { owner: string | undefined; path: string } {
  const queryAt = target.indexOf('?');
  const path = queryAt === -1 ? target : target.slice(0, queryAt);
  const query = queryAt === -1 ? '' : target.slice(queryAt + 1);
  if (!path.startsWith(apiPrefix)) throw badTarget('API paths start with /api/v1/.');
  for (const segment of path.slice(1).split('/')) {
    if (segment === '') throw badTarget('A path has no empty segments (double or trailing slashes).');
    if (!segmentCharacters.test(segment)) throw badTarget('The path has characters a path may not carry.');
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      throw badTarget('The path has a malformed percent-encoding.');
    }
    if (decoded === '.' || decoded === '..' || /[/\\\p{Cc}]/u.test(decoded)) {
      throw badTarget('The path has dot segments, encoded slashes or control characters.');
    }
  }
  if (!queryCharacters.test(query)) throw badTarget('The query has characters a query may not carry.');
  return { owner: ownerOf(path), path: target };
}

interface Upstream {
  hostname: string;
  port: string;
}

/** The configured services, as origins only: a base with a path, query or credentials is a configuration error. */
function upstreamsOf(serviceUrls: Record<string, string>): Map<string, Upstream> {
  return new Map(
    Object.entries(serviceUrls).map(([name, base]) => {
      const url = new URL(base);
      if (url.protocol !== 'http:' || url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
        throw new Error(`The ${name} service URL must be an http origin such as http://127.0.0.1:8011, not ${base}.`);
      }
      return [name, { hostname: url.hostname, port: url.port || '80' }];
    }),
  );
}

/** Drops the hop-by-hop headers, those the Connection header lists and the names in `also`. */
function endToEnd<H extends http.IncomingHttpHeaders>(
  headers: H,
  also: string[] = [],
): Record<string, string | string[]> {
  const listed = String(headers.connection ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase());
  const dropped = new Set([...hopByHop, ...listed, ...also]);
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !dropped.has(name)) kept[name] = value;
  }
  return kept;
}

class BodyTooLarge extends Error {}
class UpstreamTimeout extends Error {}

/** Passes bytes through until more than `limit` have passed, then fails. */
function byteLimit(limit: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      seen += chunk.length;
      callback(seen > limit ? new BodyTooLarge() : null, chunk);
    },
  });
}

const tooLarge = (limit: number) =>
  new ProblemError(413, 'REQUEST.TOO_LARGE', `The body is larger than ${limit} bytes.`, undefined, {
    connection: 'close',
  });

/**
 * Forwards `/api/v1/<resource>/…` to the service that owns the resource, streaming both ways, so
 * the browser sees one origin. Only the configured services and only their `/api/v1/` paths are
 * reachable: the upstream URL is the service's origin plus the checked path, never anything the
 * client wrote before it. Runs before the body reader: the request body is piped, bounded.
 */
export function apiProxy(serviceUrls: Record<string, string>, limits: ProxyLimits = defaultLimits): Koa.Middleware {
  const upstreams = upstreamsOf(serviceUrls);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  return async (ctx, next) => {
    const target = ctx.req.url ?? '';
    // An absolute-form target (`GET http://host/…`) asks for a forward proxy, which this is not.
    if (!target.startsWith('/') || target.startsWith('//')) {
      throw badTarget('Send a path as the request target; this server is not a forward proxy.');
    }
    if (target.length > limits.maxTargetLength)
      throw new ProblemError(
        414,
        'REQUEST.TARGET_TOO_LONG',
        `The request target is longer than ${limits.maxTargetLength} characters.`,
      );
    if (!target.startsWith(apiPrefix)) return next();
    const { owner, path } = apiTarget(target);
    const upstream = owner ? upstreams.get(owner) : undefined;
    if (!upstream) throw new ProblemError(404, 'ROUTE.NOT_FOUND', `No service serves ${ctx.path}.`);
    if (!forwardedMethods.has(ctx.method)) {
      throw new ProblemError(405, 'ROUTE.METHOD_NOT_ALLOWED', 'This method is not allowed here.', undefined, {
        allow: [...forwardedMethods].join(', '),
      });
    }
    if (Number(ctx.get('content-length') || 0) > limits.maxBodyBytes) throw tooLarge(limits.maxBodyBytes);

    const headers: http.OutgoingHttpHeaders = endToEnd(ctx.req.headers, replacedOnRequest);
    headers['x-request-id'] = ctx.state.requestId;
    // Accounts limits logins per client address: it believes this header only from us, and reads the entry we append.
    const forwarded = ctx.get('x-forwarded-for');
    const client = ctx.req.socket.remoteAddress ?? 'unknown';
    headers['x-forwarded-for'] = forwarded ? `${forwarded}, ${client}` : client;
    // A body without a length is sent on chunked; one with a length goes on with it.
    if (ctx.req.headers['transfer-encoding'] !== undefined) headers['transfer-encoding'] = 'chunked';

    const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const request = http.request(
        { ...upstream, path, method: ctx.method, headers, agent, timeout: limits.idleTimeoutMs },
        resolve,
      );
      const answerTimer = setTimeout(() => request.destroy(new UpstreamTimeout()), limits.responseTimeoutMs);
      request.once('response', () => clearTimeout(answerTimer));
      request.once('timeout', () => request.destroy(new UpstreamTimeout()));
      request.once('error', (error) => {
        clearTimeout(answerTimer);
        reject(error);
      });
      // A client that leaves before the answer is complete frees the upstream connection too.
      ctx.res.once('close', () => {
        if (!ctx.res.writableFinished) request.destroy();
      });
      const limit = byteLimit(limits.maxBodyBytes);
      limit.once('error', (error) => {
        // The rest of the body is read and dropped, so the 413 reaches the client; then the connection closes.
        ctx.req.unpipe(limit);
        ctx.req.resume();
        request.destroy(error);
      });
      ctx.req.pipe(limit).pipe(request);
    }).catch((error: unknown) => {
      if (error instanceof BodyTooLarge) throw tooLarge(limits.maxBodyBytes);
      if (error instanceof UpstreamTimeout)
        throw new ProblemError(504, 'UPSTREAM.TIMEOUT', `The ${owner} service did not answer in time.`);
      throw new ProblemError(503, 'UPSTREAM.UNAVAILABLE', `The ${owner} service is not answering.`, undefined, {
        'retry-after': '5',
      });
    });
    ctx.status = response.statusCode ?? 502;
    // Cookies of this origin are the web server's own (the session cookie): a service never sets them.
    for (const [name, value] of Object.entries(endToEnd(response.headers, ['set-cookie']))) ctx.set(name, value);
    // An answer cut short upstream (idle too long, service gone) is cut short here, not left hanging.
    response.once('close', () => {
      if (!response.complete && !ctx.res.writableFinished) ctx.res.destroy();
    });
    ctx.body = response;
  };
}
