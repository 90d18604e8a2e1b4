// The browser tests' harness: a whole running system (one this harness starts, or the web server
// at TULITY_E2E_URL), Debian's chromium driven by playwright-core, API helpers to set the scene,
// and a full-page screenshot of every page a test looks at (services/web/.artifacts/e2e/).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from '@jest/globals';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createDatabase } from '@tulity/adapters/postgres/database';
import { emptyTables, testDatabaseUrl } from '@tulity/adapters/testing/kit';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
export const chromiumPath = process.env.TULITY_CHROMIUM ?? '/usr/bin/chromium';
export const artifactsDir = path.join(root, 'services', 'web', '.artifacts', 'e2e');
/** The self-started system's ports are the defaults plus this, clear of a developer's own `npm start`. */
const portOffset = 2000;
const startTimeoutMs = 240_000;

// Without chromium the browser tests are skipped with one line saying why: only where
// services/web/scripts/install-chromium.sh could not install it (not root, no network).
const hasChromium = fs.existsSync(chromiumPath);
if (!hasChromium) {
  console.warn(
    `[e2e] ${chromiumPath} is missing: browser tests skipped (bash services/web/scripts/install-chromium.sh as root)`,
  );
}
export const describeInBrowser = hasChromium ? describe : describe.skip;

export type Role = 'admin' | 'manager' | 'cashier';

export interface User {
  id: string;
  username: string;
  password: string;
  role: Role;
}

export interface Answer {
  status: number;
  body: any;
}

export interface SignedIn {
  context: BrowserContext;
  page: Page;
}

export interface E2e {
  /** The web server, e.g. http://127.0.0.1:10001. */
  url: string;
  adminPassword: string;
  browser: Browser;
  /** An API call through the web server, as a script would make it. */
  api(method: string, target: string, options?: { token?: string; body?: unknown }): Promise<Answer>;
  /** An access token of a fresh API session. */
  tokenOf(username: string, password: string): Promise<string>;
  adminToken(): Promise<string>;
  /** A new user with a unique name, created by the admin through the API. */
  createUser(role: Role, prefix?: string): Promise<User>;
  /** A fresh browser context (no cookies) at `viewport`, with a page not yet signed in. */
  newPage(viewport?: { width: number; height: number }): Promise<SignedIn>;
  /** Signs `user` in through the login page of a fresh context; resolves once the app shows them signed in. */
  signIn(user: { username: string; password: string }, viewport?: { width: number; height: number }): Promise<SignedIn>;
  /** A full-page screenshot, saved as `<area>/<name>.png` under the artifacts folder. */
  screenshot(page: Page, name: string): Promise<string>;
  /** The same system, its screenshots in the folder `area`: one per group of tests. */
  in(area: string): E2e;
  close(): Promise<void>;
}

export const phone = { width: 375, height: 740 };

/**
 * True when nothing sticks out sideways: the page fits its viewport without horizontal scrolling.
 * The check runs in the page; as a string, so the tests type-check without the DOM library.
 */
export const fitsWidth = (page: Page) =>
  page.evaluate('document.documentElement.scrollWidth <= window.innerWidth') as Promise<boolean>;
export const desktop = { width: 1280, height: 800 };

/** Picks an option of a category or unit picker: narrow the list by name, then choose the option. */
export async function pick(page: Page, find: string, label: string, name: string, option = name) {
  await page.getByLabel(find, { exact: true }).fill(name);
  await page.getByLabel(label, { exact: true }).selectOption({ label: option });
}

let unique = 0;
/** Names unique across runs and parallel helpers: run id + counter. */
export const uniqueName = (prefix: string) =>
  `${prefix}${Date.now().toString(36)}${randomBytes(2).toString('hex')}${++unique}`.toLowerCase().slice(0, 32);

interface System {
  url: string;
  adminPassword: string;
  stop(): Promise<void>;
}

/** The system at TULITY_E2E_URL; its admin password from TULITY_E2E_ADMIN_PASSWORD or the stack's data folder. */
function runningSystem(url: string): System {
  const file = path.join(root, '.stack', 'data', 'admin-password');
  const adminPassword =
    process.env.TULITY_E2E_ADMIN_PASSWORD ?? (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : '');
  if (!adminPassword) throw new Error(`Set TULITY_E2E_ADMIN_PASSWORD: ${file} does not exist.`);
  return { url: url.replace(/\/$/, ''), adminPassword, stop: async () => undefined };
}

