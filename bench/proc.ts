// A process's memory and CPU from /proc, and which process listens on a port.
import fs from 'node:fs';
import path from 'node:path';

/** Linux's USER_HZ: the unit of utime and stime in /proc/<pid>/stat (100 on every common kernel). */
const TICKS_PER_SECOND = 100;

/** VmRSS from /proc/<pid>/status, in MB. */
export function rssOf(status: string): number {
  const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1]);
  return kb / 1024;
}

/** utime + stime from /proc/<pid>/stat, in seconds. The command name may hold spaces: count after its ')'. */
export function cpuSecondsOf(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the name: state is field 3 of the man page, utime 14 and stime 15.
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** Inodes of the sockets listening on `port` (/proc/net/tcp and tcp6 format). */
export function listeningInodes(table: string, port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  return table
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields[1]?.endsWith(`:${hexPort}`) && fields[3] === '0A')
    .map((fields) => fields[9]!);
}

const read = (file: string) => {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
};

/** The process listening on a local port, found through its socket's inode; null when none is visible. */
export function pidListeningOn(port: number): number | null {
  const inodes = new Set([
    ...listeningInodes(read('/proc/net/tcp'), port),
    ...listeningInodes(read('/proc/net/tcp6'), port),
  ]);
  if (inodes.size === 0) return null;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = fs.readdirSync(path.join('/proc', entry, 'fd'));
    } catch {
      continue;
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = fs.readlinkSync(path.join('/proc', entry, 'fd', fd));
      } catch {
        continue;
      }
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode && inodes.has(inode)) return Number(entry);
    }
  }
  return null;
}

/** A pid file's process, if it is alive. */
export function pidFromFile(pidFile: string): number | null {
  const pid = Number(read(pidFile).trim());
  return pid > 0 && read(`/proc/${pid}/stat`) !== '' ? pid : null;
}

/** A pid file's process if it is alive, else the process listening on the port. */
export function servicePid(pidFile: string, port: number): number | null {
  return pidFromFile(pidFile) ?? pidListeningOn(port);
}

/** A process's command line, its arguments joined by spaces; empty once it is gone. */
export const commandLineOf = (pid: number) => read(`/proc/${pid}/cmdline`).replaceAll('\0', ' ');

/** Every visible process's CPU seconds so far, by pid. */
export function cpuByPid(): Map<number, number> {
  const seconds = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = read(`/proc/${entry}/stat`);
    // Empty: gone since the directory was read.
    if (stat !== '') seconds.set(Number(entry), cpuSecondsOf(stat));
  }
  return seconds;
}

export interface Sample {
  at: number;
  rssMb: number;
  cpuSeconds: number;
}

/** One reading of a process; null once it is gone. */
export function sample(pid: number): Sample | null {
  const status = read(`/proc/${pid}/status`);
  const stat = read(`/proc/${pid}/stat`);
  if (!status || !stat) return null;
  return { at: Date.now(), rssMb: rssOf(status), cpuSeconds: cpuSecondsOf(stat) };
}

/** Samples each process every `intervalMs` until stopped; the series by name. */
export function sampler(pids: Record<string, number | null>, intervalMs: number) {
  const series: Record<string, Sample[]> = Object.fromEntries(Object.keys(pids).map((name) => [name, []]));
  const take = () => {
    for (const [name, pid] of Object.entries(pids)) {
      const reading = pid === null ? null : sample(pid);
      if (reading) series[name]!.push(reading);
    }
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    series,
    stop() {
      clearInterval(timer);
      take();
      return series;
    },
  };
}

/** Mean CPU between the first and last sample, in percent of one core. */
export function cpuPercent(samples: readonly Sample[]): number {
  const first = samples[0];
  const last = samples.at(-1);
  if (!first || !last || last.at <= first.at) return Number.NaN;
  return ((last.cpuSeconds - first.cpuSeconds) / ((last.at - first.at) / 1000)) * 100;
}
