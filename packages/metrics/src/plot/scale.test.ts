import { describe, expect, it } from 'vitest';
import { formatTick, linearScale, niceDomain, niceTicks } from './scale.js';

describe('niceTicks', () => {
  it.each([
    [0, 1, 5, [0, 0.2, 0.4, 0.6, 0.8, 1]],
    [0, 100, 5, [0, 20, 40, 60, 80, 100]],
    [-3.7, 12.2, 4, [0, 5, 10]],
    [0.001, 0.0034, 3, [0.001, 0.002, 0.003]],
    [0.1, 0.7, 6, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]],
  ])('[%f, %f] ~%i ticks', (lo, hi, count, expected) => {
    expect(niceTicks(lo, hi, count)).toEqual(expected);
  });
  it('stays inside the interval with a nice constant step', () => {
    for (const [lo, hi] of [
      [-1.23, 4.56],
      [1e-3, 7e-3],
      [1234, 98765],
      [-50, -2],
    ]) {
      const t = niceTicks(lo, hi, 6);
      expect(t.length).toBeGreaterThanOrEqual(2);
      expect(t.length).toBeLessThanOrEqual(13);
      for (const v of t) {
        expect(v).toBeGreaterThanOrEqual(lo - 1e-12);
        expect(v).toBeLessThanOrEqual(hi + 1e-12);
      }
      const step = t[1] - t[0];
      const mant = step / 10 ** Math.floor(Math.log10(step));
      expect([1, 2, 2.5, 5].some((m) => Math.abs(mant - m) < 1e-9)).toBe(true);
      for (let i = 2; i < t.length; i++) expect(t[i] - t[i - 1]).toBeCloseTo(step, 9);
    }
  });
  it('handles degenerate intervals', () => {
    expect(niceTicks(3, 3)).toEqual([3]);
    expect(niceTicks(Number.NaN, 1)).toEqual([]);
    expect(niceTicks(5, 1, 4)).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('niceDomain / formatTick / linearScale', () => {
  it('widens to step boundaries', () => {
    expect(niceDomain(0.13, 0.87)).toEqual([0, 1]);
    expect(niceDomain(0.13, 0.87, 10)).toEqual([0.1, 0.9]);
    expect(niceDomain(0.31, 0.69, 10)).toEqual([0.3, 0.7]);
    expect(niceDomain(2, 2)).toEqual([1.8, 2.2]);
    expect(niceDomain(0, 0)).toEqual([-1, 1]);
  });
  it('formats ticks with the decimals their step needs', () => {
    const t = [0, 0.25, 0.5, 0.75, 1];
    expect(t.map((v) => formatTick(v, t))).toEqual(['0.00', '0.25', '0.50', '0.75', '1.00']);
    const u = [0, 20, 40];
    expect(u.map((v) => formatTick(v, u))).toEqual(['0', '20', '40']);
    const w = [-0.2, 0, 0.2];
    expect(w.map((v) => formatTick(v, w))).toEqual(['-0.2', '0.0', '0.2']);
  });
  it('maps domain onto range, reversed ranges included', () => {
    const s = linearScale([0, 10], [100, 0]);
    expect(s(0)).toBe(100);
    expect(s(2.5)).toBe(75);
    expect(s.domain).toEqual([0, 10]);
  });
});
