import { describe, expect, it } from 'vitest';
import { accuracyAt, averagePrecision, eer, eerPoint, rocAuc, rocCurve } from './roc.js';
import { MetricsInputError } from './errors.js';
import { seededRng } from './rng.js';
import { loadGolden, type AucGolden } from './__fixtures__/golden.js';

const golden = loadGolden<AucGolden>('auc.json');

/** AUC by its definition: P(score+ > score-) + P(tie) / 2, over all pairs. */
function pairwiseAuc(y: number[], s: number[]): number {
  let num = 0;
  let pairs = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] !== 1) continue;
    for (let j = 0; j < y.length; j++) {
      if (y[j] !== 0) continue;
      pairs++;
      if (s[i] > s[j]) num += 1;
      else if (s[i] === s[j]) num += 0.5;
    }
  }
  return num / pairs;
}

/** Random labels and scores rounded to `decimals`, so there are many ties. */
function randomCase(seed: number, n: number, decimals = 1): { y: number[]; s: number[] } {
  const r = seededRng(seed);
  const y: number[] = [];
  const s: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = r.next() < 0.4 ? 1 : 0;
    y.push(label);
    const f = 10 ** decimals;
    s.push(Math.round((r.next() + 0.3 * label) * f) / f);
  }
  y[0] = 0;
  y[1] = 1;
  return { y, s };
}

describe.skipIf(!golden)('golden auc.json (reference / scikit-learn)', () => {
  const g = golden as AucGolden;
  it('states what it holds', () => {
    expect(g._about).toMatch(/roc_auc_score/);
    expect(g.labels.length).toBe(g.scores.length);
  });
  it.each([
    ['frame_auc', () => rocAuc(g.labels, g.scores), () => g.frame_auc],
    ['average_precision', () => averagePrecision(g.labels, g.scores), () => g.average_precision],
    ['eer_approx', () => eer(g.labels, g.scores), () => g.eer_approx],
  ] as const)('%s matches to 1e-9', (_name, ours, theirs) => {
    expect(Math.abs(ours() - theirs())).toBeLessThan(1e-9);
  });
  it('AUC from the ROC curve (drop_intermediate both ways) equals rocAuc', () => {
    for (const dropIntermediate of [false, true]) {
      const { fpr, tpr } = rocCurve(g.labels, g.scores, { dropIntermediate });
      let a = 0;
      for (let k = 1; k < fpr.length; k++) a += ((fpr[k] - fpr[k - 1]) * (tpr[k] + tpr[k - 1])) / 2;
      expect(Math.abs(a - g.frame_auc)).toBeLessThan(1e-9);
    }
  });
});

describe('rocAuc', () => {
  it.each([1, 2, 3, 4, 5])('equals the pairwise definition with ties (seed %i)', (seed) => {
    const { y, s } = randomCase(seed, 150);
    expect(rocAuc(y, s)).toBeCloseTo(pairwiseAuc(y, s), 12);
  });
  it('is 1 for a perfect ranking, 0 for a reversed one, 0.5 for constant scores', () => {
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9])).toBe(1);
    expect(rocAuc([0, 0, 1, 1], [0.9, 0.8, 0.2, 0.1])).toBe(0);
    expect(rocAuc([0, 1, 0, 1], [3, 3, 3, 3])).toBe(0.5);
    expect(rocAuc([0, 1], [-0, 0])).toBe(0.5); // -0 ties with 0
  });
  it('accepts booleans and typed arrays', () => {
    expect(rocAuc([false, true, true], new Float32Array([0.2, 0.1, 0.3]))).toBe(0.5);
  });
  it('is invariant to monotone transforms of the scores', () => {
    const { y, s } = randomCase(9, 200, 2);
    expect(rocAuc(y, s.map((v) => Math.exp(3 * v) - 7))).toBe(rocAuc(y, s));
  });
});

