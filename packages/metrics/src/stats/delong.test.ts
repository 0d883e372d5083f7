import { describe, expect, it } from 'vitest';
import { MetricsInputError } from '../errors.js';
import { rocAuc } from '../roc.js';
import { seededRng } from '../rng.js';
import { loadDelongFixture, num } from '../__fixtures__/delong.js';
import { aucVsChance, delongAuc, delongPaired } from './delong.js';

const fx = loadDelongFixture();
const TOL = 1e-10;

/** Expects `a` within `TOL` relative of `b`; exact when `b` is 0 or infinite. */
function close(a: number, b: number, what: string): void {
  if (b === 0 || !Number.isFinite(b)) expect(a, what).toBe(b);
  else expect(Math.abs(a - b) / Math.abs(b), `${what}: ${a} vs ${b}`).toBeLessThan(TOL);
}

/** DeLong's variance by the 1988 definition: the m x n kernel, its row and column means. */
function naiveDelongVariance(y: number[], s: number[]): number {
  const pos = s.filter((_, i) => y[i] === 1);
  const neg = s.filter((_, i) => y[i] === 0);
  const psi = (a: number, b: number) => (a > b ? 1 : a === b ? 0.5 : 0);
  const v10 = pos.map((x) => neg.reduce((t, v) => t + psi(x, v), 0) / neg.length);
  const v01 = neg.map((v) => pos.reduce((t, x) => t + psi(x, v), 0) / pos.length);
  const auc = v10.reduce((t, v) => t + v, 0) / v10.length;
  const sv = (v: number[]) => v.reduce((t, x) => t + (x - auc) ** 2, 0) / (v.length - 1);
  return sv(v10) / pos.length + sv(v01) / neg.length;
}

/** Random labels and scores rounded to one decimal (many ties). */
function randomCase(seed: number, n: number): { y: number[]; s: number[] } {
  const r = seededRng(seed);
  const y = Array.from({ length: n }, (_, i) => (i < 2 ? i : r.next() < 0.35 ? 1 : 0));
  const s = y.map((l) => Math.round((r.normal() + 0.8 * l) * 10) / 10);
  return { y, s };
}

/** The 5-point rating data of Hanley & McNeil (1982), Table 1, from its published counts. */
function hanleyMcNeil(): { y: number[]; s: number[] } {
  const normals = [33, 6, 6, 11, 2];
  const abnormals = [3, 2, 2, 11, 33];
  const y: number[] = [];
  const s: number[] = [];
  for (let r = 0; r < 5; r++) {
    for (let k = 0; k < normals[r]; k++) y.push(0), s.push(r + 1);
    for (let k = 0; k < abnormals[r]; k++) y.push(1), s.push(r + 1);
  }
  return { y, s };
}

describe('delongAuc against the naive O(mn) DeLong of make_stats_fixtures.py', () => {
  it('states what it holds', () => {
    expect(fx._about).toMatch(/naive/);
    expect(fx.single.length).toBeGreaterThanOrEqual(6);
    expect(fx.paired.length).toBeGreaterThanOrEqual(3);
  });
  it.each(fx.single.map((c) => [c.name, c] as const))('%s: AUC, variance and SE to 1e-10', (_name, c) => {
    const r = delongAuc(c.labels, c.scores);
    close(r.auc, c.auc, 'auc');
    close(r.variance, c.variance, 'variance');
    close(r.se, c.se, 'se');
    expect([r.positives, r.negatives]).toEqual([c.positives, c.negatives]);
    expect(r.auc).toBe(rocAuc(c.labels, c.scores));
  });
  it.each(fx.single.map((c) => [c.name, c] as const))('%s: one-sample test against 0.5 to 1e-10', (_name, c) => {
    const r = aucVsChance(c.labels, c.scores, { level: fx.level });
    close(r.se, c.se, 'se');
    close(r.z, num(c.vs_chance.z), 'z');
    close(r.p, c.vs_chance.p, 'p');
    close(r.ci[0], c.vs_chance.ci[0], 'ci lo');
    close(r.ci[1], c.vs_chance.ci[1], 'ci hi');
  });
});

describe('delongPaired against the naive covariance matrices', () => {
  it.each(fx.paired.map((c) => [c.name, c] as const))('%s: AUCs, SE of the difference, z, p and CI to 1e-10', (_name, c) => {
    const r = delongPaired(c.labels, c.scores_a, c.scores_b, { level: fx.level });
    close(r.aucA, c.auc_a, 'aucA');
    close(r.aucB, c.auc_b, 'aucB');
    close(r.diff, c.diff, 'diff');
    close(r.se, c.se, 'se');
    close(r.z, num(c.z), 'z');
    close(r.p, c.p, 'p');
    close(r.ci[0], c.ci[0], 'ci lo');
    close(r.ci[1], c.ci[1], 'ci hi');
    expect(r.level).toBe(0.95);
    close(delongAuc(c.labels, c.scores_a).variance, c.variance_a, 'variance A');
    close(delongAuc(c.labels, c.scores_b).variance, c.variance_b, 'variance B');
  });
  it('includes the covariance: correlated models have a smaller SE than independent ones would', () => {
    const c = fx.paired.find((x) => x.name === 'correlated');
    expect(c).toBeDefined();
    const r = delongPaired(c!.labels, c!.scores_a, c!.scores_b);
    expect(r.se).toBeLessThan(0.5 * Math.sqrt(c!.variance_a + c!.variance_b));
  });
});

