// The running configuration of Prometheus and Alertmanager, written from the checked-in files
// (prometheus.yml, alertmanager.yml, alerts.yml) with the ports, paths and timings of one run:
// the local stack writes it with its own ports, the alert test with short intervals. The output is
// JSON, which both read as YAML. Plain JavaScript: stack/cli.mjs imports it (after npm ci).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const observabilityDir = path.dirname(fileURLToPath(import.meta.url));

/** The default ports of the checked-in configuration; the stack shifts them with TULITY_PORT_OFFSET. */
export const defaultPorts = { prometheus: 9090, alertmanager: 9095, lagExporter: 9308 };

async function readYaml(file) {
  const { parse } = await import('yaml');
  return parse(fs.readFileSync(path.join(observabilityDir, file), 'utf8'));
}

/** `host:port` with the port swapped when `ports` maps it (keys and values are port numbers). */
const movePort = (ports) => (target) => {
  const [host, port] = target.split(':');
  return `${host}:${ports[port] ?? port}`;
};

/**
 * prometheus.yml for one run. `ports` maps default ports to this run's; `jobs` keeps only the
 * named scrape jobs; `interval` sets scrape and evaluation intervals (e.g. '1s' in a test).
 * @param {{ ports?: Record<number, number>, ruleFiles?: string[], jobs?: string[], interval?: string }} [options]
 */
export async function prometheusConfig({ ports = {}, ruleFiles, jobs, interval } = {}) {
  const doc = await readYaml('prometheus.yml');
  const move = movePort(ports);
  const retarget = (config) => ({ ...config, targets: config.targets.map(move) });
  doc.scrape_configs = doc.scrape_configs
    .filter((job) => !jobs || jobs.includes(job.job_name))
    .map((job) => ({ ...job, static_configs: job.static_configs.map(retarget) }));
  doc.alerting.alertmanagers = doc.alerting.alertmanagers.map((am) => ({
    ...am,
    static_configs: am.static_configs.map(retarget),
  }));
  doc.rule_files = ruleFiles ?? doc.rule_files.map((file) => path.join(observabilityDir, file));
  if (interval) doc.global = { ...doc.global, scrape_interval: interval, evaluation_interval: interval };
  return JSON.stringify(doc, null, 2);
}

/**
 * alertmanager.yml for one run: the webhook's URL and the secret file's absolute path; `timing`
 * overrides the route's group_wait, group_interval and repeat_interval (short in a test).
 * @param {{ webhookUrl: string, credentialsFile: string, timing?: Record<string, string> }} options
 */
export async function alertmanagerConfig({ webhookUrl, credentialsFile, timing = {} }) {
  const doc = await readYaml('alertmanager.yml');
  doc.route = { ...doc.route, ...timing };
  for (const receiver of doc.receivers) {
    for (const webhook of receiver.webhook_configs ?? []) {
      webhook.url = webhookUrl;
      webhook.http_config.authorization.credentials_file = credentialsFile;
    }
  }
  return JSON.stringify(doc, null, 2);
}

/**
 * alerts.yml with every duration in minutes read as seconds — `for: 5m` becomes `for: 5s`, a
 * `[5m]` window `[5s]` — so a test with 1 s scrapes sees the real rules fire in seconds.
 */
export function rulesInSeconds() {
  const rules = fs.readFileSync(path.join(observabilityDir, 'alerts.yml'), 'utf8');
  return rules.replace(/^(\s+for: )(\d+)m$/gm, '$1$2s').replace(/\[(\d+)m\]/g, '[$1s]');
}

/**
 * The shared secret Alertmanager sends as a Bearer token to the notifications webhook: made once
 * and kept in `file` (owner-only), so a restart of either side keeps them agreeing.
 */
export function webhookSecret(file) {
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('base64url');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

export const prometheusArgs = ({ configFile, storageDir, host, port }) => [
  `--config.file=${configFile}`,
  `--storage.tsdb.path=${storageDir}`,
  `--web.listen-address=${host}:${port}`,
];

// 9093, Alertmanager's default, is the Kafka controller's port here; clustering (9094) is off: one
// Alertmanager per machine has no peers to gossip with.
export const alertmanagerArgs = ({ configFile, storageDir, host, port }) => [
  `--config.file=${configFile}`,
  `--storage.path=${storageDir}`,
  `--web.listen-address=${host}:${port}`,
  '--cluster.listen-address=',
];
