// Builds the browser app (services/web/client → services/web/dist/client) with Vite. With
// `--if-changed` (npm start) it builds only when the client's sources differ from the last build:
// a digest of every source file is kept beside the output.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const web = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const root = path.join(web, '..', '..');
const client = path.join(web, 'client');
const output = path.join(web, 'dist', 'client');
const digestFile = path.join(web, 'dist', 'client-sources.sha256');
/** What goes into a build besides client/: the packages it bundles. */
const alsoHashed = [path.join(root, 'package-lock.json')];

function filesUnder(dir) {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : filesUnder(full);
      return entry.isFile() ? [full] : [];
    })
    .sort();
}

/** One digest over every source file's path and bytes. */
export function sourceDigest() {
  const hash = createHash('sha256');
  for (const file of [...filesUnder(client), ...alsoHashed.filter((f) => fs.existsSync(f))]) {
    hash.update(path.relative(root, file)).update('\0').update(fs.readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

/**
 * Builds the client; with `ifChanged`, only when its sources changed since the last build.
 * Returns 'built' or 'unchanged'; throws when Vite fails.
 */
export function buildClient({ ifChanged = false, say = (line) => console.log(`[web] ${line}`) } = {}) {
  const digest = sourceDigest();
  const built = fs.existsSync(path.join(output, 'index.html'));
  if (ifChanged && built && fs.existsSync(digestFile) && fs.readFileSync(digestFile, 'utf8').trim() === digest) {
    return 'unchanged';
  }
  say('building the browser app (vite build services/web/client)');
  const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', client, '--logLevel', 'warn'], {
    cwd: web,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error(`vite build failed (exit ${result.status ?? result.signal})`);
  fs.writeFileSync(digestFile, `${digest}\n`);
  return 'built';
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    const outcome = buildClient({ ifChanged: process.argv.includes('--if-changed') });
    if (outcome === 'unchanged') console.log('[web] the browser app is up to date');
  } catch (error) {
    console.error(`[web] ✗ ${error.message}`);
    process.exit(1);
  }
}
