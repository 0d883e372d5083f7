import { MetricsInputError } from '../errors.js';

/** Result of {@link meanSd}. */
export interface MeanSd {
  /** Arithmetic mean. */
  readonly mean: number;
  /** Sample standard deviation (divisor n - 1); NaN when n is 1. */
  readonly sd: number;
  /** Number of values. */
  readonly n: number;
}

/**
 * Mean and sample standard deviation (divisor n - 1) of a few numbers,
 * e.g. one metric over training seeds. With a single value the standard
 * deviation is undefined and reported as NaN (check `n` before printing it).
 *
 * @throws {@link MetricsInputError}: `empty` without values, `non-finite` on a
 * value that is not a finite number.
 */
export function meanSd(xs: ArrayLike<number>): MeanSd {
  const n = xs?.length ?? 0;
  if (n === 0) throw new MetricsInputError('empty', 'meanSd: no values');
  let mean = 0;
  for (let i = 0; i < n; i++) {
    const x = xs[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new MetricsInputError('non-finite', `meanSd: xs[${i}] is ${String(x)}; values must be finite numbers`);
    }
    mean += x;
  }
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (xs[i] - mean) ** 2;
  return { mean, sd: n > 1 ? Math.sqrt(ss / (n - 1)) : Number.NaN, n };
}
