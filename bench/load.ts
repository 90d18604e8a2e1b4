// One endpoint under load: autocannon with fixed connections and duration, its warm-up run first
// and thrown away.
import autocannon, { type RawRequest } from 'autocannon';
import type { CpuAccounting } from './cpu';
import type { HttpFigures, Kind } from './model';

export interface LoadSettings {
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  /** Reads where the machine's CPU went during each measured run. */
  cpu?: CpuAccounting;
}

export interface Target {
  name: string;
  kind: Kind;
  baseline?: boolean;
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** Called for every request: a fresh body or path (unique names, another product). */
  vary?: (request: RawRequest) => RawRequest;
}

async function hit(target: Target, connections: number, duration: number, overallRate?: number) {
  const { origin, pathname, search } = new URL(target.url);
  return autocannon({
    url: origin,
    connections,
    duration,
    timeout: 10,
    ...(overallRate ? { overallRate } : {}),
    requests: [
      {
        method: target.method ?? 'GET',
        path: pathname + search,
        headers: { 'content-type': 'application/json', ...target.headers },
        ...(target.vary ? { setupRequest: target.vary } : {}),
      },
    ],
  });
}

/** Warm-up (not counted), then the measured run; at `overallRate` requests/s when given. */
export async function measure(target: Target, settings: LoadSettings, overallRate?: number): Promise<HttpFigures> {
  if (settings.warmupSeconds > 0) await hit(target, settings.connections, settings.warmupSeconds, overallRate);
  const before = settings.cpu?.start();
  const result = await hit(target, settings.connections, settings.durationSeconds, overallRate);
  const cpu = before && (await settings.cpu!.finish(before, result.requests.total));
  return {
    name: target.name,
    kind: target.kind,
    baseline: target.baseline ?? false,
    requestsPerSecond: result.requests.total / Math.max(result.duration, 1e-9),
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    ...(cpu ? { cpu } : {}),
  };
}

/** A fresh name on every call (`prefix-1`, `prefix-2`, …): unique names for writes. */
export function counter(prefix: string) {
  let n = 0;
  return () => `${prefix}-${++n}`;
}

/** The next item of a list on every call, round robin. */
export function roundRobin<T>(items: readonly T[]) {
  if (items.length === 0) throw new Error('round robin over nothing');
  let i = 0;
  return () => items[i++ % items.length]!;
}
