// The alert rules are valid, behave as their promtool unit tests say, link a runbook section that
// exists, and — like every Grafana dashboard query — name only metrics the code really exports
// (a renamed metric would otherwise silence its alert or blank its panel).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from '@jest/globals';
import { parse } from 'yaml';
import { createMetrics } from '@tulity/adapters/metrics';
import { eventMetrics } from '@tulity/adapters/events/metrics';
import { lagMetrics } from '../lag-exporter/metrics';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function run(tool: string, ...args: string[]) {
  const result = spawnSync(tool, args, { cwd: dir, encoding: 'utf8' });
  if (result.error)
    throw new Error(`${tool} is not installed (bash observability/install-tools.sh): ${result.error.message}`);
  return result;
}

const promql = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'rate',
  'increase',
  'delta',
  'changes',
  'deriv',
  'sum',
  'max',
  'min',
  'avg',
  'count',
  'histogram_quantile',
]);

/** The metric names in a PromQL expression: strings, label matchers, grouping labels, windows and functions removed. */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/label_values\(\s*([a-zA-Z_:][a-zA-Z0-9_:]*)[^)]*\)/g, '$1') // a Grafana variable query: its metric only
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '$1')
    .replace(/\[[^\]]*\]/g, '');
  return [...bare.matchAll(/(?<![\w$.])[a-z_][a-z0-9_]*\b/g)]
    .map((m) => m[0])
    .filter((word) => !promql.has(word))
    .map((name) => name.replace(/_(bucket|count|sum)$/, ''));
}

async function exportedMetrics(): Promise<Set<string>> {
  const metrics = createMetrics('check');
  eventMetrics(metrics.registry);
  lagMetrics(metrics.registry);
  const exported = new Set((await metrics.registry.getMetricsAsJSON()).map((m) => m.name));
  exported.add('up'); // written by Prometheus itself
  return exported;
}

interface Rule {
  alert: string;
  expr: string;
  annotations: Record<string, string>;
}
const rules = (
  parse(fs.readFileSync(path.join(dir, 'alerts.yml'), 'utf8')) as { groups: Array<{ rules: Rule[] }> }
).groups.flatMap((g) => g.rules);

interface Panel {
  title: string;
  targets?: Array<{ expr: string }>;
  panels?: Panel[];
}
interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: Array<{ name: string; query: { query: string } | string }> };
}
const dashboardsDir = path.join(dir, 'grafana', 'dashboards');
const dashboards = fs
  .readdirSync(dashboardsDir)
  .filter((f) => f.endsWith('.json'))
  .map((file) => ({
    file,
    dashboard: JSON.parse(fs.readFileSync(path.join(dashboardsDir, file), 'utf8')) as Dashboard,
  }));

/** Every query of a dashboard, named by where it sits: panel targets and template variables. */
function queriesOf(dashboard: Dashboard): Array<{ where: string; expr: string }> {
  const panels = (list: Panel[]): Panel[] => list.flatMap((p) => [p, ...panels(p.panels ?? [])]);
  return [
    ...panels(dashboard.panels).flatMap((p) =>
      (p.targets ?? []).map((t) => ({ where: `panel "${p.title}"`, expr: t.expr })),
    ),
    ...dashboard.templating.list.map((v) => ({
      where: `variable $${v.name}`,
      expr: typeof v.query === 'string' ? v.query : v.query.query,
    })),
  ];
}

describe('observability', () => {
  for (const file of ['prometheus.yml', 'prometheus.compose.yml']) {
    test(`${file} is a valid Prometheus configuration`, () => {
      const result = run('promtool', 'check', 'config', file);
      expect(result.stdout + result.stderr).toMatch(/SUCCESS/);
      expect(result.status).toBe(0);
    });
  }

  for (const file of ['alertmanager.yml', 'alertmanager.compose.yml']) {
    test(`${file} is a valid Alertmanager configuration that sends resolved alerts with a Bearer secret`, () => {
      const result = run('amtool', 'check-config', file);
      expect(result.status).toBe(0);
      const webhook = (parse(fs.readFileSync(path.join(dir, file), 'utf8')) as any).receivers[0].webhook_configs[0];
      expect(webhook.url).toMatch(/:8012\/internal\/alertmanager$/);
      expect(webhook.send_resolved).toBe(true);
      expect(webhook.http_config.authorization).toEqual({
        type: 'Bearer',
        credentials_file: expect.stringMatching(/alert-webhook-secret$/),
      });
    });
  }

  test('the alert rules pass their promtool unit tests', () => {
    const result = run('promtool', 'test', 'rules', 'alerts.test.yml');
    expect(result.stdout + result.stderr).toMatch(/SUCCESS/);
    expect(result.status).toBe(0);
  });

  test('every alert has a promtool unit test', () => {
    const tested = new Set(
      (
        parse(fs.readFileSync(path.join(dir, 'alerts.test.yml'), 'utf8')) as {
          tests: Array<{ alert_rule_test?: Array<{ alertname: string }> }>;
        }
      ).tests.flatMap((t) => (t.alert_rule_test ?? []).map((a) => a.alertname)),
    );
    expect(rules.map((r) => r.alert).filter((name) => !tested.has(name))).toEqual([]);
  });

  test('every alert says what to look at and links a runbook section that exists', () => {
    const readme = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
    const anchors = new Set(
      [...readme.matchAll(/^#{2,4} (.+)$/gm)].map((m) =>
        m[1]!
          .trim()
          .toLowerCase()
          .replace(/[^\w\- ]/g, '')
          .replace(/ /g, '-'),
      ),
    );
    for (const rule of rules) {
      expect({ alert: rule.alert, description: typeof rule.annotations.description }).toEqual({
        alert: rule.alert,
        description: 'string',
      });
      const [file, anchor] = rule.annotations.runbook_url?.split('#') ?? [];
      expect({ alert: rule.alert, file, anchorExists: anchors.has(anchor ?? '') }).toEqual({
        alert: rule.alert,
        file: 'observability/README.md',
        anchorExists: true,
      });
    }
  });

  test('the metric-name reader finds metrics and nothing else', () => {
    expect(
      metricNames(
        'sum by (group, topic) (delta(kafka_consumergroup_lag{topic=~"a.b"}[5m])) > 0 and on (group) max by (group) (kafka_consumergroup_members) == 0',
      ),
    ).toEqual(['kafka_consumergroup_lag', 'kafka_consumergroup_members']);
    expect(metricNames('label_values(up{job="tulity"}, service)')).toEqual(['up']);
    expect(
      metricNames(
        'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[$__rate_interval])))',
      ),
    ).toEqual(['http_request_duration_seconds']);
  });

  test('every metric an alert reads is exported by the code', async () => {
    const exported = await exportedMetrics();
    for (const rule of rules) {
      const names = metricNames(rule.expr);
      expect({
        alert: rule.alert,
        found: names.length > 0,
        unknown: names.filter((name) => !exported.has(name)),
      }).toEqual({ alert: rule.alert, found: true, unknown: [] });
    }
  });

  test('every Grafana dashboard query reads only metrics the code exports', async () => {
    const exported = await exportedMetrics();
    expect(dashboards.map((d) => d.file).sort()).toEqual(['event-flow.json', 'service-overview.json']);
    for (const { file, dashboard } of dashboards) {
      expect(dashboard.uid).toMatch(/^tulity-/);
      for (const { where, expr } of queriesOf(dashboard)) {
        const names = metricNames(expr);
        expect({ file, where, found: names.length > 0, unknown: names.filter((name) => !exported.has(name)) }).toEqual({
          file,
          where,
          found: true,
          unknown: [],
        });
      }
    }
  });
});
