// The alert rules are valid, behave as their promtool unit tests say, and name only metrics
// the services really export (a renamed metric would otherwise silence its alert).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { describe, test } from '@jest/globals';
import { parse } from 'yaml';
import { createMetrics } from '@tulity/adapters/metrics';
import { eventMetrics } from '@tulity/adapters/events/metrics';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function promtool(...args: string[]) {
  const result = spawnSync('promtool', args, { cwd: dir, encoding: 'utf8' });
  if (result.error) throw new Error(`promtool is not installed (bash observability/install-tools.sh): ${result.error.message}`);
  return result;
}

const promql = new Set(['by', 'without', 'on', 'ignoring', 'and', 'or', 'unless', 'rate', 'increase', 'sum', 'max', 'min', 'avg', 'histogram_quantile']);

/** The metric names in a PromQL expression: label matchers, grouping labels and functions removed. */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/\{[^}]*\}/g, '')
    .replace(/\b(by|without)\s*\([^)]*\)/g, '')
    .replace(/\[[^\]]*\]/g, '');
  return [...bare.matchAll(/\b[a-z_][a-z0-9_]*\b/g)]
    .map((m) => m[0])
    .filter((word) => !promql.has(word))
    .map((name) => name.replace(/_(bucket|count|sum)$/, ''));
}

describe('observability', () => {
  for (const file of ['prometheus.yml', 'prometheus.compose.yml']) {
    test(`${file} is a valid Prometheus configuration`, () => {
      const result = promtool('check', 'config', file);
      assert.equal(result.status, 0, result.stdout + result.stderr);
    });
  }

  test('the alert rules pass their promtool unit tests', () => {
    const result = promtool('test', 'rules', 'alerts.test.yml');
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /SUCCESS/);
  });

  test('every metric an alert reads is exported by the services', async () => {
    const metrics = createMetrics('check');
    eventMetrics(metrics.registry);
    const exported = new Set((await metrics.registry.getMetricsAsJSON()).map((m) => m.name));
    exported.add('up'); // written by Prometheus itself
    const rules = (parse(fs.readFileSync(path.join(dir, 'alerts.yml'), 'utf8')) as { groups: Array<{ rules: Array<{ alert: string; expr: string }> }> })
      .groups.flatMap((g) => g.rules);

    for (const rule of rules) {
      const names = metricNames(rule.expr);
      const unknown = names.filter((name) => !exported.has(name));
      assert.ok(names.length > 0, `${rule.alert}: no metric found in its expression`);
      assert.deepEqual(unknown, [], `${rule.alert} reads metrics nothing exports`);
    }
  });
});
