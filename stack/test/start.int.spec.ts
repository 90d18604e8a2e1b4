// The README's start command brings up every service, each answers its health endpoints, and
// Ctrl-C stops everything it started. Ports are shifted so a developer's own `npm start` can run.
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { describe, test, expect } from '@jest/globals';
import * as config from '../config.mjs';

const offset = 1000;
const ports = config.services.map((s: { name: string; defaultPort: number }) => ({
  name: s.name,
  port: s.defaultPort + offset,
}));
// Monitoring runs beside the services, its ports shifted the same way.
const monitoring = [
  { name: 'lag exporter', port: 9308 + offset, ready: '/health/ready' },
  { name: 'alertmanager', port: 9095 + offset, ready: '/-/ready' },
  { name: 'prometheus', port: 9090 + offset, ready: '/-/ready' },
];

function portOpen(port: number) {
  return new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
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
        expect(output).toMatch(new RegExp(`${name}\\s+http://127.0.0.1:${port}`));
        for (const probe of ['/health/live', '/health/ready']) {
          const response = await fetch(`http://127.0.0.1:${port}${probe}`);
          // The whole answer, so a failing probe shows what it said.
          expect({ probe: `${name}${probe}`, status: response.status, body: await response.text() }).toMatchObject({
            probe: `${name}${probe}`,
            status: 200,
          });
        }
        const metrics = await fetch(`http://127.0.0.1:${port}/metrics`);
        expect(await metrics.text()).toMatch(/process_cpu_user_seconds_total/);
      }
      const routed = await fetch(
        `http://127.0.0.1:${ports.find((p) => p.name === 'web')!.port}/api/v1/no-such-resource`,
      );
      expect(routed.status).toBe(404);

      for (const { name, port, ready } of monitoring) {
        expect(output).toMatch(new RegExp(`${name}\\s+http://127.0.0.1:${port}`));
        expect({ name, status: (await fetch(`http://127.0.0.1:${port}${ready}`)).status }).toEqual({
          name,
          status: 200,
        });
      }
      // Prometheus has the project's rules, and Alertmanager sends to this run's notifications.
      const rules = (await (await fetch(`http://127.0.0.1:${9090 + offset}/api/v1/rules`)).json()) as {
        data: { groups: Array<{ rules: unknown[] }> };
      };
      expect(rules.data.groups.flatMap((g) => g.rules).length).toBeGreaterThan(0);
      const alertmanager = (await (await fetch(`http://127.0.0.1:${9095 + offset}/api/v2/status`)).json()) as {
        config: { original: string };
      };
      expect(alertmanager.config.original).toContain(`http://127.0.0.1:${8012 + offset}/internal/alertmanager`);
    } finally {
      child.kill('SIGINT');
    }

    expect({ code: await exited, output }).toMatchObject({ code: 0 });
    for (const { name, port } of [...ports, ...monitoring]) {
      expect({ name, port, listening: await portOpen(port) }).toEqual({ name, port, listening: false });
    }
    // The shared broker and registry were already running, so this start must leave them up.
    expect(await portOpen(config.kafka.port)).toBe(true);
  }, 300_000);
});
