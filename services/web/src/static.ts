// Serves the built browser app: hashed assets cached for a year, index.html revalidated on every
// load, and index.html for any other page path so a deep link survives a reload.
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Router } from '@tulity/adapters/http/router';
import type Koa from 'koa';
import type { AppState } from '@tulity/adapters/http/app';

/**
 * The page's policy: everything from this origin only, nothing inline, no eval, no plugins, not
 * framed, no <base> rewriting, forms post only here.
 */
export const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/**
 * Paths that belong to the server's own endpoints: an unknown one there is a 404, never the app.
 * `/system` itself is the app's system page; its data lives below `/system/`.
 */
const serverPrefixes = ['/api/', '/session/', '/system/', '/health/'];
const serverPaths = new Set(['/api', '/session', '/health', '/metrics', '/openapi.json']);
/** Vite's output names: letters, digits, dashes, underscores and dots, no directories. */
const fileName = /^[\w-][\w.-]{0,199}$/;

const notBuilt = (distDir: string) =>
  `The web client is not built (no ${path.join(distDir, 'index.html')}).\n` +
  'Build it with `npm run build -w @tulity/web` from the repository root; `npm start` builds it when its sources change.\n';

/** Headers every answer of the web server carries, besides those of the app factory. */
export function securityHeaders(): Koa.Middleware<AppState> {
  return async (ctx, next) => {
    try {
      await next();
    } finally {
      ctx.set('cross-origin-opener-policy', 'same-origin');
      ctx.set('cross-origin-resource-policy', 'same-origin');
      ctx.set('permissions-policy', 'camera=(self), microphone=(), geolocation=(), payment=(), usb=()');
      if (ctx.secure) ctx.set('strict-transport-security', 'max-age=31536000');
    }
  };
}

export function clientRouter(distDir: string) {
  const router = new Router<AppState>();

  async function sendFile(ctx: Koa.Context, file: string, cacheControl: string): Promise<boolean> {
    const stat = await fs.stat(file).catch(() => undefined);
    if (!stat?.isFile()) return false;
    // HEAD opens no stream: Koa would never read it. Headers come after the body, which resets them.
    ctx.body = ctx.method === 'HEAD' ? null : createReadStream(file);
    ctx.status = 200;
    ctx.type = path.extname(file);
    ctx.length = stat.size;
    ctx.set('cache-control', cacheControl);
    ctx.set('last-modified', stat.mtime.toUTCString());
    return true;
  }

  router.get(/^\/.*$/, async (ctx) => {
    const requestPath = ctx.path;
    if (serverPaths.has(requestPath) || serverPrefixes.some((prefix) => requestPath.startsWith(prefix))) return;
    const index = path.join(distDir, 'index.html');

    const asset = /^\/assets\/([^/]+)$/.exec(requestPath);
    if (asset) {
      // Names carry a content hash: a name never changes its bytes, so browsers may keep it for good.
      if (fileName.test(asset[1]!))
        await sendFile(ctx, path.join(distDir, 'assets', asset[1]!), 'public, max-age=31536000, immutable');
      return;
    }
    const last = requestPath.slice(requestPath.lastIndexOf('/') + 1);
    if (last.includes('.')) {
      // A file at the top (favicon.ico, robots.txt): served when the build has it, else 404, never the app.
      if (requestPath.lastIndexOf('/') === 0 && fileName.test(last))
        await sendFile(ctx, path.join(distDir, last), 'no-cache');
      return;
    }
    let html: Buffer;
    try {
      html = await fs.readFile(index);
    } catch {
      ctx.status = 503;
      ctx.type = 'text/plain; charset=utf-8';
      ctx.set('retry-after', '30');
      ctx.body = notBuilt(distDir);
      return;
    }
    ctx.body = html;
    ctx.type = 'html';
    // Revalidated on every load, so a new build is picked up; deep links get the same page.
    ctx.set('cache-control', 'no-cache');
    ctx.set('content-security-policy', contentSecurityPolicy);
  });

  return router;
}
