// The event backbone's benchmark (a script, not a test): `npm run bench:events`.
//   1. relay throughput: a pre-filled outbox drained to Kafka, events/s
//   2. Kafka's own ProducerPerformance, same record count and size, acks=all, idempotent: the ceiling
//   3. end to end at a steady write rate: outbox commit → relay → Kafka → consumer commit, p50/p99
// Uses the shared broker and registry and the tulity_adapters_test database (its backbone tables are reset).
// Knobs: BENCH_EVENTS (relay run size), BENCH_RATE (writes/s), BENCH_SECONDS (steady run length).
import { fork, spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { kafkaHome } from '../../stack/config.mjs';
import { assertTestDatabase, createDatabase } from '../src/postgres/database';
import { createKafka } from '../src/kafka/client';
import { createLogger } from '../src/logger';
import { createMetrics } from '../src/metrics';
import { createOutbox, type OutgoingEvent } from '../src/events/outbox';
import { transaction } from '../src/postgres/transaction';
import { startRelay } from '../src/events/relay';
import { avroType } from '../src/events/avro';
import {
  itemPayload,
  itemRecorded,
  registerSubject,
  resetTables,
  sharedBrokers,
  sharedRegistryUrl,
  testDatabaseUrl,
  unique,
  waitFor,
} from '../src/testing/events';

const total = Number(process.env.BENCH_EVENTS ?? 50_000);
const rate = Number(process.env.BENCH_RATE ?? 500);
const seconds = Number(process.env.BENCH_SECONDS ?? 20);

assertTestDatabase(testDatabaseUrl);
const db = createDatabase(testDatabaseUrl);
const kafka = createKafka(sharedBrokers, 'bench-events');
const logger = createLogger('bench-events');
const say = (line: string) => console.log(`[bench] ${line}`);

async function prepare(name: string) {
  const definition = itemRecorded(unique(`bench.${name}`));
  const catalogue = { [definition.type]: definition };
  await registerSubject(sharedRegistryUrl, definition.subject, definition.schema);
  return { definition, catalogue, outbox: createOutbox(catalogue) };
}

async function relayThroughput() {
  const { definition, catalogue, outbox } = await prepare('relay');
  say(`filling the outbox with ${total} events`);
  const keys = Array.from({ length: 100 }, (_, i) => `aggregate-${i}`);
  let recordSize = 0;
  for (let start = 0; start < total; start += 1000) {
    const events: OutgoingEvent[] = [];
    for (let i = start; i < Math.min(total, start + 1000); i++) {
      events.push({
        type: definition.type,
        key: keys[i % keys.length]!,
        payload: itemPayload(keys[i % keys.length]!, i),
      });
    }
    recordSize = avroType(definition.schema).toBuffer(events[0]!.payload).length + 5;
    await transaction(db, (trx) => outbox.write(trx, events));
  }
  // The topic exists before the clock starts, as it would in production.
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: definition.topic }], waitForLeaders: true });
  await admin.disconnect();
  say('draining it with the relay');
  const metrics = createMetrics('bench');
  const started = performance.now();
  const relay = startRelay({
    service: unique('bench'),
    db,
    kafka,
    registryUrl: sharedRegistryUrl,
    catalogue,
    logger,
    metrics,
  });
  // Done when the broker acknowledged every event, as ProducerPerformance counts its records. The
  // relay's own counter, read in this process: counting unpublished rows every 20 ms cost the
  // relay's database a tenth of a core while it was being measured.
  const acknowledged = async () =>
    (await metrics.registry.getSingleMetric('relay_published_total')!.get()).values.reduce(
      (sum, { value }) => sum + value,
      0,
    );
  await waitFor('the outbox drained', async () => (await acknowledged()) >= total, 600_000, 20);
  const elapsed = (performance.now() - started) / 1000;
  await relay.stop();
  return { perSecond: total / elapsed, elapsed, recordSize };
}

function producerPerformance(recordSize: number) {
  const topic = unique('bench.producer-performance');
  say(`running Kafka's ProducerPerformance (${total} records of ${recordSize} bytes)`);
  const result = spawnSync(
    'java',
    [
      '-Xmx512m',
      '-cp',
      `${kafkaHome}/*`,
      'org.apache.kafka.tools.ProducerPerformance',
      '--topic',
      topic,
      '--num-records',
      String(total),
      '--record-size',
      String(recordSize),
      '--throughput',
      '-1',
      '--producer-props',
      `bootstrap.servers=${sharedBrokers.join(',')}`,
      'acks=all',
      'enable.idempotence=true',
    ],
    { encoding: 'utf8' },
  );
  const summary = result.stdout.trim().split('\n').at(-1) ?? '';
  const perSecond = Number(/([\d.]+) records\/sec/.exec(summary)?.[1]);
  if (result.status !== 0 || !Number.isFinite(perSecond))
    throw new Error(`ProducerPerformance failed: ${result.stderr || summary}`);
  return { perSecond, summary };
}

/** The consumer runs in a child process, as the consuming service would; the writer and relay run here. */
function consumerProcess(config: object) {
  const child = fork(path.join(path.dirname(fileURLToPath(import.meta.url)), 'consumer-process.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_CONSUMER: JSON.stringify(config) },
  });
  // A bench that dies half-way (the database out of connection slots, say) must not leave its consumer running.
  process.once('exit', () => child.kill('SIGKILL'));
  const next = <T>(key: string) =>
    new Promise<T>((resolve) => {
      const listen = (message: any) => {
        if (key in message) {
          child.off('message', listen);
          resolve(message[key]);
        }
      };
      child.on('message', listen);
    });
  return {
    ready: next<boolean>('ready'),
    async count() {
      child.send({ report: true });
      return next<number>('count');
    },
    async stop() {
      child.send({ stop: true });
      return next<Array<[string, number]>>('applied');
    },
  };
}

