// The run's table (Markdown, as printed and as kept in docs/reliability.md) and its timeline, an
// SVG written by hand: requests per second (answered / failed), each fault's window, recovery and
// the books' verdict after it.
import type { Exchange } from '../test/shop/client';
import type { BooksVerdict } from './books';

export interface FaultResult {
  fault: string;
  detail: string;
  startedAt: number;
  endedAt: number;
  recoveredAt: number | null;
  checkedAt: number;
  requests: number;
  failed: number;
  byStatus: Record<string, number>;
  /** Non-2xx answers per status and endpoint, e.g. `500 POST products /products/:id/stock/adjustments`. */
  byEndpoint: Record<string, number>;
  books: BooksVerdict;
  recoveryBoundMs: number;
  /** Set when the fault itself could not be carried out. */
  error?: string;
}

export const recovered = (r: FaultResult) => r.recoveredAt !== null && r.recoveredAt - r.endedAt <= r.recoveryBoundMs;
export const passed = (r: FaultResult) => !r.error && recovered(r) && r.books.ok;

const seconds = (ms: number) => (ms / 1000).toFixed(1);
const statuses = (byStatus: Record<string, number>) =>
  Object.entries(byStatus)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([status, count]) => `${status === '0' ? 'none' : status}×${count}`)
    .join(' ') || '—';

export function table(results: FaultResult[]): string {
  const header =
    '| fault | duration | requests | failed (no answer, 5xx) | non-2xx by status | recovery | events lost | applied twice | books balanced | checks |';
  const rows = results.map((r) =>
    [
      r.fault,
      `${seconds(r.endedAt - r.startedAt)} s`,
      r.requests,
      `${r.failed} (${r.requests ? ((100 * r.failed) / r.requests).toFixed(1) : '0.0'} %)`,
      statuses(r.byStatus),
      r.recoveredAt === null ? 'not recovered' : `${seconds(r.recoveredAt - r.endedAt)} s`,
      r.books.lost,
      r.books.appliedTwice,
      r.books.balanced ? 'yes' : 'NO',
      passed(r) ? `${r.books.checks.length}/${r.books.checks.length} ok` : 'FAILED',
    ].join(' | '),
  );
  return [header, `|${' --- |'.repeat(10)}`, ...rows.map((row) => `| ${row} |`)].join('\n');
}

/** Every failed check with its ids, for the run's verdict. */
export function failures(results: FaultResult[]): string[] {
  return results.flatMap((r) => [
    ...(r.error ? [`${r.fault}: ${r.error}`] : []),
    ...(!r.error && !recovered(r)
      ? [`${r.fault}: not recovered within ${seconds(r.recoveryBoundMs)} s of the fault's end`]
      : []),
    ...r.books.checks.filter((c) => !c.ok).map((c) => `${r.fault}: ${c.name}: ${c.problems.join('; ')}`),
  ]);
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function timeline(results: FaultResult[], exchanges: Exchange[], startedAt: number, endedAt: number): string {
  const width = 1200;
  const left = 50;
  const plotWidth = width - left - 20;
  const top = 30;
  const plotHeight = 220;
  const laneTop = top + plotHeight + 20;
  const laneHeight = 18;
  const height = laneTop + results.length * laneHeight + 40;
  const span = Math.max(1, endedAt - startedAt);
  const x = (t: number) => left + ((t - startedAt) / span) * plotWidth;

  const buckets = Math.ceil(span / 1000);
  const ok = new Array<number>(buckets).fill(0);
  const bad = new Array<number>(buckets).fill(0);
  for (const e of exchanges) {
    const i = Math.min(buckets - 1, Math.max(0, Math.floor((e.startedAt - startedAt) / 1000)));
    if (e.status === 0 || e.status >= 500) bad[i]! += 1;
    else ok[i]! += 1;
  }
  const peak = Math.max(1, ...ok.map((n, i) => n + bad[i]!));
  const y = (n: number) => top + plotHeight - (n / peak) * plotHeight;
  const barWidth = Math.max(0.5, plotWidth / buckets);
  const bars = ok
    .map((n, i) => {
      const x0 = (left + i * barWidth).toFixed(1);
      const okBar = `<rect x="${x0}" y="${y(n).toFixed(1)}" width="${barWidth.toFixed(2)}" height="${(top + plotHeight - y(n)).toFixed(1)}" fill="#4a90d9"/>`;
      const badBar = bad[i]
        ? `<rect x="${x0}" y="${y(n + bad[i]!).toFixed(1)}" width="${barWidth.toFixed(2)}" height="${(y(n) - y(n + bad[i]!)).toFixed(1)}" fill="#d9534f"/>`
        : '';
      return okBar + badBar;
    })
    .join('');
  const bands = results
    .map((r, i) => {
      const lane = laneTop + i * laneHeight;
      const colour = passed(r) ? '#5cb85c' : '#d9534f';
      const recoveredAt = r.recoveredAt ?? r.checkedAt;
      return [
        `<rect x="${x(r.startedAt).toFixed(1)}" y="${top}" width="${Math.max(1, x(r.endedAt) - x(r.startedAt)).toFixed(1)}" height="${plotHeight}" fill="#f0ad4e" opacity="0.25"/>`,
        `<rect x="${x(r.startedAt).toFixed(1)}" y="${lane}" width="${Math.max(1, x(r.endedAt) - x(r.startedAt)).toFixed(1)}" height="${laneHeight - 4}" fill="#f0ad4e"/>`,
        `<rect x="${x(r.endedAt).toFixed(1)}" y="${lane}" width="${Math.max(1, x(recoveredAt) - x(r.endedAt)).toFixed(1)}" height="${laneHeight - 4}" fill="#999"/>`,
        `<circle cx="${x(r.checkedAt).toFixed(1)}" cy="${lane + (laneHeight - 4) / 2}" r="4" fill="${colour}"/>`,
        // Labels near the right edge go to the left of their bar, so they stay inside the picture.
        x(r.checkedAt) > width - 220
          ? `<text x="${(x(r.startedAt) - 6).toFixed(1)}" y="${lane + laneHeight - 6}" font-size="11" text-anchor="end">${escape(r.fault)}</text>`
          : `<text x="${(x(r.checkedAt) + 8).toFixed(1)}" y="${lane + laneHeight - 6}" font-size="11">${escape(r.fault)}</text>`,
      ].join('');
    })
    .join('');
  const minutes = Math.floor(span / 60_000);
  const ticks = Array.from({ length: minutes + 1 }, (_, m) => {
    const tx = x(startedAt + m * 60_000).toFixed(1);
    return `<line x1="${tx}" y1="${top + plotHeight}" x2="${tx}" y2="${top + plotHeight + 5}" stroke="#333"/><text x="${tx}" y="${top + plotHeight + 16}" font-size="10" text-anchor="middle">${m} min</text>`;
  }).join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${left}" y="18" font-size="13">Requests per second (blue answered, red no answer or 5xx; peak ${peak}/s); orange: fault held, grey: recovery, dot: books checked (green ok, red failed)</text>`,
    bars,
    bands,
    `<line x1="${left}" y1="${top + plotHeight}" x2="${left + plotWidth}" y2="${top + plotHeight}" stroke="#333"/>`,
    ticks,
    '</svg>',
  ].join('\n');
}
