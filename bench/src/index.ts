/**
 * `@caddm/bench`: the benchmark harness (`pnpm bench`).
 *
 * @packageDocumentation
 */
export { median, medianMs } from './time.js';
export { baselineAvailable, runBaseline, BASELINE_PYTHON, type BaselineFigure } from './baseline.js';
export type { Figure, BenchFn } from './types.js';
