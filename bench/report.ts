// The bench's figures as text: a plain table for the terminal and a Markdown report. Pure.
import { baselineOf, targetRatio, type BenchReport, type CpuShare, type EventFigures, type HttpFigures } from './model';
import { ratio } from './stats';

const P99_TARGET_MS = 50;
const E2E_P99_TARGET_MS = 100;
const SOAK_GROWTH_TARGET = 10;

export const formatCount = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en') : '–');
export const formatMs = (n: number) =>
  !Number.isFinite(n) ? '–' : n < 10 ? `${n.toFixed(1)} ms` : `${Math.round(n)} ms`;
const formatRatio = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '–');
const formatPercent = (n: number) => (Number.isFinite(n) ? `${n.toFixed(1)} %` : '–');

/**
 * The baseline an endpoint is compared with: the one run just before it when there is one, else
 * its kind's requests/s, the mean of both rounds when there are two.
 */
export function baselineRate(rows: readonly HttpFigures[], endpoint: HttpFigures): number {
  const paired = rows.find((candidate) => candidate.baseline && candidate.pairedWith === endpoint.name);
  if (paired) return paired.requestsPerSecond;
  const rates = rows
    .filter((candidate) => candidate.baseline && !candidate.pairedWith && candidate.name === baselineOf[endpoint.kind])
    .map((baseline) => baseline.requestsPerSecond);
  return rates.length === 0 ? Number.NaN : rates.reduce((sum, rate) => sum + rate, 0) / rates.length;
}

/** An endpoint's requests/s over its baseline's in the same run (1 for a baseline itself). */
export function ratioToBaseline(rows: readonly HttpFigures[], row: HttpFigures): number {
  const baseline = baselineRate(rows, row);
  return Number.isNaN(baseline) ? Number.NaN : ratio(row.requestsPerSecond, baseline);
}

/** A row's name, with when a baseline ran: on which side of the endpoints, or just before which one. */
export const labelOf = (row: HttpFigures) =>
  row.pairedWith
    ? `${row.name} (just before the next)`
    : row.round
      ? `${row.name} (${row.round} the endpoints)`
      : row.name;

/** How much each baseline moved between its two rounds, for the reader to weigh the ratios by. */
export function baselineDrift(rows: readonly HttpFigures[]): string[] {
  return Object.values(baselineOf).flatMap((name) => {
    const before = rows.find((row) => row.baseline && row.name === name && row.round === 'before');
    const after = rows.find((row) => row.baseline && row.name === name && row.round === 'after');
    if (!before || !after) return [];
    const change = ratio(after.requestsPerSecond, before.requestsPerSecond) - 1;
    return [`${name} ${change >= 0 ? '+' : '−'}${formatPercent(Math.abs(change) * 100)}`];
  });
}

/**
 * By kind; within a kind, the baselines of the rounds first, then each endpoint after the baseline
 * run just before it, in the order they ran.
 */
export function ordered(rows: readonly HttpFigures[]): HttpFigures[] {
  const rank = { read: 0, write: 1, hello: 2 } as const;
  const round = (row: HttpFigures) => (row.baseline && !row.pairedWith ? 0 : 1);
  return [...rows].sort((a, b) => rank[a.kind] - rank[b.kind] || round(a) - round(b));
}

function httpRows(report: BenchReport): string[][] {
  return ordered(report.http).map((row) => {
    const share = ratioToBaseline(report.http, row);
    const verdict = row.baseline ? '' : share >= targetRatio[row.kind] ? 'yes' : 'no';
    return [
      labelOf(row),
      formatCount(row.requestsPerSecond),
      formatMs(row.p50),
      formatMs(row.p99),
      formatMs(row.max),
      formatCount(row.non2xx + row.errors),
      row.baseline ? '1' : formatRatio(share),
      row.baseline ? '' : `≥ ${targetRatio[row.kind]}: ${verdict}`,
    ];
  });
}

