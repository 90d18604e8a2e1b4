// The lag exporter's scan against a fake admin: which groups it reads, how lag is counted per
// partition, and what the metrics then say (the real broker is in alerts-fire.int.spec.ts).
import { describe, expect, test } from '@jest/globals';
import { Registry } from 'prom-client';
import { lagMetrics } from '../lag-exporter/metrics';
import { scanGroups, type OffsetsAdmin } from '../lag-exporter/scan';

/** A broker holding `sales` (three partitions) and what each group committed on it. */
function fakeAdmin(committed: Record<string, Array<{ partition: number; offset: string }>>): OffsetsAdmin {
  const ends = [
    { partition: 0, offset: '40', high: '40', low: '0' },
    { partition: 1, offset: '25', high: '25', low: '5' },
    { partition: 2, offset: '10', high: '10', low: '0' },
  ];
  return {
    listGroups: async () => ({
      groups: [
        ...Object.keys(committed).map((groupId) => ({ groupId, protocolType: 'consumer' })),
        { groupId: 'products-connect', protocolType: 'connect' },
      ],
    }),
    describeGroups: async (ids: string[]) => ({
      groups: ids.map((groupId) => ({
        groupId,
        state: groupId === 'products' ? 'Empty' : 'Stable',
        members: groupId === 'products' ? [] : [{} as never],
        protocol: '',
        protocolType: 'consumer',
        errorCode: 0,
      })),
    }),
    fetchOffsets: async ({ groupId }: { groupId: string }) => [
      { topic: 'sales', partitions: committed[groupId]!.map((p) => ({ ...p, metadata: null })) },
    ],
    fetchTopicOffsets: async () => ends,
  } as unknown as OffsetsAdmin;
}

describe('lag scan', () => {
  test('counts log-end minus committed per partition, and everything retained where the group never committed', async () => {
    const admin = fakeAdmin({
      products: [
        { partition: 0, offset: '30' },
        { partition: 1, offset: '-1' },
      ],
      transactions: [
        { partition: 0, offset: '40' },
        { partition: 1, offset: '25' },
        { partition: 2, offset: '12' },
      ],
    });

    const snapshot = await scanGroups(admin, /^(products|transactions)$/);

    expect(snapshot.groups).toEqual([
      { group: 'products', state: 'Empty', members: 0 },
      { group: 'transactions', state: 'Stable', members: 1 },
    ]);
    expect(snapshot.partitions.filter((p) => p.group === 'products')).toEqual([
      { group: 'products', topic: 'sales', partition: 0, committed: 30, logEnd: 40, lag: 10 },
      // -1 and a partition left out both mean "never committed": the log's 25 − 5 retained events.
      { group: 'products', topic: 'sales', partition: 1, committed: null, logEnd: 25, lag: 20 },
      { group: 'products', topic: 'sales', partition: 2, committed: null, logEnd: 10, lag: 10 },
    ]);
    // A commit read after a newer end never makes the lag negative.
    expect(snapshot.partitions.find((p) => p.group === 'transactions' && p.partition === 2)?.lag).toBe(0);
  });

  test('reads only the consumer groups the pattern names, and none when no group matches', async () => {
    const admin = fakeAdmin({
      products: [{ partition: 0, offset: '1' }],
      'g-test-1234': [{ partition: 0, offset: '1' }],
    });

    expect((await scanGroups(admin, /^products/)).groups.map((g) => g.group)).toEqual(['products']);
    expect(await scanGroups(admin, /^nobody$/)).toEqual({ groups: [], partitions: [], logEnds: [] });
  });

  test('a group that never committed on a topic has no lag there to report', async () => {
    const snapshot = await scanGroups(fakeAdmin({ products: [{ partition: 0, offset: '-1' }] }), /.*/);

    expect(snapshot.partitions).toEqual([]);
  });

  test('the metrics carry the latest scan only, and keep it when a scan fails', async () => {
    const registry = new Registry();
    const metrics = lagMetrics(registry);
    const read = async (name: string) =>
      (await registry.getSingleMetric(name)!.get()).values.map((v) => ({ labels: v.labels, value: v.value }));

    metrics.publish(
      await scanGroups(
        fakeAdmin({ products: [{ partition: 0, offset: '30' }], gone: [{ partition: 0, offset: '1' }] }),
        /.*/,
      ),
      new Date(1000),
    );
    metrics.publish(await scanGroups(fakeAdmin({ products: [{ partition: 0, offset: '35' }] }), /.*/), new Date(2000));
    metrics.scanFailed();

    expect((await read('kafka_consumergroup_lag')).filter((v) => v.labels.partition === '0')).toEqual([
      { labels: { group: 'products', topic: 'sales', partition: '0' }, value: 5 },
    ]);
    expect(await read('kafka_consumergroup_committed_offset')).toEqual([
      { labels: { group: 'products', topic: 'sales', partition: '0' }, value: 35 },
    ]);
    expect(await read('kafka_consumergroup_members')).toEqual([{ labels: { group: 'products' }, value: 0 }]);
    expect((await read('kafka_consumergroup_state')).filter((v) => v.value === 1)).toEqual([
      { labels: { group: 'products', state: 'Empty' }, value: 1 },
    ]);
    expect(await read('kafka_lag_exporter_last_scan_timestamp_seconds')).toEqual([{ labels: {}, value: 2 }]);
    expect(await read('kafka_lag_exporter_scan_success')).toEqual([{ labels: {}, value: 0 }]);
  });
});
