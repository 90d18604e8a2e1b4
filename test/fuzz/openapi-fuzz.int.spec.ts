// Property-based fuzzing of every service's HTTP API, driven by its own OpenAPI document (issue
// #10): each operation gets requests built from its schemas but salted with what breaks servers —
// NUL, control, bidi and astral characters, Object.prototype member names as keys and values,
// numbers no contract carries, huge and deep bodies, odd methods and odd path segments. Whatever
// comes in, a service answers below 500, a 4xx is problem+json, and a 4xx writes nothing.
//
// Deterministic by default: a fixed seed, printed; FUZZ_SEED and FUZZ_RUNS override it and the
// number of requests per operation. A failure lists each kind of wrong answer per operation with
// the shortest request that got it, to replay.
import http from 'node:http';
import fc from 'fast-check';
import { afterAll, describe, expect, test } from '@jest/globals';
import type Koa from 'koa';
import type { Authenticator } from '@tulity/adapters/auth/authenticator';
import { createTestIssuer } from '@tulity/adapters/auth/testing';
import { createKafka, type Kafka } from '@tulity/adapters/kafka/client';
import { createLogger, type Logger } from '@tulity/adapters/logger';
import { createMetrics, type Metrics } from '@tulity/adapters/metrics';
import type { Knex } from '@tulity/adapters/postgres/database';
import { brokers, emptyTables, startHttp, testDatabase, testDatabaseUrl } from '@tulity/adapters/testing/kit';
import * as notifications from '../../services/notifications/src/main';
import * as products from '../../services/products/src/main';
import * as transactions from '../../services/transactions/src/main';
import { adminPassword, startAccounts } from '../../services/accounts/test/harness';

function wholeNumber(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isSafeInteger(value) || value < 0)
    throw new Error(`${name} must be a whole number, not ${process.env[name]}`);
  return value;
}

const seed = wholeNumber('FUZZ_SEED', 20261129);
const runsPerOperation = wholeNumber('FUZZ_RUNS', 60);

/** A service under fuzz: running in-process against its `_test` database. */
interface Running {
  url: string;
  db: Knex;
  /** An admin's access token, sent to operations that need one. */
  adminToken: string;
  /**
   * Ids of rows that exist, by the name of the path parameter or body field that takes them (`id`
   * for any), so that generated requests also reach real resources and the checks behind them.
   */
  knownIds: KnownIds;
  close(): Promise<void>;
}

type KnownIds = Record<string, string[]>;

interface Target {
  name: string;
  start(): Promise<Running>;
  /** Tables a refused request may still write, by `METHOD /path`, because refusing is what it records. */
  writesOnRefusal?: Record<string, string[]>;
}

/** What a service's composition root needs besides its own settings. */
interface Runtime {
  db: Knex;
  databaseUrl: string;
  kafka: Kafka;
  logger: Logger;
  metrics: Metrics;
  authenticator: Authenticator;
}

/** The app a service's `buildApp` gives, and what runs beside it: awaited before use, stopped after. */
interface Built {
  app: Koa<any>;
  ready?: Promise<unknown>;
  stop?(): Promise<void>;
}

/** A service whose tokens accounts issues: here a test issuer's, as in the service's own tests. */
function withTestIssuer(
  name: string,
  migrations: string,
  build: (runtime: Runtime) => Built,
  seedRows: (call: Call) => Promise<KnownIds> = async () => ({}),
): Target {
  return {
    name,
    async start() {
      const db = await testDatabase(name, migrations);
      await emptyTables(db);
      const issuer = await createTestIssuer();
      const built = build({
        db,
        databaseUrl: testDatabaseUrl(name),
        kafka: createKafka(brokers, `${name}-fuzz`),
        logger: createLogger(name),
        metrics: createMetrics(name),
        authenticator: issuer.authenticator(),
      });
      await built.ready;
      const running = await startHttp(built.app);
      const adminToken = await issuer.mint({ role: 'admin' });
      const knownIds = await seedRows(caller(running.url, adminToken));
      return {
        url: running.url,
        db,
        adminToken,
        knownIds,
        async close() {
          await built.stop?.();
          await running.close();
          await db.destroy();
        },
      };
    },
  };
}

