import { describe, expect, test } from '@jest/globals';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const logger = fileURLToPath(new URL('./logger.ts', import.meta.url));

/** Runs `script` in a process of its own (the logger writes to the real stdout) and returns its stdout lines. */
function run(script: string): Promise<string[]> {
  const source = `import { createLogger } from ${JSON.stringify(logger)};\n${script}`;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '--eval', source],
      { env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'info' } },
      (_error, stdout) => resolve(stdout.split('\n').filter(Boolean)),
    );
  });
}

const messages = (lines: string[]) => lines.map((line) => JSON.parse(line).msg);

describe('createLogger', () => {
  test('lines still in the buffer are written when the process exits', async () => {
    const lines = await run(`
      const log = createLogger('exit-test');
      for (let i = 0; i < 3; i++) log.info('line ' + i);
      process.exit(0);`);

    expect(messages(lines)).toEqual(['line 0', 'line 1', 'line 2']);
  });

  test('lines logged before an uncaught error are written', async () => {
    const lines = await run(`
      const log = createLogger('crash-test');
      log.info('before the crash');
      setTimeout(() => { throw new Error('boom'); }, 1);`);

    expect(messages(lines)).toEqual(['before the crash']);
  });
});
