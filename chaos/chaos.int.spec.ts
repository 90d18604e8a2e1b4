// The short chaos run (`npm run chaos`) as part of the suite: its own stack (broker, registry,
// databases and ports apart from the shared ones), every fault once under a retail load, and the
// books checked after each. The run's verdict must pass, with every check carried out.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from '@jest/globals';
import * as config from '../stack/config.mjs';
import { checkNames } from './books';
import { schedule } from './faults';
import type { FaultResult } from './report';

describe('npm run chaos (short run)', () => {
  test('every fault recovers by itself, with nothing lost, nothing applied twice and balanced books', async () => {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tulity-chaos-'));
    const child = spawn(process.execPath, ['--import', 'tsx', path.join('chaos', 'main.ts'), '--out', outDir], {
      cwd: config.root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));

    const report = JSON.parse(fs.readFileSync(path.join(outDir, 'report.json'), 'utf8')) as {
      ok: boolean;
      results: FaultResult[];
    };
    const faults = report.results.map((r) => r.fault);
    expect(faults).toEqual(['none (baseline)', ...schedule(0).map((f) => f.name), 'end (load stopped, drained)']);
    for (const result of report.results) {
      expect({ fault: result.fault, checks: result.books.checks.map((c) => c.name) }).toEqual({
        fault: result.fault,
        checks: [...checkNames],
      });
      // The whole result on failure: which check, which ids.
      expect({ fault: result.fault, error: result.error, failed: result.books.checks.filter((c) => !c.ok) }).toEqual({
        fault: result.fault,
        error: undefined,
        failed: [],
      });
      expect({ fault: result.fault, recovered: result.recoveredAt !== null }).toEqual({
        fault: result.fault,
        recovered: true,
      });
      expect(result.books).toMatchObject({ lost: 0, appliedTwice: 0, balanced: true });
    }
    expect({ code, ok: report.ok, tail: code === 0 ? '' : output.slice(-3000) }).toEqual({
      code: 0,
      ok: true,
      tail: '',
    });
  }, 1_800_000);
});