const accounts: Target = {
  name: 'accounts',
  async start() {
    const harness = await startAccounts();
    const login = await caller(harness.url)('POST', '/api/v1/auth/login', {
      username: 'admin',
      password: adminPassword,
    });
    return {
      url: harness.url,
      db: harness.db,
      adminToken: login.accessToken,
      knownIds: { id: [login.user.id] },
      close: () => harness.close(),
    };
  },
  // A refused login, or a wrong current password on a change, is recorded: that record is what
  // limits password guessing.
  writesOnRefusal: { 'POST /api/v1/auth/login': ['login_attempts'], 'PATCH /api/v1/users/{id}': ['login_attempts'] },
};

/** A category, units, a product with its levels and a price, so ids in generated requests can name them. */
async function seedProducts(call: Call): Promise<KnownIds> {
  const category = await call('POST', '/api/v1/categories', { name: 'Fuzzed drinks' });
  const piece = await call('POST', '/api/v1/units', { name: 'fuzz piece', abbreviation: 'pc' });
  const box = await call('POST', '/api/v1/units', { name: 'fuzz box', abbreviation: 'box' });
  const product = await call('POST', '/api/v1/products', {
    sku: 'FUZZ-1',
    barcode: 'FUZZ-BC-1',
    name: 'Fuzz cola',
    categoryId: category.id,
    baseUnitId: piece.id,
    lowStockThreshold: 1,
  });
  const levels = await call('GET', `/api/v1/products/${product.id}/unit-levels`);
  const level = levels.items[0];
  const price = await call('POST', `/api/v1/products/${product.id}/prices`, {
    unitLevelId: level.id,
    sellPrice: 150,
    buyPrice: 90,
    currency: 'EUR',
  });
  return {
    id: [category.id, piece.id, product.id],
    categoryId: [category.id],
    baseUnitId: [piece.id],
    unitId: [box.id],
    unitLevelId: [level.id],
    levelId: [level.id],
    priceId: [price.id],
  };
}

/** Every service with an HTTP API: adding one is one line. */
const targets: Target[] = [
  accounts,
  withTestIssuer('products', products.migrations, (runtime) => ({ app: products.buildApp(runtime) }), seedProducts),
  withTestIssuer('transactions', transactions.migrations, (runtime) => ({
    app: transactions.buildApp({
      ...runtime,
      useCases: transactions.buildUseCases(
        transactions.transactionsDeps(runtime.db, transactions.settingsFromEnvironment()),
      ),
    }),
  })),
  withTestIssuer('notifications', notifications.migrations, (runtime) => notifications.buildApp(runtime)),
];

// ---------------------------------------------------------------------------------------------
// Requests on the wire: node:http, so that methods fetch refuses (TRACE) and paths it would
// normalise (`..`) are sent exactly as generated.

interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

interface Answer {
  status: number;
  contentType: string;
  text: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function send(url: string, request: FuzzRequest): Promise<Answer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const outgoing = http.request(
      { hostname, port, agent, method: request.method, path: request.path, headers: request.headers, timeout: 10_000 },
      (response) => {
        const contentType = String(response.headers['content-type'] ?? '');
        // A stream that opened is an answer; it never ends by itself.
        if (contentType.startsWith('text/event-stream')) {
          response.destroy();
          resolve({ status: response.statusCode ?? 0, contentType, text: '' });
          return;
        }
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, contentType, text: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error('no answer in 10 s')));
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}

type Call = (method: string, path: string, body?: unknown) => Promise<any>;