async function endToEnd() {
  const { definition, catalogue, outbox } = await prepare('e2e');
  const consumer = consumerProcess({
    groupId: unique('bench-e2e'),
    databaseUrl: testDatabaseUrl,
    brokers: sharedBrokers,
    registryUrl: sharedRegistryUrl,
    catalogue,
  });
  await consumer.ready;
  const relay = startRelay({
    service: unique('bench'),
    db,
    kafka,
    registryUrl: sharedRegistryUrl,
    catalogue,
    logger,
    metrics: createMetrics('bench'),
  });
  const count = rate * seconds;
  // The first seconds (new producer, fetch sessions, JIT) are not the steady state being measured.
  const warmup = rate * 2;
  say(
    `writing ${warmup} + ${count} events at ${rate}/s, one transaction each, while relaying; the consumer is another process`,
  );
  // The writes get a pool of their own, as the service's HTTP handlers would beside its relay.
  const writer = createDatabase(testDatabaseUrl, { min: 0, max: 20 });
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const writes: Promise<unknown>[] = [];
  const committedAt = new Map<string, number>();
  const commitTimes: number[] = [];
  for (let i = 0; i < warmup + count; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const key = `aggregate-${i % 100}`;
    const payload = itemPayload(key, i);
    writes.push(
      transaction(writer, (trx) => outbox.write(trx, [{ type: definition.type, key, payload }])).then(() => {
        if (i < warmup) return;
        committedAt.set(payload.eventId, Date.now());
        commitTimes.push(Date.now() - payload.occurredAt);
      }),
    );
  }
  await Promise.all(writes);
  const elapsedMs = performance.now() - started;
  const achieved = (warmup + count) / (elapsedMs / 1000);
  const cpu = process.cpuUsage(cpuBefore);
  const cpuShare = (cpu.user + cpu.system) / 1000 / elapsedMs;
  await writer.destroy();
  await waitFor('every event applied', async () => (await consumer.count()) >= warmup + count, 120_000, 100);
  const applied = await consumer.stop();
  await relay.stop();
  // DESIGN's measure: from the write's commit to the consumer's commit of its effect.
  const latencies = applied
    .filter(([eventId]) => committedAt.has(eventId))
    .map(([eventId, appliedAt]) => appliedAt - committedAt.get(eventId)!)
    .sort((a, b) => a - b);
  if (latencies.length !== count) throw new Error(`${latencies.length} of the ${count} measured events were applied`);
  const at = (values: number[], q: number) => values[Math.min(values.length - 1, Math.floor(q * values.length))]!;
  commitTimes.sort((a, b) => a - b);
  return {
    achieved,
    p50: at(latencies, 0.5),
    p99: at(latencies, 0.99),
    max: latencies.at(-1)!,
    count,
    commit: { p50: at(commitTimes, 0.5), p99: at(commitTimes, 0.99) },
    cpuShare,
  };
}

const loadBefore = os.loadavg()[0]!;
await resetTables(db);
const relay = await relayThroughput();
say(`relay: ${Math.round(relay.perSecond)} events/s (load average ${os.loadavg()[0]!.toFixed(2)})`);
const ceiling = producerPerformance(relay.recordSize);
say(`ProducerPerformance: ${Math.round(ceiling.perSecond)} records/s (load average ${os.loadavg()[0]!.toFixed(2)})`);
const e2e = await endToEnd();
await db.destroy();

const rows = [
  [
    'relay throughput (outbox → Kafka, acks=all, idempotent)',
    `${Math.round(relay.perSecond).toLocaleString('en')} events/s`,
    '≥ 5,000 events/s',
  ],
  [
    'Kafka ProducerPerformance, same records (ceiling)',
    `${Math.round(ceiling.perSecond).toLocaleString('en')} records/s`,
    '',
  ],
  ['relay / ceiling', `${((relay.perSecond / ceiling.perSecond) * 100).toFixed(1)} %`, ''],
  [
    `end to end (write commit → consumer commit) at ${rate} writes/s (achieved ${Math.round(e2e.achieved)}/s), p50`,
    `${e2e.p50} ms`,
    '',
  ],
  ['end to end p99', `${e2e.p99} ms`, '< 100 ms'],
  ['end to end max', `${e2e.max} ms`, ''],
  ['(before that: the write transaction itself, p50 / p99)', `${e2e.commit.p50} / ${e2e.commit.p99} ms`, ''],
  ['CPU of the writer + relay process during the steady run', `${(e2e.cpuShare * 100).toFixed(0)} % of a core`, ''],
];
const width = rows.map((row) => row.map((cell) => cell.length)).reduce((a, b) => a.map((w, i) => Math.max(w, b[i]!)));
console.log('');
console.log(
  `event backbone benchmark — ${new Date().toISOString()} — ${total} events relayed, ${e2e.count} end to end`,
);
for (const row of rows) console.log(`| ${row.map((cell, i) => cell.padEnd(width[i]!)).join(' | ')} |`);
console.log(`ProducerPerformance: ${ceiling.summary}`);
console.log(
  `machine: ${os.cpus().length} cores, load average ${loadBefore.toFixed(2)} before and ${os.loadavg()[0]!.toFixed(2)} after the run`,
);
