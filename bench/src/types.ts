/** One measured figure. */
export interface Figure {
  /** Figure name; equal to a baseline.py name when `baseline` is set. */
  readonly name: string;
  /** Median milliseconds. */
  readonly ms: number;
  /** How many timed runs the median is over. */
  readonly runs: number;
  /** Name of the figure in `../shared/bench/baseline.py` to compare with. */
  readonly baseline?: string;
  /** Free-form notes (backend, threads, shapes). */
  readonly note?: string;
}

/** What every `packages/<name>/bench/*.ts` file exports. */
export type BenchFn = () => Promise<Figure[]>;

/** Prefix of a figure's line on the stdout of `one.ts` (read back by `run.ts`). */
export const FIGURE_PREFIX = '@@figure ';
