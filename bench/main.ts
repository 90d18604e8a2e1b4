// `npm run bench`: the baselines and the project's endpoints in one run, a retail mix with each
// service's memory and CPU, events end to end and their delivery count; a table on the terminal,
// a Markdown report, an SVG chart and the figures as JSON under .bench/ (see docs/performance.md).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { openBaselines, type Baselines } from './baselines';
import { renderChart } from './chart';
import { cpuAccounting } from './cpu';
import { runEndpoints } from './endpoints';
import { runEndToEnd, settleAndCount } from './events';
import type { LoadSettings, Target } from './load';
import { runMix } from './mix';
import type { BenchReport, SoakFigures } from './model';
import { parseOptions, usage, type BenchOptions } from './options';
import { servicePid } from './proc';
import { renderMarkdown, renderText } from './report';
import { vacuumDatabases } from './vacuum';
import { seedShop, type Shop } from './seed';
import { adminPassword, assertRunning, SERVICES, type Stack } from './stack';
import { growthPercent } from './stats';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const say = (line: string) => console.log(`[bench] ${line}`);
const loadAverage = () => fs.readFileSync('/proc/loadavg', 'utf8').trim();

function newRunId(now: Date): string {
  // Short: it goes into usernames (at most 32 characters) and request ids.
  const stamp = now.toISOString().replace(/\D/g, '').slice(2, 14);
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

async function run(options: BenchOptions): Promise<BenchReport> {
  const started = new Date();
  const runId = newRunId(started);
  const report: BenchReport = {
    runId,
    startedAt: started.toISOString(),
    loadBefore: loadAverage(),
    loadAfter: '',
    settings: {
      connections: options.connections,
      durationSeconds: options.durationSeconds,
      warmupSeconds: options.warmupSeconds,
      generator: 'autocannon 9, in the bench process',
    },
    http: [],
  };
  say(`run ${runId}; load average ${report.loadBefore}`);
  const runDir = path.join(options.stackDir, 'run');
  const needsStack = options.stages.some((stage) => stage !== 'baselines');
  let stack: Stack | undefined;
  if (needsStack) {
    stack = {
      urls: options.urls,
      databases: options.databases,
      adminPassword: adminPassword(options.stackDir),
      runDir,
    };
    await assertRunning(stack);
  }
  const load: LoadSettings = {
    connections: options.connections,
    durationSeconds: options.durationSeconds,
    warmupSeconds: options.warmupSeconds,
    cpu: cpuAccounting({
      services: stack ? servicePids(stack) : {},
      pidFiles: { Kafka: path.join(runDir, 'kafka.pid'), registry: path.join(runDir, 'registry.pid') },
      databases: Object.fromEntries(
        Object.entries(options.databases).map(([service, url]) => [service, new URL(url).pathname.slice(1)]),
      ),
      pgAdminUrl: options.pgAdminUrl,
    }),
  };

  // With the endpoints, the baselines run on both sides of them: the machine's other load drifts
  // within minutes, and one round taken before could compare the endpoints with another machine.
  const bracketed = options.stages.includes('endpoints');
  let baselines: Baselines | undefined;
  if (options.stages.includes('baselines')) {
    const first = options.baselinePort;
    baselines = await openBaselines({
      pgAdminUrl: options.pgAdminUrl,
      runId,
      ports: { hello: first, read: first + 1, insert: first + 2 },
      load,
      say,
    });
  }
  try {
    if (baselines) report.http.push(...(await baselines.measure(bracketed ? 'before' : undefined)));
    if (!stack) return report;
    const shop: Shop = await seedShop(stack, runId, say);
    say('vacuuming and analyzing the service databases');
    report.database = await vacuumDatabases(stack.databases);
    if (options.stages.includes('endpoints')) {
      const settle = () => settleAndCount(stack, `bench-${runId}-`, { say });
      const paired = baselines;
      const baselineFor = paired && ((endpoint: Target) => paired.measureFor(endpoint));
      report.http.push(...(await runEndpoints({ stack, shop, runId, load, say, settle, baselineFor })));
      if (baselines) report.http.push(...(await baselines.measure('after')));
    }
    await baselines?.close();
    baselines = undefined;
    return await laterStages(options, report, stack, shop, runId, load);
  } finally {
    await baselines?.close();
  }
}

/** Each service's process: its pid file's, else the one listening on its port. */
const servicePids = (stack: Stack) =>
  Object.fromEntries(
    SERVICES.map((service) => [
      service,
      servicePid(path.join(stack.runDir, `${service}.pid`), Number(new URL(stack.urls[service]).port)),
    ]),
  );

async function laterStages(
  options: BenchOptions,
  report: BenchReport,
  stack: Stack,
  shop: Shop,
  runId: string,
  load: LoadSettings,
): Promise<BenchReport> {
  if (options.stages.includes('mix')) {
    // The write benchmarks leave consumers thousands of events behind; the mix would compete with
    // that backlog instead of measuring the shop's own load.
    say('mix: waiting until the events of the stages before are applied');
    await settleAndCount(stack, `bench-${runId}-`, { say });
    const pids = servicePids(stack);
    const soak = options.soakMinutes;
    const seconds = soak === null ? options.mixSeconds : options.soakWarmupSeconds + soak * 60;
    say(
      soak === null
        ? `mix: ${options.mixUsers} users for ${seconds} s`
        : `soak: the mix with ${options.mixUsers} users for ${soak} min after ${options.soakWarmupSeconds} s of warm-up, RSS every 5 s`,
    );
    const mix = await runMix({
      shop,
      runId,
      users: options.mixUsers,
      seconds,
      pids,
      sampleIntervalMs: soak === null ? 1000 : 5000,
      say,
    });
    report.mix = mix.figures;
    if (soak !== null) {
      const series: SoakFigures['series'] = Object.entries(mix.samples).map(([service, samples]) => {
        const from = (samples[0]?.at ?? 0) + options.soakWarmupSeconds * 1000;
        const samplesMb = samples.filter((s) => s.at >= from).map((s) => s.rssMb);
        return { service, samplesMb, growthPercent: growthPercent(samplesMb) };
      });
      report.soak = { minutes: soak, warmupSeconds: options.soakWarmupSeconds, series };
      // Said now: the delivery count that follows can wait minutes for a consumer's backlog.
      say(
        `soak: RSS growth after warm-up ${series.map((s) => `${s.service} ${s.growthPercent.toFixed(1)} %`).join(', ')}`,
      );
    }
  }
  if (options.stages.includes('events')) {
    // Events still queued from the stages before would be measured as the steady run's latency.
    say('events: waiting until the events of the stages before are applied');
    await settleAndCount(stack, `bench-${runId}-`, { say });
    report.events = await runEndToEnd({
      stack,
      shop,
      runId,
      rate: options.rate,
      load: { ...load, durationSeconds: options.eventSeconds },
      say,
    });
  }
  say('events: counting every event this run caused, in the outboxes and the inboxes');
  report.deliveries = await settleAndCount(stack, `bench-${runId}-`, { say });
  return report;
}

function write(report: BenchReport, outDir: string): string {
  const dir = path.join(outDir, report.runId);
  fs.mkdirSync(dir, { recursive: true });
  if (report.http.length > 0) {
    fs.writeFileSync(
      path.join(dir, 'chart.svg'),
      renderChart(report.http, `requests/s and p99 per endpoint, run ${report.runId} (load ${report.loadBefore})`),
    );
  }
  fs.writeFileSync(
    path.join(dir, 'report.md'),
    renderMarkdown(report, report.http.length > 0 ? 'chart.svg' : undefined),
  );
  fs.writeFileSync(path.join(dir, 'results.json'), JSON.stringify(report, null, 2) + '\n');
  return dir;
}

async function main() {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(usage);
    return;
  }
  const options = parseOptions(argv, process.env, root);
  const report = await run(options);
  report.loadAfter = loadAverage();
  console.log('\n' + renderText(report));
  say(`report: ${path.relative(process.cwd(), write(report, options.outDir))}/report.md`);
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(`[bench] ${error.message}`);
    process.exit(1);
  },
);