/** A well-formed call that must succeed: for setting the stage, not for fuzzing. */
function caller(url: string, token?: string): Call {
  return async (method, path, body) => {
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    const answer = await send(url, {
      method,
      path,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (answer.status >= 300) throw new Error(`${method} ${path} → ${answer.status} ${answer.text}`);
    return JSON.parse(answer.text);
  };
}

function describeRequest(request: FuzzRequest): string {
  const body =
    request.body === undefined
      ? ''
      : ` body ${JSON.stringify(request.body.length > 300 ? `${request.body.slice(0, 300)}…` : request.body)}${request.body.length > 300 ? ` (${request.body.length} chars)` : ''}`;
  const headers = Object.entries(request.headers).map(
    ([name, value]) => `${name}: ${name === 'authorization' && value.length > 40 ? `${value.slice(0, 20)}…` : value}`,
  );
  return `${request.method} ${request.path.length > 400 ? `${request.path.slice(0, 400)}… (${request.path.length} chars)` : request.path} [${headers.join('; ')}]${body}`;
}

// ---------------------------------------------------------------------------------------------
// What the database holds: per table, its row count and the newest row version's transaction id
// (xmin), so an insert, update or delete by a refused request shows.

async function tableStates(db: Knex): Promise<Map<string, string>> {
  const { rows: tables } = await db.raw<{ rows: Array<{ tablename: string }> }>(
    `select tablename from pg_tables where schemaname = current_schema() and tablename not like 'knex_migrations%' order by tablename`,
  );
  const states = tables.map(
    ({ tablename }) =>
      `select '${tablename}' as name, count(*) || ':' || coalesce(max(xmin::text::bigint), 0) as state from "${tablename}"`,
  );
  const { rows } = await db.raw<{ rows: Array<{ name: string; state: string }> }>(states.join(' union all '));
  return new Map(rows.map((row) => [row.name, row.state]));
}

const changedTables = (before: Map<string, string>, after: Map<string, string>) =>
  [...after].filter(([name, state]) => before.get(name) !== state).map(([name]) => name);

// ---------------------------------------------------------------------------------------------
// The OpenAPI document, as far as generating requests needs it.

interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  format?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
}

interface Parameter {
  name: string;
  in: 'path' | 'query';
  schema: Schema;
}

interface Operation {
  method: string;
  path: string;
  parameters?: Parameter[];
  requestBody?: { content: { 'application/json': { schema: Schema } } };
  security?: unknown[];
}

function operationsOf(document: {
  paths: Record<string, Record<string, Omit<Operation, 'method' | 'path'>>>;
}): Operation[] {
  const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ ...operation, method: method.toUpperCase(), path })),
  );
  // Logging out ends the admin's session, and every operation after it would stop at 401.
  return operations.sort((a, b) => Number(a.path.endsWith('/logout')) - Number(b.path.endsWith('/logout')));
}

// ---------------------------------------------------------------------------------------------
// The salt.

