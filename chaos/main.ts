// `npm run chaos [-- --minutes N] [--out DIR]`: a retail load on a stack of its own while faults are
// injected one after another; after each fault, and at the end, the books are checked from the
// databases and the topics. Prints the table, writes it with a timeline under .chaos/runs/, and
// exits non-zero naming the ids of any failed check. See docs/reliability.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { ShopClient, shopUrls, type Exchange } from '../test/shop/client';
import { readBooks } from './audit';
import { checkBooks, checkNames, type BooksVerdict } from './books';
import { schedule, type Fault } from './faults';
import { RetailLoad, tally } from './load';
import { failures, passed, table, timeline, type FaultResult } from './report';
import { adminPassword, chaosDir, ChaosStack, ports, servicePort, serviceNames, sleep } from './stack';

export interface RunOptions {
  /** 0: the short run, one pass of every fault; N: repeat the faults until N minutes have passed. */
  minutes: number;
  outDir: string;
}

/** From a fault's end to a sale confirmed end to end with every service ready. */
export const recoveryBoundMs = 90_000;
const drainTimeoutMs = 150_000;

function parseArgs(argv: string[]): RunOptions {
  let minutes = 0;
  let outDir = path.join(chaosDir, 'runs', new Date().toISOString().replace(/[:.]/g, '-'));
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--minutes') minutes = Number(argv[++i]);
    else if (argv[i] === '--out') outDir = path.resolve(argv[++i] ?? '');
    else throw new Error(`unknown argument ${argv[i]}; use --minutes N and --out DIR`);
  }
  if (!Number.isFinite(minutes) || minutes < 0 || minutes > 24 * 60) throw new Error('--minutes must be 0 to 1440');
  return { minutes, outDir };
}

const say = (line: string) => console.log(`[chaos] ${new Date().toISOString().slice(11, 19)} ${line}`);

async function allReady(): Promise<boolean> {
  const answers = await Promise.all(
    [...serviceNames, 'web' as const].map((service) =>
      fetch(`http://127.0.0.1:${servicePort(service)}/health/ready`, { signal: AbortSignal.timeout(5000) })
        .then((response) => response.ok)
        .catch(() => false),
    ),
  );
  return answers.every(Boolean);
}

