// Reads the Prometheus text exposition format (what every service serves at /metrics), enough for
// the system page: sample lines with labels and a value; comments, timestamps and exemplars aside.

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const namePattern = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const escapes: Record<string, string> = { '\\': '\\', '"': '"', n: '\n' };

/** One sample line, or undefined for a line that is not one (a comment, or malformed). */
function sampleOf(line: string): Sample | undefined {
  const name = namePattern.exec(line)?.[0];
  if (!name) return undefined;
  let at = name.length;
  const labels: Record<string, string> = {};
  if (line[at] === '{') {
    at++;
    while (line[at] !== '}') {
      while (line[at] === ' ' || line[at] === ',') at++;
      if (line[at] === '}') break;
      const label = labelName.exec(line.slice(at))?.[0];
      if (!label || line[at + label.length] !== '=' || line[at + label.length + 1] !== '"') return undefined;
      at += label.length + 2;
      let value = '';
      while (at < line.length && line[at] !== '"') {
        if (line[at] === '\\') {
          value += escapes[line[at + 1] ?? ''] ?? line[at + 1] ?? '';
          at += 2;
        } else value += line[at++];
      }
      if (at >= line.length) return undefined;
      labels[label] = value;
      at++;
    }
    at++;
  }
  const value = Number(line.slice(at).trim().split(/\s+/)[0]);
  return Number.isNaN(value) ? undefined : { name, labels, value };
}

export function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const sample = sampleOf(line);
    if (sample) samples.push(sample);
  }
  return samples;
}
