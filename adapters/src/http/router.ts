// Routes compiled once, when the app is built: a path without parameters is found by one Map
// lookup, a path with them by one regular expression per such route. @koa/router, used before,
// tested every route's expression, read the Host header and composed a fresh middleware chain on
// every request: 7 of the 50 µs of CPU a health check cost (issue 13).
import type Koa from 'koa';
import compose from 'koa-compose';
import { ProblemError } from './problem';

export interface RouteContext {
  /** The path's `:name` parameters, percent-decoded. */
  params: Record<string, string>;
}

export type RouteMiddleware<S> = Koa.Middleware<S, RouteContext>;

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface Entry {
  method: Method;
  /** The path as declared (with its prefix): the route label of the request metrics. */
  template: string;
  /** Absent for a path without parameters, which is looked up by its text instead. */
  pattern?: RegExp;
  names: string[];
  handle: Koa.Middleware;
}

/**
 * A group of routes under one prefix, sharing the middleware given to `use` before them (such as
 * authentication). Paths are matched regardless of case and of one trailing slash, as before.
 */
export class Router<S = Koa.DefaultState> {
  /** @internal read by `dispatch` */
  readonly entries: Entry[] = [];
  private readonly shared: RouteMiddleware<S>[] = [];

  constructor(private readonly options: { prefix?: string } = {}) {}

  /** Runs before the handlers of the routes declared after it. */
  use(...middleware: RouteMiddleware<S>[]): this {
    this.shared.push(...middleware);
    return this;
  }

  get(path: string | RegExp, ...middleware: RouteMiddleware<S>[]): this {
    return this.add('GET', path, middleware);
  }

  post(path: string, ...middleware: RouteMiddleware<S>[]): this {
    return this.add('POST', path, middleware);
  }

  put(path: string, ...middleware: RouteMiddleware<S>[]): this {
    return this.add('PUT', path, middleware);
  }

  patch(path: string, ...middleware: RouteMiddleware<S>[]): this {
    return this.add('PATCH', path, middleware);
  }

  delete(path: string, ...middleware: RouteMiddleware<S>[]): this {
    return this.add('DELETE', path, middleware);
  }

  private add(method: Method, path: string | RegExp, middleware: RouteMiddleware<S>[]): this {
    const handle = compose([...this.shared, ...middleware] as Koa.Middleware[]);
    if (path instanceof RegExp) {
      this.entries.push({ method, template: String(path), pattern: path, names: [], handle });
      return this;
    }
    const template = `${this.options.prefix ?? ''}${path}`;
    const names = [...template.matchAll(/:(\w+)/g)].map(([, name]) => name!);
    const pattern = names.length === 0 ? undefined : compilePath(template);
    this.entries.push({ method, template, pattern, names, handle });
    return this;
  }
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `/products/:id/stock` → `^/products/([^/]+)/stock/?$`, case-insensitive. */
function compilePath(template: string): RegExp {
  const source = template
    .split(/(:\w+)/)
    .map((part) => (part.startsWith(':') ? '([^/]+)' : escape(part)))
    .join('');
  return new RegExp(`^${source.replace(/\/$/, '')}/?$`, 'i');
}

/** The key of a path without parameters: lower case, without its trailing slash. */
const keyOf = (path: string) => (path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path).toLowerCase();

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const methodNotAllowed = (allowed: Set<string>) =>
  new ProblemError(405, 'ROUTE.METHOD_NOT_ALLOWED', 'This method is not allowed here.', undefined, {
    allow: [...allowed].join(', '),
  });

/**
 * One middleware serving every route of `routers`, the first declared match winning. A HEAD is
 * served by the GET route; a path that exists under other methods answers 405 with Allow (an
 * OPTIONS, 204 with Allow); a path no route has goes on to `next`, which makes it a 404.
 */
export function dispatch(routers: Router<any>[]): Koa.Middleware<unknown, RouteContext> {
  const entries = routers.flatMap((router) => router.entries).map((entry, position) => ({ ...entry, position }));
  const byPath = new Map<string, typeof entries>();
  for (const entry of entries) {
    if (entry.pattern) continue;
    const key = keyOf(entry.template);
    byPath.set(key, [...(byPath.get(key) ?? []), entry]);
  }
  const patterned = entries.filter((entry) => entry.pattern);

  function find(method: string, path: string): { entry: Entry; captures: string[] } | undefined {
    const wanted = method === 'HEAD' ? 'GET' : method;
    const exact = (byPath.get(path) ?? byPath.get(keyOf(path)))?.find((entry) => entry.method === wanted);
    const before = exact?.position ?? Infinity;
    for (const entry of patterned) {
      if (entry.position > before) break;
      if (entry.method !== wanted) continue;
      const match = entry.pattern!.exec(path);
      if (match) return { entry, captures: match.slice(1) };
    }
    return exact && { entry: exact, captures: [] };
  }

  function allowedAt(path: string): Set<string> {
    const allowed = new Set<string>();
    const matching = [...(byPath.get(keyOf(path)) ?? []), ...patterned.filter((entry) => entry.pattern!.test(path))];
    for (const { method } of matching) {
      if (method === 'GET') allowed.add('HEAD');
      allowed.add(method);
    }
    return allowed;
  }

  return (ctx, next) => {
    const path = ctx.path;
    const found = find(ctx.method, path);
    if (!found) {
      const allowed = allowedAt(path);
      if (allowed.size === 0) return next();
      if (ctx.method !== 'OPTIONS') throw methodNotAllowed(allowed);
      ctx.status = 204;
      ctx.set('allow', [...allowed].join(', '));
      return;
    }
    const { entry, captures } = found;
    const params: Record<string, string> = {};
    for (let i = 0; i < entry.names.length; i++) params[entry.names[i]!] = decode(captures[i]!);
    ctx.params = params;
    (ctx.state as { route?: string }).route = entry.template;
    return entry.handle(ctx, next);
  };
}
