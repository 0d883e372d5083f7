/**
 * Median wall time of `fn` in milliseconds over `runs` timed calls after
 * `warmup` untimed ones. Awaits promises.
 */
export async function medianMs(fn: () => unknown, runs = 15, warmup = 2): Promise<{ ms: number; runs: number }> {
  for (let i = 0; i < warmup; i++) await fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    await fn();
    t.push(performance.now() - s);
  }
  t.sort((a, b) => a - b);
  const m = t.length >> 1;
  return { ms: t.length % 2 ? t[m] : (t[m - 1] + t[m]) / 2, runs };
}
