import { describe, expect, it } from 'vitest';
import { MetricsInputError } from '../errors.js';
import { rocAuc } from '../roc.js';
import { seededRng } from '../rng.js';
import { clusterBootstrap, clusterBootstrapAuc, clusterBootstrapAucDiff } from './bootstrap.js';
import { delongAuc } from './delong.js';

interface Clustered {
  y: number[];
  s: number[];
  /** A second model: the first plus independent noise. */
  s2: number[];
  id: string[];
}

/**
 * `identities` identities, each with one real video and `fakes` fakes; every
 * video of an identity shares an identity effect of size `shared`, so its
 * videos are not independent.
 */
function clustered(seed: number, identities: number, fakes = 3, shared = 1): Clustered {
  const r = seededRng(seed);
  const out: Clustered = { y: [], s: [], s2: [], id: [] };
  for (let k = 0; k < identities; k++) {
    const u = shared * r.normal();
    for (let v = 0; v <= fakes; v++) {
      const label = v === 0 ? 0 : 1;
      const score = u + 1.2 * label + r.normal();
      out.y.push(label);
      out.s.push(score);
      out.s2.push(score + 0.8 * r.normal());
      out.id.push(`id${k}`);
    }
  }
  return out;
}

describe('clusterBootstrapAuc', () => {
  const d = clustered(1, 60);
  it('estimates the AUC of the data as given, inside its interval', () => {
    const r = clusterBootstrapAuc(d.y, d.s, d.id, { reps: 1000, seed: 3 });
    expect(r.estimate).toBe(rocAuc(d.y, d.s));
    expect(r.lo).toBeLessThan(r.estimate);
    expect(r.hi).toBeGreaterThan(r.estimate);
    expect([r.reps, r.valid, r.clusters, r.level]).toEqual([1000, 1000, 60, 0.95]);
  });
  it('is reproducible by seed, and another seed gives another interval', () => {
    const a = clusterBootstrapAuc(d.y, d.s, d.id, { reps: 500, seed: 11 });
    const b = clusterBootstrapAuc(d.y, d.s, d.id, { reps: 500, seed: 11 });
    const c = clusterBootstrapAuc(d.y, d.s, d.id, { reps: 500, seed: 12 });
    expect(b).toEqual(a);
    expect([c.lo, c.hi]).not.toEqual([a.lo, a.hi]);
  });
  it('narrows with more clusters', () => {
    const width = (k: number) => {
      const x = clustered(5, k);
      const r = clusterBootstrapAuc(x.y, x.s, x.id, { reps: 1000 });
      return r.hi - r.lo;
    };
    const w20 = width(20);
    const w80 = width(80);
    const w320 = width(320);
    expect(w80).toBeLessThan(0.8 * w20);
    expect(w320).toBeLessThan(0.8 * w80);
    // Width shrinks about as 1 / sqrt(clusters): halves per 4x clusters.
    expect(w320 / w80).toBeGreaterThan(0.3);
    expect(w320 / w80).toBeLessThan(0.7);
  });
  it('with one cluster per item, has a standard error within 15% of the DeLong SE (n = 400)', () => {
    const r = seededRng(21);
    const y = Array.from({ length: 400 }, (_, i) => (i % 5 < 2 ? 1 : 0));
    const s = y.map((l) => r.normal() + 0.9 * l);
    const own = y.map((_, i) => `item${i}`);
    const boot = clusterBootstrapAuc(y, s, own, { reps: 2000, seed: 1 });
    const dl = delongAuc(y, s);
    expect(Math.abs(boot.se / dl.se - 1)).toBeLessThan(0.15);
    // The percentile interval is then close to the DeLong Wald interval.
    expect(boot.hi - boot.lo).toBeCloseTo(2 * 1.96 * dl.se, 1);
  });
  it('follows the dependence: wider when a cluster\'s videos share one class and an effect, narrower when each cluster is a matched real/fake set', () => {
    // Same class per cluster: the shared effect moves all its placements together.
    const r = seededRng(8);
    const y: number[] = [];
    const s: number[] = [];
    const id: string[] = [];
    for (let k = 0; k < 100; k++) {
      const label = k % 2;
      const u = 1.5 * r.normal();
      for (let v = 0; v < 4; v++) y.push(label), s.push(u + 1.2 * label + r.normal()), id.push(`id${k}`);
    }
    const own = id.map((_, i) => `v${i}`);
    const sameClass = clusterBootstrapAuc(y, s, id, { reps: 1000 });
    expect(sameClass.se).toBeGreaterThan(1.3 * clusterBootstrapAuc(y, s, own, { reps: 1000 }).se);
    // One real and three fakes per identity sharing the effect: a high effect
    // raises the fakes' placements and lowers the real's, so they offset.
    const x = clustered(8, 100, 3, 1.5);
    const matched = clusterBootstrapAuc(x.y, x.s, x.id, { reps: 1000 });
    expect(matched.se).toBeLessThan(0.9 * clusterBootstrapAuc(x.y, x.s, x.id.map((_, i) => `v${i}`), { reps: 1000 }).se);
  });
  it('skips and counts replicates that lack a class', () => {
    // Two clusters of one class each: a replicate has both classes with probability 1/2.
    const r = clusterBootstrapAuc([1, 1, 0, 0], [0.9, 0.8, 0.2, 0.85], ['a', 'a', 'b', 'b'], { reps: 2000 });
    expect(r.valid).toBeGreaterThan(850);
    expect(r.valid).toBeLessThan(1150);
    expect(r.reps).toBe(2000);
    // Every valid replicate holds both clusters once, so it is the data as given.
    expect([r.lo, r.hi, r.se]).toEqual([r.estimate, r.estimate, 0]);
  });
  it('handles 2000 replicates of 1000 items quickly', () => {
    const x = clustered(4, 250);
    const t0 = performance.now();
    const r = clusterBootstrapAuc(x.y, x.s, x.id, { reps: 2000 });
    expect(r.valid).toBe(2000);
    expect(performance.now() - t0).toBeLessThan(5000);
  });
});

