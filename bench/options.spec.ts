import { describe, expect, test } from '@jest/globals';
import { parseOptions } from './options';

const root = '/repo';

describe('bench options', () => {
  test("default to npm start's stack: ports 8011-8014, its databases, every stage", () => {
    const options = parseOptions([], {}, root);
    expect(options.urls).toEqual({
      accounts: 'http://127.0.0.1:8011',
      notifications: 'http://127.0.0.1:8012',
      products: 'http://127.0.0.1:8013',
      transactions: 'http://127.0.0.1:8014',
    });
    expect(options.databases.products).toBe('postgres://postgres@127.0.0.1:5432/tulity_products');
    expect(options).toMatchObject({
      connections: 32,
      durationSeconds: 10,
      warmupSeconds: 3,
      rate: 500,
      soakMinutes: null,
    });
    expect(options.stages).toEqual(['baselines', 'endpoints', 'mix', 'events']);
    expect(options.outDir).toBe('/repo/.bench');
  });

  test('a port offset shifts every service; a flag beats the environment', () => {
    const options = parseOptions(
      ['--products-url', 'http://10.0.0.5:9000/'],
      { TULITY_PORT_OFFSET: '4000', BENCH_PRODUCTS_URL: 'http://x:1' },
      root,
    );
    expect(options.urls.accounts).toBe('http://127.0.0.1:12011');
    expect(options.urls.products).toBe('http://10.0.0.5:9000');
  });

  test('a soak runs only the mix unless stages are named', () => {
    expect(parseOptions(['--soak', '10'], {}, root)).toMatchObject({ soakMinutes: 10, stages: ['mix'] });
    expect(parseOptions(['--soak', '1', '--only', 'mix,events'], {}, root).stages).toEqual(['mix', 'events']);
  });

  test('refuses numbers out of range, unknown stages and unknown flags, naming them', () => {
    expect(() => parseOptions(['--duration', '0'], {}, root)).toThrow(
      '--duration must be a number from 1 to 3600, not "0"',
    );
    expect(() => parseOptions(['--connections', 'many'], {}, root)).toThrow(/--connections/);
    expect(() => parseOptions(['--only', 'mix,speed'], {}, root)).toThrow('not speed');
    expect(() => parseOptions(['--fast'], {}, root)).toThrow(/--fast/);
    expect(() => parseOptions(['--accounts-url', 'not a url'], {}, root)).toThrow();
  });
});
