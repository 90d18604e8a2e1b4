// The README's start command brings up every service, each answers its health endpoints, and
// Ctrl-C stops everything it started. Ports are shifted so a developer's own `npm start` can run.
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';
import * as config from '../config.mjs';

const offset = 1000;
const ports = config.services.map((s: { name: string; defaultPort: number }) => ({ name: s.name, port: s.defaultPort + offset }));

function portOpen(port: number) {
  return new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

describe('npm start', () => {
  test('starts every service, serves health on each, and stops them all on Ctrl-C', async () => {
    const child = spawn(process.execPath, [path.join(config.root, 'stack', 'cli.mjs'), 'start'], {
      cwd: config.root,
      env: {
        ...process.env,
        TULITY_PORT_OFFSET: String(offset),
        TULITY_USE_TEST_DATABASES: '1',
        TULITY_ADMIN_PASSWORD: 'Start-Test-Pass-9',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setInterval(() => {
          if (output.includes('everything is up')) {
            clearInterval(timer);
            resolve();
          }
          if (child.exitCode !== null) {
            clearInterval(timer);
            reject(new Error(`npm start exited early:\n${output}`));
          }
        }, 200);
      });

      for (const { name, port } of ports) {
        assert.match(output, new RegExp(`${name}\\s+http://127.0.0.1:${port}`));
        for (const probe of ['/health/live', '/health/ready']) {
          const response = await fetch(`http://127.0.0.1:${port}${probe}`);
          assert.equal(response.status, 200, `${name}${probe}: ${await response.text()}`);
        }
        const metrics = await fetch(`http://127.0.0.1:${port}/metrics`);
        assert.match(await metrics.text(), /process_cpu_user_seconds_total/);
      }
      const routed = await fetch(`http://127.0.0.1:${ports.find((p) => p.name === 'web')!.port}/api/v1/no-such-resource`);
      assert.equal(routed.status, 404);
    } finally {
      child.kill('SIGINT');
    }

    assert.equal(await exited, 0, output);
    for (const { name, port } of ports) {
      assert.equal(await portOpen(port), false, `${name} still listens on ${port} after Ctrl-C`);
    }
    // The shared broker and registry were already running, so this start must leave them up.
    assert.equal(await portOpen(config.kafka.port), true);
  }, 300_000);
});