/**
 * `npm start` on shifted ports against the test databases, as a newcomer would run it. The
 * accounts test database is emptied first: the first admin (with our password) is created only
 * in an empty one, and earlier suites leave theirs behind.
 */
async function startedSystem(): Promise<System> {
  const adminPassword = `E2e-${randomBytes(9).toString('base64url')}`;
  const accounts = createDatabase(testDatabaseUrl('accounts'), { min: 0, max: 1 });
  try {
    await emptyTables(accounts);
  } finally {
    await accounts.destroy();
  }
  const child: ChildProcess = spawn(process.execPath, [path.join(root, 'stack', 'cli.mjs'), 'start'], {
    cwd: root,
    env: {
      ...process.env,
      TULITY_PORT_OFFSET: String(portOffset),
      TULITY_USE_TEST_DATABASES: '1',
      TULITY_ADMIN_PASSWORD: adminPassword,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
    await exited;
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const deadline = Date.now() + startTimeoutMs;
      const timer = setInterval(() => {
        if (output.includes('everything is up')) resolve();
        else if (child.exitCode !== null) reject(new Error(`npm start exited early:\n${output.slice(-4000)}`));
        else if (Date.now() > deadline) reject(new Error(`npm start was not up in time:\n${output.slice(-4000)}`));
        else return;
        clearInterval(timer);
      }, 250);
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `http://127.0.0.1:${8001 + portOffset}`, adminPassword, stop };
}

async function shoot(folder: string, page: Page, name: string) {
  fs.mkdirSync(folder, { recursive: true });
  const file = path.join(folder, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

export async function startE2e(): Promise<E2e> {
  const system = process.env.TULITY_E2E_URL ? runningSystem(process.env.TULITY_E2E_URL) : await startedSystem();
  let browser: Browser;
  try {
    browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  } catch (error) {
    await system.stop();
    throw error;
  }
  const contexts = new Set<BrowserContext>();

  const api: E2e['api'] = async (method, target, { token, body } = {}) => {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${system.url}${target}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    return { status: response.status, body: parsed };
  };

  const tokenOf = async (username: string, password: string) => {
    const answer = await api('POST', '/api/v1/auth/login', { body: { username, password } });
    if (answer.status !== 200) throw new Error(`login of ${username}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body.accessToken as string;
  };
  let adminToken: Promise<string> | undefined;

  const e2e: E2e = {
    url: system.url,
    adminPassword: system.adminPassword,
    browser,
    api,
    tokenOf,
    adminToken: () => (adminToken ??= tokenOf('admin', system.adminPassword)),
    async createUser(role, prefix = role) {
      const username = uniqueName(prefix);
      const password = `e2e passphrase ${randomBytes(6).toString('hex')}`;
      const answer = await api('POST', '/api/v1/users', {
        token: await e2e.adminToken(),
        body: { username, email: `${username}@e2e.test`, fullName: `${role} ${username}`, role, password },
      });
      if (answer.status !== 201)
        throw new Error(`creating ${username}: ${answer.status} ${JSON.stringify(answer.body)}`);
      return { id: answer.body.id, username, password, role };
    },
    async newPage(viewport = desktop) {
      const context = await browser.newContext({ viewport, baseURL: system.url });
      contexts.add(context);
      context.once('close', () => contexts.delete(context));
      const page = await context.newPage();
      return { context, page };
    },
    async signIn(user, viewport = desktop) {
      const signedIn = await e2e.newPage(viewport);
      const { page } = signedIn;
      await page.goto('/login');
      await page.getByLabel('Username').fill(user.username);
      await page.getByLabel('Password').fill(user.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('button', { name: 'Log out' }).waitFor();
      return signedIn;
    },
    async screenshot(page, name) {
      return shoot(artifactsDir, page, name);
    },
    in(area) {
      return { ...e2e, screenshot: (page, name) => shoot(path.join(artifactsDir, area), page, name) };
    },
    async close() {
      await Promise.all([...contexts].map((context) => context.close().catch(() => undefined)));
      await browser.close().catch(() => undefined);
      await system.stop();
    },
  };
  return e2e;
}
