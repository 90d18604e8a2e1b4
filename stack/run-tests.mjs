#!/usr/bin/env node
// Finds the test files and runs them with node's test runner (TypeScript through tsx).
//   --unit   only *.spec.ts unit tests (no infrastructure needed)
//   any other arguments filter the files by substring
// Files run one at a time: integration tests share one broker and one test database per service.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { root } from './config.mjs';

const args = process.argv.slice(2);
const unitOnly = args.includes('--unit');
const filters = args.filter((a) => !a.startsWith('--'));
const searchRoots = ['adapters', 'contracts', 'services', 'stack', 'observability'];

function* walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else yield full;
  }
}

const files = searchRoots
  .map((dir) => path.join(root, dir))
  .filter((dir) => fs.existsSync(dir))
  .flatMap((dir) => [...walk(dir)])
  .filter((file) => file.endsWith('.spec.ts'))
  .filter((file) => !unitOnly || !file.endsWith('.int.spec.ts'))
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .map((file) => path.relative(root, file))
  .sort();

if (files.length === 0) {
  console.error('[tests] no test files matched');
  process.exit(1);
}
console.log(`[tests] ${files.length} files`);
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files],
  { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);
process.exit(result.status ?? 1);
