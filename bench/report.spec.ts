import { describe, expect, test } from '@jest/globals';
import { renderChart } from './chart';
import type { BenchReport, EventFigures, HttpFigures, Kind } from './model';
import { ratioToBaseline, renderMarkdown, renderText } from './report';

const figures = (name: string, kind: Kind, requestsPerSecond: number, p99: number, baseline = false): HttpFigures => ({
  name,
  kind,
  baseline,
  requestsPerSecond,
  p50: p99 / 4,
  p99,
  max: p99 * 2,
  requests: requestsPerSecond * 10,
  non2xx: 0,
  errors: 0,
});

const http = [
  figures('products GET /api/v1/products/:id', 'read', 4000, 30),
  figures('bare Koa + pg primary-key read', 'read', 5000, 12, true),
  figures('bare Koa hello', 'hello', 20000, 4, true),
  figures('products GET /health/live', 'hello', 10000, 6),
  figures('bare Koa + pg single insert', 'write', 4000, 14, true),
  figures('products POST /api/v1/categories', 'write', 1000, 70),
];

const report: BenchReport = {
  runId: 'r1',
  startedAt: '2026-11-29T07:00:00.000Z',
  loadBefore: '1.50 1.20 1.00 2/500 99',
  loadAfter: '2.50 1.40 1.10 2/500 120',
  settings: { connections: 32, durationSeconds: 10, warmupSeconds: 3, generator: 'autocannon' },
  http,
  mix: {
    seconds: 30,
    users: 32,
    requestsPerSecond: 812.4,
    actions: [{ name: 'POST /sales (1-3 lines)', count: 3000, errors: 2, p50: 12.25, p99: 48, max: 90 }],
    failures: [{ what: 'POST /sales (1-3 lines): 422 LINES.UNUSABLE', count: 2 }],
    processes: [{ service: 'products', pid: 42, rssStartMb: 150.2, rssEndMb: 160.7, rssMaxMb: 171, cpuPercent: 63.4 }],
  },
  deliveries: {
    written: 10,
    expected: 12,
    applied: 11,
    lost: 1,
    appliedTwice: 0,
    lostSample: ['t.X e9 → products'],
    duplicates: [],
    skipped: ['t.Y → transactions: declared in contracts/src/catalogue.ts, never applied'],
    elsewhere: ['1 to products, by group products in database tulity_products_test'],
  },
  soak: {
    minutes: 10,
    warmupSeconds: 60,
    series: [{ service: 'products', samplesMb: [100, 104, 120], growthPercent: 20 }],
  },
};

describe('ratios', () => {
  test('each endpoint is divided by the baseline of its kind from the same run', () => {
    expect(ratioToBaseline(http, http[0]!)).toBeCloseTo(0.8);
    expect(ratioToBaseline(http, http[3]!)).toBeCloseTo(0.5);
    expect(ratioToBaseline(http, http[5]!)).toBeCloseTo(0.25);
  });

  test('is NaN when the run has no baseline of that kind', () => {
    expect(ratioToBaseline(http.slice(0, 1), http[0]!)).toBeNaN();
  });
});

describe('baselines on both sides of the endpoints', () => {
  const read = figures('products GET /api/v1/products/:id', 'read', 4000, 30);
  const bracketed: HttpFigures[] = [
    { ...figures('bare Koa + pg primary-key read', 'read', 4000, 12, true), round: 'before' },
    read,
    { ...figures('bare Koa + pg primary-key read', 'read', 6000, 10, true), round: 'after' },
  ];
  const text = renderText({ ...report, http: bracketed });

  test('an endpoint is compared with the mean of the two rounds', () => {
    expect(ratioToBaseline(bracketed, read)).toBeCloseTo(0.8);
  });

  test('names each round and says how far the baseline moved between them', () => {
    expect(text).toContain('bare Koa + pg primary-key read (before the endpoints)');
    expect(text).toContain('bare Koa + pg primary-key read (after the endpoints)');
    expect(text).toContain('from the first to the second: bare Koa + pg primary-key read +50.0 %.');
    expect(renderChart(bracketed, 't')).toContain('bare Koa + pg primary-key read (after the endpoints)');
  });

  test('a run with one round says nothing of drift', () => {
    expect(renderText(report)).not.toContain('from the first to the second');
  });
});

