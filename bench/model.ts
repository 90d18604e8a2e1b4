// What a bench run measured: the shape the stages fill and the report and chart render.
import type { Deliveries, FlowLatency } from './deliveries';

/** Which baseline an endpoint is compared with. */
export type Kind = 'hello' | 'read' | 'write';

export interface HttpFigures {
  name: string;
  kind: Kind;
  /** True for the bare Koa baselines. */
  baseline: boolean;
  /**
   * A baseline taken on both sides of the endpoints: which side. The machine's other load drifts
   * within minutes, so an endpoint is compared with the mean of the two.
   */
  round?: 'before' | 'after';
  /** A baseline run just before one endpoint: that endpoint's name. The endpoint is compared with it. */
  pairedWith?: string;
  requestsPerSecond: number;
  /** Latency in ms. */
  p50: number;
  p99: number;
  max: number;
  requests: number;
  /** Answers outside 2xx. */
  non2xx: number;
  /** Socket errors and timeouts. */
  errors: number;
  /** Where the machine's CPU went during the measured run, per request answered (./cpu.ts). */
  cpu?: CpuShare[];
}

/** One group of processes' CPU, in µs per request answered. */
export interface CpuShare {
  who: string;
  micros: number;
}

export interface ActionFigures {
  name: string;
  count: number;
  errors: number;
  p50: number;
  p99: number;
  max: number;
}

export interface ProcessFigures {
  service: string;
  pid: number | null;
  rssStartMb: number;
  rssEndMb: number;
  rssMaxMb: number;
  /** Mean CPU over the stage, percent of one core. */
  cpuPercent: number;
}

export interface MixFigures {
  seconds: number;
  users: number;
  requestsPerSecond: number;
  actions: ActionFigures[];
  /** Failed requests by action, status and problem code. */
  failures: Array<{ what: string; count: number }>;
  processes: ProcessFigures[];
}

export interface EventFigures {
  targetRate: number;
  achievedRate: number;
  seconds: number;
  /** Write requests that failed during the steady run. */
  failedWrites: number;
  flows: FlowLatency[];
  /** The machine's CPU per purchase answered, until its event was applied (./cpu.ts). */
  cpu?: CpuShare[];
  /** The machine's cores, beside the CPU a purchase took. */
  cores?: number;
}

export interface SoakFigures {
  minutes: number;
  warmupSeconds: number;
  series: Array<{ service: string; samplesMb: number[]; growthPercent: number }>;
}

export interface BenchReport {
  runId: string;
  startedAt: string;
  /** `/proc/loadavg` before and after the run. */
  loadBefore: string;
  loadAfter: string;
  /** What the bench did to the databases before it measured. */
  database?: string;
  settings: { connections: number; durationSeconds: number; warmupSeconds: number; generator: string };
  http: HttpFigures[];
  mix?: MixFigures;
  events?: EventFigures;
  deliveries?: Deliveries;
  soak?: SoakFigures;
}

/** The baseline each kind is compared with, by name. */
export const baselineOf: Record<Kind, string> = {
  hello: 'bare Koa hello',
  read: 'bare Koa + pg primary-key read',
  write: 'bare Koa + pg single insert',
};

/** Targets of issue 13 / DESIGN.md, as ratios of the baseline's requests/s. */
export const targetRatio: Record<Kind, number> = { hello: 0.8, read: 0.7, write: 0.6 };
