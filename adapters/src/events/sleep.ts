/** A pause that `wake()` ends early, so a stopping loop does not sit out its backoff. */
export function interruptibleSleep() {
  let wake: () => void = () => {};
  return {
    sleep(ms: number): Promise<void> {
      if (ms <= 0) return Promise.resolve();
      return new Promise((resolve) => {
        const timer = setTimeout(resolve, ms);
        wake = () => { clearTimeout(timer); resolve(); };
      });
    },
    wake: () => wake(),
  };
}

/** Exponential backoff: `min`, doubling per failure, capped at `max`. */
export function backoff(failures: number, min: number, max: number): number {
  return Math.min(max, min * 2 ** Math.max(0, failures - 1));
}
