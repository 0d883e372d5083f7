import { describe, expect, it } from 'vitest';
import { MetricsInputError } from '../errors.js';
import { loadDelongFixture } from '../__fixtures__/delong.js';
import { criticalValue, normalCdf, normalQuantile, twoSidedP } from './normal.js';

const fx = loadDelongFixture();

/** |a - b| relative to |b| (absolute below 1e-300). */
function rel(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
}

describe('normalCdf', () => {
  it('matches math.erfc (CPython) to 1e-12 relative, far into the lower tail', () => {
    fx.normal.z.forEach((z, i) => {
      expect(rel(normalCdf(z), fx.normal.cdf[i]), `z = ${z}`).toBeLessThan(1e-12);
    });
  });
  it('knows the textbook values and is symmetric', () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 15);
    expect(normalCdf(-Infinity)).toBe(0);
    expect(normalCdf(Infinity)).toBe(1);
    for (const z of [0.1, 0.7, 1.3, 2.9, 4.4]) expect(normalCdf(z) + normalCdf(-z)).toBeCloseTo(1, 15);
  });
  it('refuses NaN with one line', () => {
    expect(() => normalCdf(Number.NaN)).toThrow(MetricsInputError);
    expect(() => normalCdf(Number.NaN)).toThrow(/^normalCdf: z is NaN; a number is needed$/);
  });
});

describe('normalQuantile', () => {
  it('matches statistics.NormalDist.inv_cdf (CPython) to 1e-13 relative', () => {
    fx.normal.p.forEach((p, i) => {
      expect(rel(normalQuantile(p), fx.normal.quantile[i]), `p = ${p}`).toBeLessThan(1e-13);
    });
  });
  it('inverts normalCdf: normalQuantile(normalCdf(z)) == z', () => {
    // Above z = 3, Phi(z) is too close to 1 for a double to tell z's digits
    // apart (dz = 1.1e-16 / phi(z)); the lower tail keeps them all.
    for (let z = -37; z <= 3; z += 0.0625) {
      expect(Math.abs(normalQuantile(normalCdf(z)) - z), `z = ${z}`).toBeLessThan(1e-12 * Math.max(1, Math.abs(z)));
    }
  });
  it('gives the two-sided critical values and p-values', () => {
    expect(criticalValue(0.95, 't')).toBeCloseTo(1.959963984540054, 14);
    expect(criticalValue(0.9, 't')).toBeCloseTo(1.6448536269514722, 14);
    expect(twoSidedP(1.959963984540054)).toBeCloseTo(0.05, 14);
    expect(twoSidedP(0)).toBe(1);
    expect(twoSidedP(-Infinity)).toBe(0);
  });
  it('maps 0 and 1 to the infinities and refuses the rest with one line', () => {
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(normalQuantile(0.5)).toBe(0);
    for (const p of [-0.1, 1.5, Number.NaN]) {
      expect(() => normalQuantile(p)).toThrow(MetricsInputError);
      expect(() => normalQuantile(p)).toThrow(/^normalQuantile: p is .*; it must lie in \[0, 1\]$/);
    }
    expect(() => criticalValue(1, 'delongPaired')).toThrow(/^delongPaired: level is 1; it must lie strictly between 0 and 1$/);
  });
});