describe('Hanley & McNeil (1982), Radiology 143:29-36, Table 1', () => {
  const { y, s } = hanleyMcNeil();
  it('has the published 109 images and area 0.893 (trapezoids)', () => {
    expect(y.length).toBe(109);
    expect(y.filter((v) => v === 1).length).toBe(51);
    expect(Math.abs(rocAuc(y, s) - 0.8932)).toBeLessThan(1e-4);
    expect(Math.abs(delongAuc(y, s).auc - 0.8932)).toBeLessThan(1e-4);
  });
  it('has the DeLong SE of the Python reference (0.03072), below their formula\'s 0.032', () => {
    const ref = fx.single.find((c) => c.name === 'hanley-mcneil-1982');
    expect(ref?.labels).toEqual(y);
    const r = delongAuc(y, s);
    close(r.se, ref!.se, 'se');
    expect(r.se).toBeCloseTo(0.030724, 6);
  });
});

describe('properties', () => {
  it('equals the naive O(mn) variance on random small data with ties', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const { y, s } = randomCase(seed, 12 + seed * 3);
      close(delongAuc(y, s).variance, naiveDelongVariance(y, s), `seed ${seed}`);
    }
  });
  it('a model against itself: diff 0, se 0, z 0, p 1, CI [0, 0], no NaN', () => {
    const { y, s } = randomCase(7, 60);
    const r = delongPaired(y, s, s);
    expect([r.diff, r.se, r.z, r.p, r.ci[0], r.ci[1]]).toEqual([0, 0, 0, 1, 0, 0]);
  });
  it('a difference with no spread: se 0, z Infinity, p 0, CI [diff, diff]', () => {
    const y = [1, 1, 1, 0, 0, 0];
    const r = delongPaired(y, [3, 4, 5, 0, 1, 2], [1, 1, 1, 1, 1, 1]);
    expect([r.diff, r.se, r.z, r.p, r.ci[0], r.ci[1]]).toEqual([0.5, 0, Infinity, 0, 0.5, 0.5]);
    const c = aucVsChance(y, [1, 1, 1, 1, 1, 1]);
    expect([c.auc, c.se, c.z, c.p]).toEqual([0.5, 0, 0, 1]);
  });
  it('swapping A and B negates the difference and keeps se and p', () => {
    const c = fx.paired[0];
    const ab = delongPaired(c.labels, c.scores_a, c.scores_b);
    const ba = delongPaired(c.labels, c.scores_b, c.scores_a);
    expect(ba.diff).toBe(-ab.diff);
    expect(ba.z).toBe(-ab.z);
    expect(ba.se).toBeCloseTo(ab.se, 15);
    expect(ba.p).toBeCloseTo(ab.p, 15);
    expect(ba.ci[0]).toBeCloseTo(-ab.ci[1], 15);
  });
  it('a wider level gives a wider interval around the same estimate', () => {
    const c = fx.single[0];
    const a = aucVsChance(c.labels, c.scores, { level: 0.9 });
    const b = aucVsChance(c.labels, c.scores, { level: 0.99 });
    expect(b.ci[0]).toBeLessThan(a.ci[0]);
    expect(b.ci[1]).toBeGreaterThan(a.ci[1]);
    expect((a.ci[0] + a.ci[1]) / 2).toBeCloseTo(a.auc, 15);
  });
});

describe('bad input', () => {
  const cases: Array<[string, () => unknown, RegExp]> = [
    ['mismatched lengths', () => delongAuc([0, 1, 0], [0.1, 0.2]), /^delongAuc: labels has 3 entries but scores has 2$/],
    ['a NaN score', () => delongAuc([0, 1, 0, 1], [0.1, Number.NaN, 0.3, 0.4]), /^delongAuc: scores\[1\] is NaN; scores must be finite numbers$/],
    ['one class only', () => aucVsChance([1, 1, 1], [0.1, 0.2, 0.3]), /^aucVsChance: all 3 labels are 1; both classes are needed$/],
    ['one positive', () => delongAuc([1, 0, 0], [0.1, 0.2, 0.3]), /^delongAuc: 1 positive\(s\) and 2 negative\(s\); the DeLong variance needs at least 2 of each$/],
    ['B shorter than the labels', () => delongPaired([0, 1, 0, 1], [1, 2, 3, 4], [1, 2, 3]), /^delongPaired \(scoresB\): labels has 4 entries but scores has 3$/],
    ['a NaN score in B', () => delongPaired([0, 1, 0, 1], [1, 2, 3, 4], [1, 2, Number.NaN, 4]), /^delongPaired \(scoresB\): scores\[2\] is NaN/],
    ['a level of 95', () => delongPaired([0, 1, 0, 1], [1, 2, 3, 4], [1, 2, 3, 4], { level: 95 }), /^delongPaired: level is 95; it must lie strictly between 0 and 1$/],
  ];
  it.each(cases)('%s: MetricsInputError with one clear line', (_name, f, message) => {
    expect(f).toThrow(MetricsInputError);
    expect(f).toThrow(message);
    try {
      f();
    } catch (e) {
      expect((e as Error).message).not.toContain('\n');
    }
  });
});
