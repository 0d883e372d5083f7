import { describe, expect, it } from 'vitest';
import { MetricsInputError } from '../errors.js';
import { meanSd } from './summary.js';

describe('meanSd', () => {
  it('gives the mean and the sample (n - 1) standard deviation', () => {
    // Deviations -3, -1, 1, 3: sum of squares 20, / 3.
    expect(meanSd([2, 4, 6, 8])).toEqual({ mean: 5, sd: Math.sqrt(20 / 3), n: 4 });
    expect(meanSd(Float64Array.of(91.2, 91.2, 91.2))).toEqual({ mean: 91.2, sd: 0, n: 3 });
  });
  it('reports NaN for the spread of a single value', () => {
    const r = meanSd([71.5]);
    expect(r.mean).toBe(71.5);
    expect(r.n).toBe(1);
    expect(r.sd).toBeNaN();
  });
  it('refuses empty input and non-finite values with one line', () => {
    expect(() => meanSd([])).toThrow(MetricsInputError);
    expect(() => meanSd([])).toThrow(/^meanSd: no values$/);
    expect(() => meanSd([1, Number.NaN])).toThrow(/^meanSd: xs\[1\] is NaN; values must be finite numbers$/);
    expect(() => meanSd([1, Infinity])).toThrow(/^meanSd: xs\[1\] is Infinity; values must be finite numbers$/);
  });
});