function driftNote(rows: readonly HttpFigures[]): string[] {
  const drift = baselineDrift(rows);
  if (drift.length === 0) return [];
  if (rows.some((row) => row.pairedWith)) {
    return [
      `Each endpoint is compared with its baseline run just before it; the baselines also ran before and after all the endpoints, and moved from the first round to the second: ${drift.join(', ')}.`,
    ];
  }
  return [
    `Each baseline ran before and after the endpoints, and a ratio is over the mean of the two; from the first to the second: ${drift.join(', ')}.`,
  ];
}

const HTTP_HEADER = ['endpoint', 'requests/s', 'p50', 'p99', 'max', 'errors', 'ratio', 'target'];

function markdownTable(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Text columns, the first and `leftColumns`, are aligned left; figures right. */
function textTable(header: string[], rows: string[][], leftColumns: readonly number[] = []): string {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => row[i]!.length)));
  const left = (i: number) => i === 0 || leftColumns.includes(i);
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (left(i) ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const sharesOf = (cpu: readonly CpuShare[]) =>
  cpu.map((share) => `${share.who} ${formatCount(share.micros)}`).join(', ');

/**
 * What a purchase cost the whole machine, request and event together, and so the most purchases a
 * second its cores could take: a rate the cores cannot reach has no latency target to meet.
 */
function capacityNote(events: EventFigures): string[] {
  if (!events.cpu || !events.cores) return [];
  const micros = events.cpu.reduce((sum, share) => sum + share.micros, 0);
  if (micros <= 0) return [];
  return [
    `CPU a purchase took, every process on the machine, from its request until its event was applied: ${formatCount(micros)} µs (${sharesOf(events.cpu)}).`,
    `At that cost this machine's ${events.cores} cores take at most ${formatCount((events.cores * 1e6) / micros)} purchases/s with nothing else running; ${formatCount(events.targetRate)}/s needs ${((events.targetRate * micros) / 1e6).toFixed(1)} cores.`,
  ];
}

interface Section {
  title: string;
  header: string[];
  rows: string[][];
  notes?: string[];
  leftColumns?: number[];
}

function sections(report: BenchReport): Section[] {
  const out: Section[] = [];
  if (report.http.length > 0) {
    out.push({
      title: `HTTP: ${report.settings.connections} connections, ${report.settings.durationSeconds} s each after ${report.settings.warmupSeconds} s of warm-up (${report.settings.generator})`,
      header: HTTP_HEADER,
      rows: httpRows(report),
      notes: [
        `p99 target: < ${P99_TARGET_MS} ms at this load. Errors: non-2xx answers plus socket errors and timeouts.`,
        ...driftNote(report.http),
      ],
    });
  }
  const accounted = ordered(report.http).filter((row) => row.cpu && row.cpu.length > 0);
  if (accounted.length > 0) {
    out.push({
      title:
        'Where the CPU went during each measured run: every process on the machine, in µs a request answered (from /proc)',
      header: ['endpoint', 'in all', 'by process'],
      rows: accounted.map((row) => [
        labelOf(row),
        formatCount(row.cpu!.reduce((sum, share) => sum + share.micros, 0)),
        sharesOf(row.cpu!),
      ]),
      notes: [
        "A service's Postgres is its database's backends: its requests' statements, its relay's and its consumers'. The load generator shares the cores; other: processes below 2 % or not known to the bench.",
      ],
      leftColumns: [2],
    });
  }
  const mix = report.mix;
  if (mix) {
    out.push({
      title: `Retail mix: ${mix.users} users without think time, ${mix.seconds} s, ${formatCount(mix.requestsPerSecond)} requests/s in all`,
      header: ['action', '2xx', 'errors', 'p50', 'p99', 'max'],
      rows: mix.actions.map((a) => [
        a.name,
        formatCount(a.count),
        formatCount(a.errors),
        formatMs(a.p50),
        formatMs(a.p99),
        formatMs(a.max),
      ]),
      notes: [
        'Latencies of the answered (2xx) requests; errors are other statuses and requests without an answer.',
        ...mix.failures.map((f) => `failed ${formatCount(f.count)} ×: ${f.what}`),
      ],
    });
    out.push({
      title: 'Services under the mix (from /proc)',
      header: ['service', 'pid', 'RSS start', 'RSS end', 'RSS max', 'CPU'],
      rows: mix.processes.map((p) => [
        p.service,
        p.pid === null ? 'not found' : String(p.pid),
        `${p.rssStartMb.toFixed(0)} MB`,
        `${p.rssEndMb.toFixed(0)} MB`,
        `${p.rssMaxMb.toFixed(0)} MB`,
        `${p.cpuPercent.toFixed(0)} % of a core`,
      ]),
    });
  }
  const events = report.events;
  if (events) {
    out.push({
      title: `Events end to end at ${formatCount(events.targetRate)} writes/s (achieved ${formatCount(events.achievedRate)}/s, ${events.seconds} s, ${formatCount(events.failedWrites)} failed writes): outbox created_at → consumer's inbox applied_at`,
      header: ['event', 'consumer', 'events', 'p50', 'p99', 'max'],
      rows: events.flows.map((f) => [
        f.type,
        f.service,
        formatCount(f.count),
        formatMs(f.p50),
        formatMs(f.p99),
        formatMs(f.max),
      ]),
      notes: [`p99 target: < ${E2E_P99_TARGET_MS} ms.`, ...capacityNote(events)],
    });
  }
  const deliveries = report.deliveries;
  if (deliveries) {
    out.push({
      title: "Deliveries of every event this run caused, by event id (outboxes vs the consumers' inboxes)",
      header: ['written', 'deliveries due', 'applied', 'lost', 'applied twice'],
      rows: [
        [deliveries.written, deliveries.expected, deliveries.applied, deliveries.lost, deliveries.appliedTwice].map(
          formatCount,
        ),
      ],
      notes: [
        ...deliveries.lostSample.map((pair) => `lost: ${pair}`),
        ...deliveries.duplicates.map((d) => `applied twice: ${d.what} ${d.key} (${d.count} times)`),
        ...deliveries.elsewhere.map((where) => `lost here, applied elsewhere: ${where}`),
        ...deliveries.skipped.map((pair) => `not counted: ${pair}`),
        'Target: 0 lost, 0 applied twice.',
      ],
    });
  }
  const soak = report.soak;
  if (soak) {
    out.push({
      title: `Memory soak: the mix for ${soak.minutes} min after ${soak.warmupSeconds} s of warm-up`,
      header: ['service', 'RSS first', 'RSS last', 'growth', `< ${SOAK_GROWTH_TARGET} %`],
      rows: soak.series.map((s) => [
        s.service,
        `${(s.samplesMb[0] ?? Number.NaN).toFixed(0)} MB`,
        `${(s.samplesMb.at(-1) ?? Number.NaN).toFixed(0)} MB`,
        formatPercent(s.growthPercent),
        s.growthPercent < SOAK_GROWTH_TARGET ? 'yes' : 'no',
      ]),
      notes: ['Growth compares the mean of the first and of the last tenth of the samples.'],
    });
  }
  return out;
}

function heading(report: BenchReport): string[] {
  return [
    `run ${report.runId}, started ${report.startedAt}`,
    `load average before: ${report.loadBefore}; after: ${report.loadAfter}`,
    ...(report.database ? [report.database] : []),
  ];
}

/** The figures as plain text tables, for the terminal. */
export function renderText(report: BenchReport): string {
  return [
    ...heading(report),
    ...sections(report).flatMap((s) => ['', s.title, textTable(s.header, s.rows, s.leftColumns), ...(s.notes ?? [])]),
  ].join('\n');
}

/** The figures as a Markdown document, the chart beside it. */
export function renderMarkdown(report: BenchReport, chartFile?: string): string {
  return [
    `# Bench ${report.runId}`,
    '',
    ...heading(report).map((line) => `- ${line}`),
    ...(chartFile ? ['', `![requests/s and p99 per endpoint](${chartFile})`] : []),
    ...sections(report).flatMap((s) => [
      '',
      `## ${s.title}`,
      '',
      markdownTable(s.header, s.rows),
      ...(s.notes ?? []).flatMap((n) => ['', n]),
    ]),
    '',
  ].join('\n');
}
