// What compose's restart policy does, for `npm start`: a service that exits is started again after
// a delay that doubles while it keeps failing (reset once it has run healthy for a while), and the
// supervisor gives up only on a service that keeps crashing before it ever becomes ready — a
// broken build or configuration, which restarting cannot fix. Plain JavaScript, like stack/cli.mjs.

export const restartPolicy = {
  firstDelayMs: 1000,
  maxDelayMs: 30_000,
  /** A run this long after becoming ready counts as healthy: the next crash restarts after firstDelayMs again. */
  healthyAfterMs: 10_000,
  /** Consecutive exits before the service ever answered ready: then it is not going to. */
  maxStartCrashes: 5,
};

/** The delay before restart number `crashes` of a run of quick crashes (1, 2, 4 … s, capped). */
export function restartDelay(crashes, policy = restartPolicy) {
  return Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** Math.max(0, crashes - 1));
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const exited = (child) => child.exitCode !== null || child.signalCode !== null;

/**
 * Runs `launch()` (a ChildProcess) and keeps it running. `isReady()` is polled after each launch;
 * `say(line)` reports restarts; `giveUp(line)` is called once when the service keeps crashing at
 * start, after which nothing is restarted.
 */
export function supervise({ name, launch, isReady, say, giveUp, policy = restartPolicy, pollMs = 300 }) {
  let child;
  let launchedAt = 0;
  let readyAt = 0;
  let startCrashes = 0;
  let quickCrashes = 0;
  let restarts = 0;
  let everReady = false;
  let stopped = false;
  let timer;

  const watchReadiness = async (own) => {
    while (!stopped && own === child && !exited(own)) {
      if (await isReady().catch(() => false)) {
        if (own !== child || exited(own)) return;
        readyAt = Date.now();
        startCrashes = 0;
        if (everReady) say(`${name}: ready again after restart ${restarts} (pid ${own.pid})`);
        everReady = true;
        return;
      }
      await sleep(pollMs);
    }
  };

  const onExit = (code, signal) => {
    if (stopped) return;
    const wasReady = readyAt >= launchedAt && readyAt > 0;
    if (!wasReady) startCrashes += 1;
    quickCrashes = wasReady && Date.now() - readyAt >= policy.healthyAfterMs ? 1 : quickCrashes + 1;
    const how = signal ?? `code ${code}`;
    if (startCrashes >= policy.maxStartCrashes) {
      stopped = true;
      giveUp(`${name} keeps crashing at start (${startCrashes} times in a row, last ${how}); not restarting it`);
      return;
    }
    const delayMs = restartDelay(quickCrashes, policy);
    restarts += 1;
    say(`${name}: exited (${how}), restarting in ${delayMs / 1000}s (restart ${restarts})`);
    timer = setTimeout(start, delayMs);
  };

  function start() {
    if (stopped) return;
    child = launch();
    launchedAt = Date.now();
    child.once('exit', onExit);
    void watchReadiness(child);
  }

  start();
  return {
    get pid() {
      return child?.pid;
    },
    /** True once the service has answered ready at least once. */
    get everReady() {
      return everReady;
    },
    get restarts() {
      return restarts;
    },
    /** Stops supervising, then SIGTERM (SIGKILL after `graceMs`). */
    async stop(graceMs = 10_000) {
      stopped = true;
      clearTimeout(timer);
      if (!child || exited(child)) return;
      await new Promise((resolve) => {
        const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill('SIGTERM');
      });
    },
  };
}
