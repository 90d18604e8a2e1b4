// The exporter's metrics. Values are set once per scan from the cached snapshot, so a scrape
// costs no broker call, and groups or partitions that disappeared drop out of the output.
import { Gauge, type Registry } from 'prom-client';
import type { Snapshot } from './scan';

/** The states a group can be in; each gets a 0/1 series so a dashboard can show the current one. */
export const groupStates = ['Stable', 'Empty', 'PreparingRebalance', 'CompletingRebalance', 'Dead'] as const;

export interface LagMetrics {
  publish(snapshot: Snapshot, at: Date): void;
  scanFailed(): void;
}

export function lagMetrics(registry: Registry): LagMetrics {
  const registers = [registry];
  const partitionLabels = ['group', 'topic', 'partition'] as const;
  const lag = new Gauge({
    name: 'kafka_consumergroup_lag',
    help: "Log-end offset minus the group's committed offset, per partition, as the broker sees it.",
    labelNames: partitionLabels,
    registers,
  });
  const committed = new Gauge({
    name: 'kafka_consumergroup_committed_offset',
    help: "The group's committed offset per partition; not moving while lag > 0 means the group is stalled.",
    labelNames: partitionLabels,
    registers,
  });
  const logEnd = new Gauge({
    name: 'kafka_topic_partition_log_end_offset',
    help: "Offset of the next message to be written to the partition; its rate is the topic's incoming events.",
    labelNames: ['topic', 'partition'],
    registers,
  });
  const members = new Gauge({
    name: 'kafka_consumergroup_members',
    help: 'Consumers in the group right now (0 when every process of it is down).',
    labelNames: ['group'],
    registers,
  });
  const state = new Gauge({
    name: 'kafka_consumergroup_state',
    help: "1 for the group's current state, 0 for the others.",
    labelNames: ['group', 'state'],
    registers,
  });
  const lastScan = new Gauge({
    name: 'kafka_lag_exporter_last_scan_timestamp_seconds',
    help: 'When the last successful scan of the broker finished.',
    registers,
  });
  const scanOk = new Gauge({
    name: 'kafka_lag_exporter_scan_success',
    help: '1 when the last scan of the broker succeeded.',
    registers,
  });

  return {
    publish(snapshot, at) {
      // No await between reset and set: a scrape never sees a half-written snapshot.
      for (const gauge of [lag, committed, logEnd, members, state]) gauge.reset();
      for (const p of snapshot.partitions) {
        const labels = { group: p.group, topic: p.topic, partition: String(p.partition) };
        lag.set(labels, p.lag);
        if (p.committed !== null) committed.set(labels, p.committed);
      }
      for (const e of snapshot.logEnds) logEnd.set({ topic: e.topic, partition: String(e.partition) }, e.logEnd);
      for (const g of snapshot.groups) {
        members.set({ group: g.group }, g.members);
        for (const s of groupStates) state.set({ group: g.group, state: s }, g.state === s ? 1 : 0);
      }
      lastScan.set(at.getTime() / 1000);
      scanOk.set(1);
    },
    // The last good figures stay: a lag alert must not resolve because one scan failed.
    scanFailed: () => scanOk.set(0),
  };
}