describe('rocCurve', () => {
  it('follows scikit-learn on a small case', () => {
    // sklearn.metrics.roc_curve([0,0,1,1], [0.1,0.4,0.35,0.8], drop_intermediate=False)
    const c = rocCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
    expect(Array.from(c.fpr)).toEqual([0, 0, 0.5, 0.5, 1]);
    expect(Array.from(c.tpr)).toEqual([0, 0.5, 0.5, 1, 1]);
    expect(Array.from(c.thresholds)).toEqual([Infinity, 0.8, 0.4, 0.35, 0.1]);
  });
  it('drops collinear points only when asked', () => {
    const y = [1, 1, 1, 0, 0, 0];
    const s = [6, 5, 4, 3, 2, 1];
    expect(rocCurve(y, s).fpr.length).toBe(7);
    const d = rocCurve(y, s, { dropIntermediate: true });
    expect(Array.from(d.fpr)).toEqual([0, 0, 0, 1]);
    expect(Array.from(d.tpr)).toEqual([0, 1 / 3, 1, 1]);
  });
  it('is monotone and ends at (1, 1)', () => {
    const { y, s } = randomCase(7, 300, 2);
    const { fpr, tpr, thresholds } = rocCurve(y, s);
    for (let k = 1; k < fpr.length; k++) {
      expect(fpr[k]).toBeGreaterThanOrEqual(fpr[k - 1]);
      expect(tpr[k]).toBeGreaterThanOrEqual(tpr[k - 1]);
      expect(thresholds[k]).toBeLessThan(thresholds[k - 1]);
    }
    expect(fpr[fpr.length - 1]).toBe(1);
    expect(tpr[tpr.length - 1]).toBe(1);
  });
});

describe('averagePrecision', () => {
  it('matches scikit-learn on small cases', () => {
    // average_precision_score([0,0,1,1], [0.1,0.4,0.35,0.8]) == 0.8333333333333333
    expect(averagePrecision([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBeCloseTo(0.8333333333333333, 15);
    expect(averagePrecision([0, 1, 0, 1], [1, 1, 1, 1])).toBe(0.5);
    expect(averagePrecision([1, 0, 1], [0.9, 0.1, 0.8])).toBe(1);
  });
});

describe('eer', () => {
  it('is 0 for a perfect ranking and 0.5 for constant scores', () => {
    expect(eer([0, 0, 1, 1], [0, 0.1, 0.8, 0.9])).toBe(0);
    expect(eer([0, 0, 1, 1], [1, 1, 1, 1])).toBe(0.5);
  });
  it('interpolated EER lies on the ROC polyline where FPR = FNR', () => {
    const { y, s } = randomCase(3, 400, 2);
    const p = eerPoint(y, s, { method: 'interpolated' });
    expect(p.fpr).toBeCloseTo(p.fnr, 12);
    expect(Math.abs(p.eer - eer(y, s))).toBeLessThan(0.05);
  });
  it('rejects an unknown method', () => {
    expect(() => eer([0, 1], [0, 1], { method: 'nope' as 'closest' })).toThrow(/unknown method/);
  });
});

describe('accuracyAt', () => {
  it('calls score >= threshold positive', () => {
    expect(accuracyAt([0, 1, 1, 0], [0.2, 0.5, 0.7, 0.5], 0.5)).toBe(0.75);
    expect(accuracyAt([1, 1], [0.1, 0.9], 0.5)).toBe(0.5);
  });
  it('rejects a NaN threshold', () => {
    expect(() => accuracyAt([0, 1], [0, 1], Number.NaN)).toThrow(MetricsInputError);
  });
});

describe('bad input gives typed errors', () => {
  const cases: Array<[string, () => unknown, string]> = [
    ['length mismatch', () => rocAuc([0, 1, 1], [0.1, 0.2]), 'length-mismatch'],
    ['empty', () => rocAuc([], []), 'empty'],
    ['single class', () => rocAuc([1, 1, 1], [0.1, 0.2, 0.3]), 'single-class'],
    ['NaN score', () => averagePrecision([0, 1], [0.1, Number.NaN]), 'non-finite'],
    ['infinite score', () => rocCurve([0, 1], [0.1, Infinity]), 'non-finite'],
    ['label 2', () => eer([0, 2], [0.1, 0.2]), 'bad-label'],
    ['label NaN', () => rocAuc([0, Number.NaN], [0.1, 0.2]), 'bad-label'],
  ];
  it.each(cases)('%s', (_n, fn, problem) => {
    let caught: unknown;
    try {
      fn();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(MetricsInputError);
    expect((caught as MetricsInputError).problem).toBe(problem);
  });
  it('names the offending index', () => {
    expect(() => rocAuc([0, 1, 0], [0.1, 0.2, Number.NaN])).toThrow(/scores\[2\] is NaN/);
  });
});