describe('clusterBootstrapAucDiff', () => {
  const d = clustered(2, 80);
  it('estimates AUC(A) - AUC(B) on the same draws, and its interval contains the estimate', () => {
    const r = clusterBootstrapAucDiff(d.y, d.s, d.s2, d.id, { reps: 1000, seed: 4 });
    expect(r.estimate).toBeCloseTo(rocAuc(d.y, d.s) - rocAuc(d.y, d.s2), 15);
    expect(r.lo).toBeLessThan(r.estimate);
    expect(r.hi).toBeGreaterThan(r.estimate);
  });
  it('uses the same draws for both models: A against itself is exactly [0, 0]', () => {
    const r = clusterBootstrapAucDiff(d.y, d.s, d.s, d.id, { reps: 300 });
    expect([r.estimate, r.lo, r.hi, r.se]).toEqual([0, 0, 0, 0]);
  });
  it('is narrower than the two single-model intervals combined as if independent', () => {
    const diff = clusterBootstrapAucDiff(d.y, d.s, d.s2, d.id, { reps: 1000 });
    const a = clusterBootstrapAuc(d.y, d.s, d.id, { reps: 1000 });
    const b = clusterBootstrapAuc(d.y, d.s2, d.id, { reps: 1000 });
    expect(diff.se).toBeLessThan(0.7 * Math.hypot(a.se, b.se));
  });
  it('swapping A and B mirrors the interval', () => {
    const ab = clusterBootstrapAucDiff(d.y, d.s, d.s2, d.id, { reps: 400, seed: 9 });
    const ba = clusterBootstrapAucDiff(d.y, d.s2, d.s, d.id, { reps: 400, seed: 9 });
    expect(ba.estimate).toBeCloseTo(-ab.estimate, 15);
    expect(ba.lo).toBeCloseTo(-ab.hi, 12);
    expect(ba.hi).toBeCloseTo(-ab.lo, 12);
  });
});

