import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProcessConfig } from './event-process';

const entry = path.join(path.dirname(fileURLToPath(import.meta.url)), 'event-process.ts');

/** A relay or consumer child process (see event-process.ts). */
export interface EventProcess {
  child: ChildProcess;
  /** Resolves when the child reports `state` ('active' for a relay, 'ready' for a consumer). */
  reached(state: string): Promise<void>;
  /** Resolves with the signal or exit code once the child is gone. */
  exited: Promise<NodeJS.Signals | number | null>;
  stop(): Promise<void>;
}

const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

export function spawnEventProcess(config: ProcessConfig): EventProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, TULITY_TEST_PROCESS: JSON.stringify(config) },
  });
  children.add(child);
  const states = new Set<string>();
  const waiters: Array<() => void> = [];
  child.on('message', (message: { state?: string }) => {
    if (message.state) states.add(message.state);
    for (const wake of waiters.splice(0)) wake();
  });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => {
    child.once('exit', (code, signal) => {
      children.delete(child);
      for (const wake of waiters.splice(0)) wake();
      resolve(signal ?? code);
    });
  });
  return {
    child,
    exited,
    async reached(state) {
      while (!states.has(state)) {
        if (child.exitCode !== null || child.signalCode !== null)
          throw new Error(`${config.name} exited before "${state}"`);
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}
