// `npm start` keeps a crashed service running, as compose's restart policy does: a service killed
// with SIGKILL is started again, says so on the output, and answers ready again; Ctrl-C still stops
// everything. Ports are shifted (an offset of its own) so a developer's `npm start` can run beside it.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, test } from '@jest/globals';
import * as config from '../config.mjs';

const offset = 2000;
const products = config.services.find((s: { name: string }) => s.name === 'products')!.defaultPort + offset;

const until = async (what: string, condition: () => boolean, read: () => string) => {
  while (!condition()) {
    if (read().includes('[stack] ✗')) throw new Error(`npm start failed while waiting for ${what}:\n${read()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};

describe('npm start', () => {
  test('restarts a service killed with SIGKILL and keeps the rest running', async () => {
    const child = spawn(process.execPath, [path.join(config.root, 'stack', 'cli.mjs'), 'start'], {
      cwd: config.root,
      env: {
        ...process.env,
        TULITY_PORT_OFFSET: String(offset),
        TULITY_USE_TEST_DATABASES: '1',
        TULITY_ADMIN_PASSWORD: 'Restart-Test-Pass-9',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const read = () => output;

    try {
      await until('the stack', () => output.includes('everything is up') || child.exitCode !== null, read);
      expect(child.exitCode).toBeNull();
      const pid = Number(new RegExp(`products\\s+http://127.0.0.1:${products}\\s+\\(pid (\\d+)`).exec(output)?.[1]);
      expect(pid).toBeGreaterThan(0);

      process.kill(pid, 'SIGKILL');
      await until('the restart', () => output.includes('products: ready again after restart 1'), read);

      expect(output).toContain('products: exited (SIGKILL), restarting in 1s (restart 1)');
      expect(output).not.toContain('[stack] ✗');
      expect(output).not.toContain('[stack] stopping');
      const ready = await fetch(`http://127.0.0.1:${products}/health/ready`);
      expect({ status: ready.status, body: await ready.text() }).toMatchObject({ status: 200 });
      const newPid = Number(/products: ready again after restart 1 \(pid (\d+)\)/.exec(output)?.[1]);
      expect(newPid).not.toBe(pid);
    } finally {
      child.kill('SIGINT');
    }
    expect({ code: await exited, output }).toMatchObject({ code: 0 });
  }, 300_000);
});
