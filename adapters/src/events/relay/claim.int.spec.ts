// The relay's claim against the real Postgres, with vacuum kept away from the outbox as it is when
// autovacuum lags behind a busy relay (or is off): published rows must not make every claim slower.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { assertTestDatabase, createDatabase } from '../../postgres/database';
import { createLogger } from '../../logger';
import { resetTables, testDatabaseUrl } from '../../testing/events';
import { OUTBOX_TABLE } from '../tables';
import { markAndClaim, markAndClaimSql } from './claim';
import { relayLock } from './lock';

assertTestDatabase(testDatabaseUrl);
const db = createDatabase(testDatabaseUrl);
const lock = relayLock(db, 'claim-test', createLogger('claim-test'));
const published = 5000;
const batch = 500;

/** Buffers (8 KiB pages) one claim of the next unpublished rows reads, from Postgres's own count. */
async function pagesReadByClaim(): Promise<number> {
  const result = await db
    .raw(`explain (analyze, buffers, format json) ${markAndClaimSql}`, [[], [], batch])
    .connection(lock.session);
  const plan = result.rows[0]['QUERY PLAN'][0].Plan;
  return plan['Shared Hit Blocks'] + plan['Shared Read Blocks'];
}

interface PlanNode {
  Filter?: string;
  Plans?: PlanNode[];
}

const filters = (node: PlanNode): string[] => [
  ...(node.Filter ? [node.Filter] : []),
  ...(node.Plans ?? []).flatMap(filters),
];

describe('claiming from an outbox full of published rows', () => {
  beforeAll(async () => {
    await resetTables(db);
    await db.raw(`alter table ${OUTBOX_TABLE} set (autovacuum_enabled = false)`);
    await db.raw(
      `insert into ${OUTBOX_TABLE} (event_id, event_type, topic, key, payload)
       select 'e' || n, 'ItemRecorded', 'claim-test', 'k' || (n % 50), jsonb_build_object('seq', n, 'text', repeat('x', 200))
         from generate_series(1, ?) n`,
      [published],
    );
    expect(await lock.acquire()).toBe(true);
    // Publish them as the relay does: each claim marks the batch before it.
    let acknowledged: string[] = [];
    for (;;) {
      const rows = await markAndClaim(db, lock.session, acknowledged, [], batch);
      if (rows.length === 0) break;
      acknowledged = rows.map((row) => row.id);
    }
    await db(OUTBOX_TABLE).insert({
      event_id: 'fresh',
      event_type: 'ItemRecorded',
      topic: 'claim-test',
      key: 'k',
      payload: {},
    });
  });
  afterAll(async () => {
    await lock.release();
    await db.destroy();
  });

  test('finds the one new row, then reads a few pages per claim instead of every published row', async () => {
    const [first] = await markAndClaim(db, lock.session, [], [], batch);
    expect(first?.event_id).toBe('fresh');
    expect(await db(OUTBOX_TABLE).whereNull('published_at').count({ n: '*' })).toEqual([{ n: '1' }]);

    // 5,000 published rows fill about 200 pages; a claim that walks them all reads every one.
    expect(await pagesReadByClaim()).toBeLessThan(40);
  });

  test('leaves out the rows in flight with one hash probe per row it passes, not a comparison with each of them', async () => {
    const ids = Array.from({ length: 1000 }, (_, i) => String(i + 1));
    const result = await db
      .raw(`explain (format json) ${markAndClaimSql}`, [ids.slice(0, 500), ids, batch])
      .connection(lock.session);
    // The mark's filter is `id = ANY (…)`; the claim's is the other one.
    const claim = filters(result.rows[0]['QUERY PLAN'][0].Plan).filter((filter) => !/= ANY/.test(filter));
    expect(claim).toEqual([expect.stringMatching(/^\(NOT \(hashed SubPlan \d+\)\)$/)]);
  });
});