const nastyCharacters = [
  '\u0000',
  '\u0001',
  '\u0007',
  '\b',
  '\t',
  '\n',
  '\r',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u00a0',
  '\u200b',
  '\u202e',
  '\u2066',
  '\u2028',
  '\ufeff',
  '\ufffd',
  '\ud83d',
  '\udc00',
  '😀',
  '𝕏',
  '\u{10ffff}',
  '%00',
  '%',
  "'",
  '"',
  '\\',
  '/',
  '..',
  '<b>',
  '${x}',
  'é',
];
const prototypeNames = [
  'constructor',
  '__proto__',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'prototype',
  '__defineGetter__',
  'isPrototypeOf',
];
const oddNumbers = [
  2 ** 53,
  2 ** 53 - 1,
  -(2 ** 53),
  2 ** 63,
  2 ** 31,
  2 ** 31 - 1,
  -(2 ** 31) - 1,
  -1,
  0,
  -0,
  1.5,
  1e308,
  -1e308,
  5e-324,
];
const oddNumberTexts = [
  'NaN',
  'Infinity',
  '-Infinity',
  '1e308',
  '9007199254740992',
  '9007199254740993',
  '-1',
  '1.5',
  '0x10',
  '1_000',
  ' 1',
  '',
  '+1',
  '1e',
  '١٢',
];
const oddSegments = [
  '1',
  '-1',
  '0',
  '9007199254740992',
  'NaN',
  'null',
  'undefined',
  ...prototypeNames,
  '.',
  '..',
  '%2e%2e',
  '%2E.',
  '%00',
  '%',
  '%ZZ',
  '%ff',
  '%c0%ae',
  '%E2%80%AE',
  '%F0%9F%98%80',
  '%2F',
  '%5C',
  ';x=1',
  '00000000-0000-0000-0000-00000000000g',
  '00000000-0000-0000-0000-000000000000',
  'a'.repeat(600),
];
const oddMethods = [
  'TRACE',
  'PROPFIND',
  'PATCH',
  'PUT',
  'DELETE',
  'POST',
  'GET',
  'OPTIONS',
  'MKCOL',
  'LOCK',
  'SEARCH',
  'PURGE',
  'REPORT',
];
const oddContentTypes = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=utf-16',
  'application/merge-patch+json',
  'application/xml',
];
const oddAuthorizations = [
  'Bearer junk',
  `Bearer ${'a'.repeat(4000)}`,
  'Basic YWRtaW46YWRtaW4=',
  'Bearer',
  'Bearer eyJhbGciOiJub25lIn0.eyJyb2xlIjoiYWRtaW4ifQ.',
];

const nest = (depth: number, open: string, close: string, inner = '1') =>
  `${open.repeat(depth)}${inner}${close.repeat(depth)}`;
const oddBodies = [
  '',
  'null',
  '[]',
  '"text"',
  '42',
  'true',
  '{',
  '{"a":}',
  'nul',
  '\u0000',
  '{"a":1,"a":2}',
  nest(5000, '[', ']'),
  nest(1500, '{"a":', '}'),
  JSON.stringify({ deep: JSON.parse(nest(2000, '[', ']')) }),
  JSON.stringify('x'.repeat(300_000)),
  JSON.stringify(Object.fromEntries(Array.from({ length: 1500 }, (_, i) => [`k${i}`, i]))),
  '{"__proto__":{"role":"admin"}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
];

/** One character or name that breaks parsers, databases or logs; NUL most often, as Postgres text cannot hold it. */
const nastyPiece = fc.oneof(
  { weight: 2, arbitrary: fc.constant('\u0000') },
  { weight: 4, arbitrary: fc.constantFrom(...nastyCharacters) },
  { weight: 1, arbitrary: fc.constantFrom(...prototypeNames) },
);

/** Text salted with at least one nasty piece, sometimes huge. */
const nastyText = (maxLength = 40): fc.Arbitrary<string> =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .tuple(
          fc.string({ unit: 'grapheme-ascii', maxLength: Math.min(maxLength, 8) }),
          nastyPiece,
          fc.string({ unit: 'grapheme', maxLength: 4 }),
        )
        .map((parts) => parts.join('')),
    },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength }) },
    { weight: 1, arbitrary: fc.constantFrom(...prototypeNames) },
    { weight: 1, arbitrary: fc.constantFrom('x'.repeat(5000), '\u202e'.repeat(3000), '😀'.repeat(2000)) },
  );

const junk: fc.Arbitrary<unknown> = fc.oneof(
  nastyText(),
  fc.constantFrom(...oddNumbers),
  fc.constantFrom(null, true, false, [], {}, [null], { [prototypeNames[0]!]: 1 }),
  fc.constantFrom(...oddNumberTexts),
);

/** Percent-encodes text for a path or query; a lone surrogate, which cannot be, becomes the bytes a careless encoder sends. */
function encode(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return '%ED%A0%BD';
  }
}