describe('a baseline run just before each endpoint', () => {
  const detail = figures('products GET /api/v1/products/:id', 'read', 3000, 30);
  const list = figures('products GET /api/v1/products?pageSize=20', 'read', 1000, 40);
  const readBaseline = (requestsPerSecond: number, pairedWith: string): HttpFigures => ({
    ...figures('bare Koa + pg primary-key read', 'read', requestsPerSecond, 10, true),
    pairedWith,
  });
  const paired: HttpFigures[] = [
    { ...figures('bare Koa + pg primary-key read', 'read', 8000, 12, true), round: 'before' },
    readBaseline(6000, detail.name),
    detail,
    readBaseline(2000, list.name),
    list,
    { ...figures('bare Koa + pg primary-key read', 'read', 4000, 10, true), round: 'after' },
  ];
  const text = renderText({ ...report, http: paired });

  test('is what the endpoint is compared with, not the rounds', () => {
    expect(ratioToBaseline(paired, detail)).toBeCloseTo(0.5);
    expect(ratioToBaseline(paired, list)).toBeCloseTo(0.5);
  });

  test('an endpoint without one is compared with the rounds alone', () => {
    const me = figures('accounts GET /api/v1/auth/me', 'read', 3000, 20);
    expect(ratioToBaseline([...paired, me], me)).toBeCloseTo(0.5);
  });

  test('stands just above its endpoint, after the rounds, and the note says how ratios are taken', () => {
    const lines = text
      .split('\n')
      .filter((line) => line.startsWith('bare Koa + pg') || line.startsWith('products GET'));
    expect(lines.map((line) => line.slice(0, 60).trim())).toEqual([
      'bare Koa + pg primary-key read (before the endpoints)',
      'bare Koa + pg primary-key read (after the endpoints)',
      'bare Koa + pg primary-key read (just before the next)',
      'products GET /api/v1/products/:id',
      'bare Koa + pg primary-key read (just before the next)',
      'products GET /api/v1/products?pageSize=20',
    ]);
    expect(text).toContain('Each endpoint is compared with its baseline run just before it');
    expect(text).toContain('from the first round to the second: bare Koa + pg primary-key read −50.0 %.');
  });
});

