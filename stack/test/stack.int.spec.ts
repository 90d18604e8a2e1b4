// The stack fails fast and cleanly: a stale pid file from a killed run, a port taken by another
// process, and databases that only their own service's role can reach.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test, expect } from '@jest/globals';
import pg from 'pg';
import * as config from '../config.mjs';

const cli = path.join(config.root, 'stack', 'cli.mjs');

/** Runs the stack's CLI against a throwaway stack folder that shares the real download cache. */
function runCli(args: string[], stackDir: string, env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [cli, ...args], {
    encoding: 'utf8',
    env: { ...process.env, TULITY_STACK_DIR: stackDir, TULITY_STACK_CACHE: config.dirs.cache, ...env },
    timeout: 120_000,
  });
}

function expectOneLineError(result: ReturnType<typeof runCli>, pattern: RegExp) {
  expect(result).toMatchObject({ status: 1 });
  expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(pattern)]);
}

const tempStack = () => fs.mkdtempSync(path.join(os.tmpdir(), 'tulity-stack-'));

describe('stack runner', () => {
  test('a stale pid file from a killed run is reported as down and removed', () => {
    const stackDir = tempStack();
    fs.mkdirSync(path.join(stackDir, 'run'), { recursive: true });
    const pidFile = path.join(stackDir, 'run', 'registry.pid');
    // A pid far above pid_max's default is never alive.
    fs.writeFileSync(pidFile, '4194000');

    const result = runCli(['status'], stackDir);

    expect(result).toMatchObject({ status: 0 });
    expect(result.stdout).toMatch(/registry\s+(down|port taken)/);
    expect(fs.existsSync(pidFile)).toBe(false);
  });

  test('a port taken by another process stops start-up with a one-line reason and nothing left running', () => {
    // The shared broker holds the Kafka port; a second stack must refuse it rather than hang.
    const stackDir = tempStack();

    const result = runCli(['up'], stackDir);

    expectOneLineError(
      result,
      new RegExp(`port ${config.kafka.port} for kafka is taken by another process — stop it, or set TULITY_KAFKA_PORT`),
    );
    expect(fs.existsSync(path.join(stackDir, 'run', 'kafka.pid'))).toBe(false);
    expect(fs.existsSync(path.join(stackDir, 'run', 'registry.pid'))).toBe(false);
  });

  test('an unreachable Postgres stops start-up with a one-line reason and a hint', () => {
    const result = runCli(['up'], tempStack(), { TULITY_PG_ADMIN_URL: 'postgres://postgres@127.0.0.1:1/postgres' });

    expectOneLineError(
      result,
      /PostgreSQL is unreachable at postgres:\/\/127\.0\.0\.1:1\/postgres .* — start it, .* or set TULITY_PG_ADMIN_URL/,
    );
  });

  test('a Kafka version Maven cannot resolve stops start-up and names the Maven log', () => {
    const stackDir = tempStack();

    const result = runCli(['fetch'], stackDir, {
      TULITY_STACK_CACHE: path.join(stackDir, 'cache'),
      TULITY_KAFKA_VERSION: '0.0.404',
    });

    expectOneLineError(result, /Maven could not resolve the Kafka jars — see .*maven\.log/);
    expect(fs.existsSync(path.join(stackDir, 'cache', 'kafka-0.0.404', '.complete'))).toBe(false);
  });

  test("each service's role reaches its own database and no other", async () => {
    const own = new pg.Client({ connectionString: config.databaseOf('products').url });
    await own.connect();
    await own.end();

    const foreign = config.databaseOf('accounts');
    const intruder = new pg.Client({
      connectionString: foreign.url.replace('tulity_accounts:tulity_accounts', 'tulity_products:tulity_products'),
    });
    await expect(intruder.connect()).rejects.toThrow(/permission denied for database "tulity_accounts"/);
    await intruder.end().catch(() => {});
  });
});