/** Strings the pattern accepts, when fast-check can read the pattern (not every regex feature). */
function matching(pattern: string): fc.Arbitrary<string> | undefined {
  try {
    return fc.stringMatching(new RegExp(pattern));
  } catch {
    return undefined;
  }
}

/** An id that exists most of the time, any UUID otherwise. */
const someId = (ids: string[] = []) =>
  ids.length > 0
    ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...ids) }, { weight: 1, arbitrary: fc.uuid() })
    : fc.uuid();

/** Values of the schema's type (within its bounds or just past them), salted; `ids` are those the field takes. */
function plausible(schema: Schema, ids: string[]): fc.Arbitrary<unknown> {
  const choices = schema.anyOf ?? schema.oneOf ?? schema.allOf;
  if (choices) return fc.oneof(...choices.map((choice) => plausible(choice, ids)));
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      if (schema.format === 'uuid' || ids.length > 0) return someId(ids);
      if (schema.format === 'email')
        return fc.oneof(
          fc.emailAddress(),
          nastyText().map((text) => `${text}@shop.test`),
        );
      if (schema.format === 'date-time') {
        return fc.oneof(
          fc
            .date({ min: new Date(0), max: new Date(4102444800000), noInvalidDate: true })
            .map((date) => date.toISOString()),
          fc.constantFrom(
            '9999-12-31T23:59:59Z',
            '0000-01-01T00:00:00Z',
            '1970-01-01T00:00:00+14:00',
            '2026-02-29T00:00:00Z',
            '2026-01-01T00:00:00.123456789Z',
          ),
        );
      }
      return fc.oneof(
        (schema.pattern && matching(schema.pattern)) ||
          fc.string({
            unit: 'grapheme-ascii',
            minLength: schema.minLength ?? 0,
            maxLength: Math.min(schema.maxLength ?? 30, 60),
          }),
        nastyText(schema.maxLength ?? 40),
      );
    case 'integer': {
      // The schema's own bounds and one past them, beside numbers no contract carries.
      const bounds = [schema.minimum, schema.maximum].flatMap((bound) =>
        bound === undefined ? [] : [bound, bound - 1, bound + 1],
      );
      return fc.oneof(
        {
          weight: 1,
          arbitrary: fc.integer({
            min: Math.max(schema.minimum ?? -1000, -(2 ** 31)),
            max: Math.min(schema.maximum ?? 100_000, 2 ** 31 - 1),
          }),
        },
        { weight: 2, arbitrary: fc.constantFrom(...oddNumbers, ...bounds) },
      );
    }
    case 'number':
      return fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(...oddNumbers));
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(valueFor(schema.items ?? {}, ids), { maxLength: 3 });
    case 'object':
      return objectOf(schema, {});
    case 'null':
      return fc.constant(null);
    default:
      return junk;
  }
}

/** Mostly a plausible value, sometimes junk of any type. */
const valueFor = (schema: Schema, ids: string[]): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: 5, arbitrary: plausible(schema, ids) }, { weight: 1, arbitrary: junk });

/** The schema's fields, required ones rarely missing, now and then with extra keys such as `__proto__`. */
function objectOf(schema: Schema, ids: KnownIds): fc.Arbitrary<Record<string, unknown>> {
  const fields = Object.entries(schema.properties ?? {});
  const required = new Set(schema.required ?? []);
  const extraKeys = fc.oneof(fc.constantFrom(...prototypeNames), nastyText(20));
  return (
    fc
      .tuple(
        fc.tuple(
          ...fields.map(([name, field]) =>
            fc
              .option(valueFor(field, ids[name] ?? []), { nil: undefined, freq: required.has(name) ? 12 : 2 })
              .map((value) => [name, value] as const),
          ),
        ),
        fc.oneof(
          { weight: 4, arbitrary: fc.constant([]) },
          { weight: 1, arbitrary: fc.array(fc.tuple(extraKeys, junk), { minLength: 1, maxLength: 2 }) },
        ),
      )
      // fromEntries defines own properties, so `__proto__` is sent as a key, not set as a prototype.
      .map(([known, extra]) => Object.fromEntries([...known.filter(([, value]) => value !== undefined), ...extra]))
  );
}

