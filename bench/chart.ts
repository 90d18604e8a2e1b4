// The HTTP figures as an SVG chart, written by hand: per endpoint a requests/s bar and a p99 bar,
// baselines in grey, endpoints coloured by whether they meet their ratio target. Pure.
import { targetRatio, type HttpFigures } from './model';
import { formatCount, formatMs, labelOf, ordered, ratioToBaseline } from './report';

const ROW = 26;
const LABEL = 330;
const PANEL = 300;
// Room for the longest requests/s label (e.g. "26,409 baseline") between the two panels.
const GAP = 130;
const TOP = 56;
const P99_TARGET_MS = 50;

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const finite = (n: number) => (Number.isFinite(n) && n > 0 ? n : 0);

export function renderChart(figures: readonly HttpFigures[], title: string): string {
  const rows = ordered(figures);
  const width = LABEL + PANEL * 2 + GAP + 80;
  const height = TOP + rows.length * ROW + 40;
  const maxRps = Math.max(1, ...rows.map((r) => finite(r.requestsPerSecond)));
  const maxP99 = Math.max(1, ...rows.map((r) => finite(r.p99)));
  const rpsX = LABEL;
  const p99X = LABEL + PANEL + GAP;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="10" y="20" font-size="14" font-weight="bold">${escape(title)}</text>`,
    `<text x="${rpsX}" y="${TOP - 10}">requests/s</text>`,
    `<text x="${p99X}" y="${TOP - 10}">p99 latency</text>`,
  ];
  rows.forEach((row, i) => {
    const y = TOP + i * ROW;
    const share = ratioToBaseline(rows, row);
    const colour = row.baseline ? '#9e9e9e' : share >= targetRatio[row.kind] ? '#2e7d32' : '#c62828';
    const rpsWidth = (finite(row.requestsPerSecond) / maxRps) * PANEL;
    const p99Width = (finite(row.p99) / maxP99) * PANEL;
    const ratioText = row.baseline ? 'baseline' : Number.isFinite(share) ? `× ${share.toFixed(2)}` : '';
    const label = labelOf(row);
    parts.push(
      `<text x="${LABEL - 8}" y="${y + 15}" text-anchor="end">${escape(label)}</text>`,
      `<rect x="${rpsX}" y="${y + 4}" width="${rpsWidth.toFixed(1)}" height="${ROW - 8}" fill="${colour}"><title>${escape(`${label}: ${formatCount(row.requestsPerSecond)} requests/s`)}</title></rect>`,
      `<text x="${(rpsX + rpsWidth + 4).toFixed(1)}" y="${y + 15}">${escape(`${formatCount(row.requestsPerSecond)} ${ratioText}`)}</text>`,
      `<rect x="${p99X}" y="${y + 4}" width="${p99Width.toFixed(1)}" height="${ROW - 8}" fill="${colour}" fill-opacity="0.6"><title>${escape(`${label}: p99 ${formatMs(row.p99)}`)}</title></rect>`,
      `<text x="${(p99X + p99Width + 4).toFixed(1)}" y="${y + 15}">${escape(formatMs(row.p99))}</text>`,
    );
  });
  // The p99 target of DESIGN.md, where the scale reaches it.
  if (maxP99 >= P99_TARGET_MS) {
    const x = (p99X + (P99_TARGET_MS / maxP99) * PANEL).toFixed(1);
    parts.push(
      `<line x1="${x}" y1="${TOP - 4}" x2="${x}" y2="${TOP + rows.length * ROW}" stroke="#555" stroke-dasharray="4 3"/>`,
      `<text x="${x}" y="${TOP + rows.length * ROW + 12}" text-anchor="middle" font-size="10">${P99_TARGET_MS} ms</text>`,
    );
  }
  const legendY = height - 10;
  parts.push(
    `<rect x="10" y="${legendY - 10}" width="10" height="10" fill="#9e9e9e"/><text x="24" y="${legendY}">bare Koa baseline</text>`,
    `<rect x="150" y="${legendY - 10}" width="10" height="10" fill="#2e7d32"/><text x="164" y="${legendY}">meets its ratio target</text>`,
    `<rect x="320" y="${legendY - 10}" width="10" height="10" fill="#c62828"/><text x="334" y="${legendY}">below its ratio target</text>`,
    '</svg>',
  );
  return parts.join('\n') + '\n';
}
