import { entries } from './catalogue';

/** The catalogue as a Markdown table, for contracts/README.md. */
export function catalogueTable(): string {
  const rows = entries.map((entry) => {
    const consumers = entry.consumers.map((c) => `${c.service} (v${c.readerVersion})`).join(', ') || '—';
    return `| \`${entry.type}\` | \`${entry.topic}\` | \`${entry.subject}\` | ${entry.keyDescribes} | ${entry.producer} | ${consumers} | ${entry.compatibility} | v${entry.version} |`;
  });
  return [
    '| event type | topic | subject | key | producer | consumers (reader version) | compatibility | newest |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