function queryValue(schema: Schema, ids: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    {
      weight: 4,
      arbitrary: plausible(schema, ids).map((value) =>
        encode(typeof value === 'string' ? value : (JSON.stringify(value) ?? '')),
      ),
    },
    { weight: 1, arbitrary: fc.constantFrom(...oddNumberTexts).map(encode) },
    { weight: 1, arbitrary: nastyText().map(encode) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        ...prototypeNames,
        '-constructor',
        '-__proto__',
        '%00',
        '%ZZ',
        '%',
        '%ff',
        '%E2%80%AE',
        'a'.repeat(5000),
      ),
    },
  );
}

function queryOf(parameters: Parameter[], ids: KnownIds): fc.Arbitrary<string> {
  const declared = parameters.map((parameter) =>
    fc.option(
      queryValue(parameter.schema, ids[parameter.name] ?? []).map((value) => `${parameter.name}=${value}`),
      { nil: undefined, freq: 2 },
    ),
  );
  const extraKey = fc.oneof(
    fc.constantFrom(...prototypeNames, ...parameters.map((p) => p.name)),
    nastyText(20).map(encode),
  );
  const extras = fc.oneof(
    { weight: 4, arbitrary: fc.constant([]) },
    { weight: 1, arbitrary: fc.array(fc.tuple(extraKey, queryValue({}, [])), { minLength: 1, maxLength: 2 }) },
  );
  return fc.tuple(fc.tuple(...declared), extras).map(([known, extra]) => {
    const pairs = [...known.filter((pair) => pair !== undefined), ...extra.map(([key, value]) => `${key}=${value}`)];
    return pairs.length > 0 ? `?${pairs.join('&')}` : '';
  });
}