export async function runChaos(options: RunOptions): Promise<{ ok: boolean; results: FaultResult[] }> {
  fs.mkdirSync(options.outDir, { recursive: true });
  const runStartedAt = Date.now();
  const loadBefore = os.loadavg();
  const exchanges: Exchange[] = [];
  const client = new ShopClient(shopUrls(ports.offset), { observe: (e) => exchanges.push(e), timeoutMs: 10_000 });
  const results: FaultResult[] = [];
  const stack = await ChaosStack.start(say);
  // Ctrl-C stops this run's stack (services, broker, registry) and drops its databases before leaving.
  process.once('SIGINT', () => {
    say('interrupted: stopping the chaos stack');
    void stack.stop().finally(() => process.exit(130));
  });
  try {
    // The shop: a manager, three cashiers and a probe cashier whose sale measures recovery.
    const admin = await client.login('admin', adminPassword);
    const people = async (role: 'manager' | 'cashier', name: string) => {
      const password = randomUUID();
      await client.createUser(admin, { username: name, role, password });
      return client.login(name, password);
    };
    const manager = await people('manager', 'chaos-manager');
    const cashiers = [
      await people('cashier', 'chaos-cashier-1'),
      await people('cashier', 'chaos-cashier-2'),
      await people('cashier', 'chaos-cashier-3'),
    ];
    const probe = await people('cashier', 'chaos-probe');
    const products = await client.seedCatalogue(manager, { prefix: 'CHAOS', count: 8 });
    await client.stockUp(manager, products, { packs: 10, timeoutMs: 120_000 });
    say(`shop: ${products.length} products, 1 manager, ${cashiers.length} cashiers`);

    const load = new RetailLoad({ cashiers, manager, products, client, thinkMs: 250 });
    load.start();
    const loadStartedAt = Date.now();
    const long = options.minutes > 0;
    const steadyMs = long ? 20_000 : 5_000;
    const holdMs = long ? 30_000 : 8_000;

    /** A probe sale of one piece reaches a final state, with every service ready. */
    const recover = async (since: number): Promise<number | null> => {
      while (Date.now() - since <= recoveryBoundMs) {
        if (await allReady()) {
          const product = products[Math.floor(Math.random() * products.length)]!;
          const sale = await client
            .sell(probe, [{ productId: product.id, unitLevelId: product.baseLevelId, quantity: 1 }])
            .catch(() => undefined);
          if (sale) {
            load.acknowledged.sales.push(sale.id);
            const remaining = recoveryBoundMs - (Date.now() - since);
            const final = await client
              .waitForFinal(probe, sale.id, { timeoutMs: Math.max(remaining, 1000) })
              .catch(() => undefined);
            if (final) return Date.now();
          }
        }
        await sleep(500);
      }
      return null;
    };

    /** Load paused, everything drained (or the drain timed out), the books read and checked. */
    const checkpoint = async (): Promise<BooksVerdict> => {
      await load.pause();
      const deadline = Date.now() + drainTimeoutMs;
      let verdict: BooksVerdict;
      for (;;) {
        try {
          verdict = checkBooks(await readBooks(load.acknowledged));
          if (verdict.ok || Date.now() > deadline) break;
        } catch (error) {
          // The books cannot be read right now (the shared Postgres full, the broker restarting): again.
          if (Date.now() > deadline) throw error;
          say(`books not readable yet: ${(error as Error).message}`);
        }
        await sleep(3000);
      }
      load.resume();
      return verdict;
    };

    const record = async (name: string, detail: string, startedAt: number, endedAt: number, error?: string) => {
      // Even after a fault that could not be carried out fully: does the system come back by itself?
      const recoveredAt = await recover(endedAt);
      const books = await checkpoint();
      const result: FaultResult = {
        fault: name,
        detail,
        startedAt,
        endedAt,
        recoveredAt,
        checkedAt: Date.now(),
        ...tally(exchanges, startedAt, recoveredAt ?? endedAt + recoveryBoundMs),
        books,
        recoveryBoundMs,
        ...(error ? { error } : {}),
      };
      results.push(result);
      say(
        `${name}: ${detail}; recovery ${recoveredAt ? `${((recoveredAt - endedAt) / 1000).toFixed(1)} s` : 'NOT within the bound'}; ` +
          `books ${books.ok ? 'ok' : 'FAILED'} (lost ${books.lost}, twice ${books.appliedTwice})`,
      );
      return result;
    };

    await sleep(steadyMs);
    const baselineAt = Date.now();
    await record('none (baseline)', 'steady load, no fault', baselineAt - steadyMs, baselineAt);

    // N minutes of faults under load, counted from the load's start (the stack takes minutes to come up).
    const until = loadStartedAt + options.minutes * 60_000;
    for (let cycle = 0; ; cycle++) {
      for (const fault of schedule(cycle) as Fault[]) {
        // The first pass always runs whole: every fault at least once, however long it takes.
        if (long && cycle > 0 && Date.now() > until) break;
        await sleep(steadyMs);
        say(`${fault.name}: injecting`);
        const startedAt = Date.now();
        let detail = '';
        let error: string | undefined;
        try {
          detail = await fault.inject({ stack, say, holdMs });
        } catch (caught) {
          error = (caught as Error).message;
        }
        await record(fault.name, detail || 'not carried out', startedAt, Date.now(), error);
      }
      if (!long || Date.now() > until) break;
    }

    await load.stop();
    const endAt = Date.now();
    await record('end (load stopped, drained)', 'final books', endAt, endAt);
  } finally {
    await stack.stop();
  }

  const runEndedAt = Date.now();
  const ok = results.every(passed) && results.every((r) => r.books.checks.length === checkNames.length);
  const loadAfter = os.loadavg();
  const summary = [
    `Chaos run ${new Date(runStartedAt).toISOString()}, ${((runEndedAt - runStartedAt) / 60_000).toFixed(1)} min` +
      ` (${options.minutes ? `--minutes ${options.minutes}` : 'short run'}), ${exchanges.length} requests.`,
    `Load average before ${loadBefore.map((n) => n.toFixed(2)).join(' ')}, after ${loadAfter.map((n) => n.toFixed(2)).join(' ')} (${os.cpus().length} cores).`,
    `Recovery bound ${recoveryBoundMs / 1000} s. Verdict: ${ok ? 'PASSED' : 'FAILED'}.`,
    '',
    table(results),
  ].join('\n');
  fs.writeFileSync(path.join(options.outDir, 'report.md'), `${summary}\n`);
  fs.writeFileSync(path.join(options.outDir, 'timeline.svg'), timeline(results, exchanges, runStartedAt, runEndedAt));
  fs.writeFileSync(
    path.join(options.outDir, 'report.json'),
    JSON.stringify({ ok, minutes: options.minutes, loadBefore, loadAfter, recoveryBoundMs, results }, null, 2),
  );
  console.log(`\n${summary}\n`);
  for (const line of failures(results)) console.log(`[chaos] ✗ ${line}`);
  say(`written to ${path.relative(process.cwd(), options.outDir)}/ (report.md, timeline.svg, report.json)`);
  return { ok, results };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { ok } = await runChaos(parseArgs(process.argv.slice(2)));
  process.exit(ok ? 0 : 1);
}
