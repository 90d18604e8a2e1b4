import { describe, expect, test } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { runBaselines } from './baselines';
import { baselineOf, type BenchReport } from './model';
import { renderMarkdown } from './report';

const pgAdminUrl = process.env.TULITY_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function databasesNamed(prefix: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: pgAdminUrl });
  await client.connect();
  try {
    const { rows } = await client.query('select datname from pg_database where starts_with(datname, $1)', [prefix]);
    return rows.map((row: { datname: string }) => row.datname);
  } finally {
    await client.end();
  }
}

describe('the baselines stage', () => {
  // Figures, not speeds: a shared machine decides how fast, the test only that each was measured.
  test('measures bare Koa hello, the primary-key read and the insert on a database of its own, then drops it', async () => {
    const runId = `test-${randomBytes(3).toString('hex')}`;
    const figures = await runBaselines({
      pgAdminUrl,
      runId,
      ports: { hello: 8401, read: 8402, insert: 8403 },
      load: { connections: 4, durationSeconds: 1, warmupSeconds: 0 },
      say: () => {},
    });

    expect(figures.map((f) => f.name)).toEqual([baselineOf.hello, baselineOf.read, baselineOf.write]);
    for (const f of figures) {
      expect(f.baseline).toBe(true);
      expect(f.requests).toBeGreaterThan(0);
      expect(f.requestsPerSecond).toBeGreaterThan(0);
      expect(f.non2xx + f.errors).toBe(0);
      expect(Number.isFinite(f.p99)).toBe(true);
    }
    const report: BenchReport = {
      runId,
      startedAt: new Date().toISOString(),
      loadBefore: '',
      loadAfter: '',
      settings: { connections: 4, durationSeconds: 1, warmupSeconds: 0, generator: 'autocannon' },
      http: figures,
    };
    const markdown = renderMarkdown(report);
    for (const name of Object.values(baselineOf)) {
      expect(markdown).toMatch(
        new RegExp(
          `\\| ${name.replace(/[+]/g, '\\+')} \\| [\\d,]+ \\| [\\d.]+ ms \\| [\\d.]+ ms \\| [\\d.]+ ms \\| 0 \\| 1 \\|`,
        ),
      );
    }
    expect(await databasesNamed(`tulity_bench_${runId.replace(/-/g, '_')}`)).toEqual([]);
  });
});