describe('clusterBootstrap (any statistic)', () => {
  it('bootstraps a weighted mean: SE close to sd / sqrt(n) with one item per cluster', () => {
    const r = seededRng(5);
    const x = Array.from({ length: 300 }, () => r.normal() * 2);
    const mean = (w: Uint32Array) => {
      let t = 0;
      let c = 0;
      for (let i = 0; i < w.length; i++) {
        t += w[i] * x[i];
        c += w[i];
      }
      return t / c;
    };
    const b = clusterBootstrap(x.map((_, i) => String(i)), mean, { reps: 2000, seed: 2 });
    const m = x.reduce((a, v) => a + v, 0) / x.length;
    const sd = Math.sqrt(x.reduce((a, v) => a + (v - m) ** 2, 0) / (x.length - 1));
    expect(b.estimate).toBeCloseTo(m, 12);
    expect(Math.abs(b.se / (sd / Math.sqrt(x.length)) - 1)).toBeLessThan(0.1);
  });
});

describe('bad input', () => {
  const y = [0, 1, 0, 1];
  const s = [0.1, 0.7, 0.4, 0.3];
  const ids = ['a', 'a', 'b', 'b'];
  const cases: Array<[string, () => unknown, RegExp]> = [
    ['clusters shorter than the items', () => clusterBootstrapAuc(y, s, ['a', 'b', 'c']), /^clusterBootstrapAuc: clusters has 3 entries but there are 4 items$/],
    ['mismatched labels and scores', () => clusterBootstrapAuc(y, [0.1, 0.2], ids), /^clusterBootstrapAuc: labels has 4 entries but scores has 2$/],
    ['a NaN score', () => clusterBootstrapAuc(y, [0.1, Number.NaN, 0.3, 0.4], ids), /^clusterBootstrapAuc: scores\[1\] is NaN; scores must be finite numbers$/],
    ['one class only', () => clusterBootstrapAuc([1, 1, 1, 1], s, ids), /^clusterBootstrapAuc: all 4 labels are 1; both classes are needed$/],
    ['an empty cluster key', () => clusterBootstrapAuc(y, s, ['a', '', 'b', 'b']), /^clusterBootstrapAuc: clusters\[1\] is ""; cluster keys must be non-empty strings$/],
    ['a number as cluster key', () => clusterBootstrapAuc(y, s, ['a', 7, 'b', 'b'] as unknown as string[]), /^clusterBootstrapAuc: clusters\[1\] is 7; cluster keys must be non-empty strings$/],
    ['one replicate', () => clusterBootstrapAuc(y, s, ids, { reps: 1 }), /^clusterBootstrapAuc: reps is 1; it must be an integer >= 2$/],
    ['a level in percent', () => clusterBootstrapAucDiff(y, s, s, ids, { level: 95 }), /^clusterBootstrapAucDiff: level is 95; it must lie strictly between 0 and 1$/],
    ['B of another length', () => clusterBootstrapAucDiff(y, s, [1, 2, 3], ids), /^clusterBootstrapAucDiff \(scoresB\): labels has 4 entries but scores has 3$/],
    ['a statistic undefined on the data', () => clusterBootstrap(ids, () => Number.NaN), /^clusterBootstrap: the statistic is NaN on the data as given$/],
  ];
  it.each(cases)('%s: MetricsInputError with one clear line', (_name, f, message) => {
    expect(f).toThrow(MetricsInputError);
    expect(f).toThrow(message);
  });
  it('says so when no replicate holds both classes', () => {
    // Each cluster holds one class; with 2 replicates both may miss a class.
    const f = () => clusterBootstrapAuc([1, 0], [0.9, 0.1], ['a', 'b'], { reps: 2, seed: 0 });
    const valid = (() => {
      try {
        return f().valid;
      } catch (e) {
        expect(e).toBeInstanceOf(MetricsInputError);
        expect((e as MetricsInputError).problem).toBe('too-few');
        expect((e as Error).message).toMatch(/^clusterBootstrapAuc: only [01] of 2 replicates gave a finite statistic; an interval needs at least 2$/);
        return -1;
      }
    })();
    expect([-1, 2]).toContain(valid);
  });
});
