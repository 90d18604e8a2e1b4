// The running registry answers where the stack says, and applies the global level this module
// sets (the stack sets it on every start; the contracts job in compose does the same).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { root, registry } from '../../stack/config.mjs';
import { answers, globalCompatibility } from '../registry.mjs';

const url = process.env.TULITY_REGISTRY_URL ?? registry.url;

describe('schema registry (live)', () => {
  test('configure.mjs sets the global compatibility, which the registry then reports', async () => {
    expect(await answers(url)).toBe(true);
    const result = spawnSync(process.execPath, [path.join(root, 'schema-registry', 'configure.mjs')], {
      encoding: 'utf8',
      env: { ...process.env, TULITY_REGISTRY_URL: url },
    });
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(`global compatibility ${globalCompatibility}`);
    const config = (await (await fetch(`${url}/config`)).json()) as { compatibilityLevel: string };
    expect(config.compatibilityLevel).toBe(globalCompatibility);
  });

  test('configure.mjs without a registry URL says what to set', () => {
    const env = { ...process.env };
    delete env.TULITY_REGISTRY_URL;
    const result = spawnSync(process.execPath, [path.join(root, 'schema-registry', 'configure.mjs')], {
      encoding: 'utf8',
      env,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/set TULITY_REGISTRY_URL/);
  });
});