function pathOf(template: string, ids: KnownIds): fc.Arbitrary<string> {
  const names = [...template.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
  const segment = (name: string) =>
    fc.oneof(
      { weight: 6, arbitrary: someId(ids[name] ?? ids.id) },
      { weight: 2, arbitrary: fc.constantFrom(...oddSegments) },
      { weight: 1, arbitrary: nastyText(20).map(encode) },
    );
  return fc.tuple(...names.map(segment)).map((segments) => {
    let at = 0;
    return template.replace(/\{\w+\}/g, () => segments[at++]!);
  });
}

function requestsFor(operation: Operation, declaredMethods: Set<string>, running: Running): fc.Arbitrary<FuzzRequest> {
  const ids = running.knownIds;
  const parameters = operation.parameters ?? [];
  const bodySchema = operation.requestBody?.content['application/json'].schema;
  const unusedMethods = oddMethods.filter((method) => !declaredMethods.has(method));
  const needsToken = (operation.security ?? []).length > 0;
  return fc
    .record({
      method: fc.oneof(
        { weight: 6, arbitrary: fc.constant(operation.method) },
        { weight: 1, arbitrary: fc.constantFrom(...unusedMethods) },
      ),
      path: pathOf(operation.path, ids),
      query: queryOf(
        parameters.filter((p) => p.in === 'query'),
        ids,
      ),
      authorization: fc.oneof(
        { weight: needsToken ? 8 : 1, arbitrary: fc.constant<string | undefined>(`Bearer ${running.adminToken}`) },
        { weight: 1, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.constantFrom(...oddAuthorizations) },
      ),
      contentType: fc.oneof(
        { weight: 9, arbitrary: fc.constant('application/json') },
        { weight: 1, arbitrary: fc.constantFrom(...oddContentTypes) },
      ),
      body: bodySchema
        ? fc.oneof(
            { weight: 8, arbitrary: objectOf(bodySchema, ids).map((body) => JSON.stringify(body)) },
            { weight: 1, arbitrary: fc.constantFrom(...oddBodies) },
          )
        : fc.oneof(
            { weight: 4, arbitrary: fc.constant(undefined) },
            { weight: 1, arbitrary: fc.constantFrom(...oddBodies) },
          ),
    })
    .map(({ method, path, query, authorization, contentType, body }) => ({
      method,
      path: `${path}${query}`,
      headers: {
        ...(authorization ? { authorization } : {}),
        ...(body !== undefined
          ? { 'content-type': contentType, 'content-length': String(Buffer.byteLength(body)) }
          : {}),
      },
      body,
    }));
}

// ---------------------------------------------------------------------------------------------

interface Wrong {
  /** What kind of wrong, for grouping: the same kind on the same operation is one finding. */
  kind: string;
  detail: string;
}

/** What is wrong with an answer, if anything. */
function verdict(answer: Answer, written: string[]): Wrong | undefined {
  const text = answer.text.slice(0, 200);
  if (answer.status >= 500) return { kind: `${answer.status}`, detail: text };
  if (answer.status < 400) return undefined;
  if (!answer.contentType.startsWith('application/problem+json')) {
    return { kind: `${answer.status} not problem+json`, detail: `${answer.contentType || 'no content type'}: ${text}` };
  }
  let problem: { status?: unknown; code?: unknown };
  try {
    problem = JSON.parse(answer.text);
  } catch {
    return { kind: `${answer.status} problem is not JSON`, detail: text };
  }
  if (problem.status !== answer.status || typeof problem.code !== 'string')
    return { kind: `${answer.status} malformed problem`, detail: text };
  if (written.length > 0) return { kind: `${answer.status} wrote ${written.join(', ')}`, detail: text };
  return undefined;
}

console.log(
  `openapi fuzz: seed ${seed}, ${runsPerOperation} requests per operation (set FUZZ_SEED and FUZZ_RUNS to change them)`,
);

describe.each(targets)('the $name API, fuzzed from its OpenAPI document', (target) => {
  let running: Running | undefined;
  afterAll(async () => {
    await running?.close();
  });

  test('never answers 5xx, answers every 4xx with problem+json and writes nothing on a 4xx', async () => {
    running = await target.start();
    const service = running;
    const document = await caller(service.url)('GET', '/openapi.json');
    const operations = operationsOf(document);
    expect(operations.length).toBeGreaterThan(0);
    // Every request is sent, and each kind of wrong answer per operation is kept with its shortest
    // request, so one run lists every distinct failure rather than stopping at the first.
    const findings = new Map<string, { request: FuzzRequest; detail: string }>();
    let state = await tableStates(service.db);
    for (const operation of operations) {
      const declaredMethods = new Set(
        Object.keys(document.paths[operation.path]).map((method) => method.toUpperCase()),
      );
      for (const request of fc.sample(requestsFor(operation, declaredMethods, service), {
        seed,
        numRuns: runsPerOperation,
      })) {
        const answer = await send(service.url, request);
        const after = await tableStates(service.db);
        const allowed = new Set(target.writesOnRefusal?.[`${request.method} ${operation.path}`] ?? []);
        const written = changedTables(state, after).filter((table) => !allowed.has(table));
        state = after;
        const wrong = verdict(answer, written);
        if (!wrong) continue;
        const key = `${operation.method} ${operation.path}, sent as ${request.method}: ${wrong.kind}`;
        const known = findings.get(key);
        if (!known || describeRequest(request).length < describeRequest(known.request).length)
          findings.set(key, { request, detail: wrong.detail });
      }
    }
    const failures = [...findings].map(
      ([key, { request, detail }]) => `${key}\n  ${describeRequest(request)}\n  → ${detail}`,
    );
    expect(failures).toEqual([]);
  });
});