describe('Markdown report', () => {
  const markdown = renderMarkdown(report, 'chart.svg');

  test('has a row per endpoint with its figures, ratio and target verdict', () => {
    expect(markdown).toContain(
      '| products GET /api/v1/products/:id | 4,000 | 7.5 ms | 30 ms | 60 ms | 0 | 0.80 | ≥ 0.7: yes |',
    );
    expect(markdown).toContain(
      '| products POST /api/v1/categories | 1,000 | 18 ms | 70 ms | 140 ms | 0 | 0.25 | ≥ 0.6: no |',
    );
    expect(markdown).toContain('| bare Koa hello | 20,000 | 1.0 ms | 4.0 ms | 8.0 ms | 0 | 1 |  |');
  });

  test('puts each endpoint after the baseline it is compared with', () => {
    const order = [
      'bare Koa + pg primary-key read',
      'products GET /api/v1/products/:id',
      'bare Koa + pg single insert',
      'products POST /api/v1/categories',
      'bare Koa hello',
      'products GET /health/live',
    ];
    const positions = order.map((name) => markdown.indexOf(`| ${name} |`));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  test('keeps the load average, the chart, the losses and the soak verdict', () => {
    expect(markdown).toContain('load average before: 1.50 1.20 1.00 2/500 99; after: 2.50 1.40 1.10 2/500 120');
    expect(markdown).toContain('![requests/s and p99 per endpoint](chart.svg)');
    expect(markdown).toContain('| 10 | 12 | 11 | 1 | 0 |');
    expect(markdown).toContain('lost: t.X e9 → products');
    expect(markdown).toContain('not counted: t.Y → transactions');
    expect(markdown).toContain(
      'lost here, applied elsewhere: 1 to products, by group products in database tulity_products_test',
    );
    expect(markdown).toContain('| products | 100 MB | 120 MB | 20.0 % | no |');
  });

  test('has the mix per action with its failures, and the memory and CPU of each service', () => {
    expect(markdown).toContain('32 users without think time, 30 s, 812 requests/s in all');
    expect(markdown).toContain('| POST /sales (1-3 lines) | 3,000 | 2 | 12 ms | 48 ms | 90 ms |');
    expect(markdown).toContain('failed 2 ×: POST /sales (1-3 lines): 422 LINES.UNUSABLE');
    expect(markdown).toContain('| products | 42 | 150 MB | 161 MB | 171 MB | 63 % of a core |');
  });

  test("says where each measured run's CPU went, in the report and the terminal", () => {
    const accounted = {
      ...report,
      http: [
        ...http.slice(0, 1).map((row) => ({
          ...row,
          cpu: [
            { who: 'products', micros: 265.4 },
            { who: "products' Postgres", micros: 190 },
            { who: 'other', micros: 40 },
          ],
        })),
        ...http.slice(1),
      ],
    };
    expect(renderMarkdown(accounted)).toContain(
      "| products GET /api/v1/products/:id | 495 | products 265, products' Postgres 190, other 40 |",
    );
    expect(renderText(accounted)).toMatch(/products GET \/api\/v1\/products\/:id\s+495 {2}products 265, /);
    expect(renderText(report)).not.toContain('Where the CPU went');
  });

  test('has each event flow end to end, and what a purchase cost the machine against the rate asked for', () => {
    const events: EventFigures = {
      targetRate: 500,
      achievedRate: 251.4,
      seconds: 10,
      failedWrites: 0,
      flows: [
        { type: 'tulity.transactions.PurchaseRecorded', service: 'products', count: 2514, p50: 40, p99: 180, max: 300 },
      ],
      cpu: [
        { who: 'transactions', micros: 3000 },
        { who: 'Kafka', micros: 2000 },
        { who: 'other', micros: 1000 },
      ],
      cores: 2,
    };
    const markdown = renderMarkdown({ ...report, events });
    expect(markdown).toContain('Events end to end at 500 writes/s (achieved 251/s, 10 s, 0 failed writes)');
    expect(markdown).toContain('| tulity.transactions.PurchaseRecorded | products | 2,514 | 40 ms | 180 ms | 300 ms |');
    expect(markdown).toContain(
      'from its request until its event was applied: 6,000 µs (transactions 3,000, Kafka 2,000, other 1,000).',
    );
    expect(markdown).toContain(
      "this machine's 2 cores take at most 333 purchases/s with nothing else running; 500/s needs 3.0 cores.",
    );
    expect(renderMarkdown({ ...report, events: { ...events, cpu: undefined } })).not.toContain('cores take at most');
  });

  test('the terminal table holds the same figures, aligned', () => {
    const text = renderText(report);
    expect(text).toMatch(/products GET \/api\/v1\/products\/:id +4,000 +7\.5 ms +30 ms +60 ms +0 +0\.80 +≥ 0\.7: yes/);
  });
});

describe('SVG chart', () => {
  const svg = renderChart(http, 'run <r1> & co');

  test('is one well-formed svg document with an escaped title', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('run &lt;r1&gt; &amp; co');
    expect(svg).not.toContain('<r1>');
  });

  test('draws a requests/s bar and a p99 bar per endpoint, scaled to the largest', () => {
    const bars = [...svg.matchAll(/<rect x="\d+" y="\d+" width="([\d.]+)" height="18" fill="(#[0-9a-f]{6})"/g)];
    expect(bars).toHaveLength(http.length * 2);
    const widths = bars.map((bar) => Number(bar[1]));
    // The hello baseline has the most requests/s and the categories write the highest p99: full width.
    expect(Math.max(...widths)).toBe(300);
    expect(svg).toMatch(/<title>bare Koa hello: 20,000 requests\/s<\/title>/);
    expect(svg).toMatch(/<title>products POST \/api\/v1\/categories: p99 70 ms<\/title>/);
  });

  test('greys the baselines and colours endpoints by their target', () => {
    expect(svg).toMatch(/fill="#9e9e9e"><title>bare Koa hello/);
    expect(svg).toMatch(/fill="#2e7d32"><title>products GET \/api\/v1\/products\/:id/);
    expect(svg).toMatch(/fill="#c62828"><title>products POST \/api\/v1\/categories/);
  });
});
