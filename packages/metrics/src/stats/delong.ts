import { MetricsInputError } from '../errors.js';
import { checkBinary, type BinaryLabels, type CheckedBinary, type Scores } from '../validate.js';
import { midranks } from './midrank.js';
import { criticalValue, twoSidedP } from './normal.js';

/**
 * DeLong's structural components of one score vector: for each positive,
 * the fraction of negatives it outscores (`v10`, ties 1/2); for each
 * negative, the fraction of positives that outscore it (`v01`). Their means
 * are both the AUC. Computed from midranks (Sun & Xu 2014): with `X` the
 * positives' scores, `Y` the negatives' and `Z = X ++ Y`,
 * `v10 = (T_Z[X] - T_X) / n` and `v01 = 1 - (T_Z[Y] - T_Y) / m`.
 */
interface Components {
  readonly v10: Float64Array;
  readonly v01: Float64Array;
  readonly auc: number;
}

function components(c: CheckedBinary, s: Float64Array): Components {
  const m = c.positives;
  const n = c.negatives;
  const x = new Float64Array(m);
  const y = new Float64Array(n);
  const z = new Float64Array(m + n);
  let a = 0;
  let b = 0;
  for (let i = 0; i < c.y.length; i++) {
    if (c.y[i] === 1) x[a++] = s[i];
    else y[b++] = s[i];
  }
  z.set(x, 0);
  z.set(y, m);
  const tx = midranks(x);
  const ty = midranks(y);
  const tz = midranks(z);
  const v10 = new Float64Array(m);
  const v01 = new Float64Array(n);
  // tz - tx counts the negatives below a positive, ties 1/2: a half-integer,
  // so the sum is exact and the AUC is one rounding from the true value.
  let above = 0;
  for (let i = 0; i < m; i++) {
    const k = tz[i] - tx[i];
    above += k;
    v10[i] = k / n;
  }
  for (let j = 0; j < n; j++) v01[j] = 1 - (tz[m + j] - ty[j]) / m;
  return { v10, v01, auc: above / (m * n) };
}

/** Sample variance (n - 1) of `v` about its own mean. */
function sampleVariance(v: Float64Array): number {
  let mean = 0;
  for (let i = 0; i < v.length; i++) mean += v[i];
  mean /= v.length;
  let ss = 0;
  for (let i = 0; i < v.length; i++) ss += (v[i] - mean) ** 2;
  return ss / (v.length - 1);
}

function checkForDelong(labels: BinaryLabels, scores: Scores, what: string): CheckedBinary {
  const c = checkBinary(labels, scores, what);
  if (c.positives < 2 || c.negatives < 2) {
    throw new MetricsInputError(
      'too-few',
      `${what}: ${c.positives} positive(s) and ${c.negatives} negative(s); the DeLong variance needs at least 2 of each`,
    );
  }
  return c;
}

/** Result of {@link delongAuc}. */
export interface DelongAuc {
  /** ROC AUC (ties count 1/2), the same number as `rocAuc`. */
  readonly auc: number;
  /** DeLong variance of the AUC: `S10 / m + S01 / n`. */
  readonly variance: number;
  /** Standard error: `sqrt(variance)`. */
  readonly se: number;
  /** Number of positives `m` (label 1). */
  readonly positives: number;
  /** Number of negatives `n` (label 0). */
  readonly negatives: number;
}

/**
 * AUC and its DeLong, DeLong & Clarke-Pearson (1988) variance
 * `S10 / m + S01 / n`, where `S10` and `S01` are the sample variances (n - 1)
 * of the positives' and the negatives' placement values. The placements come
 * from midranks (Sun & Xu 2014), so the cost is O(n log n) rather than the
 * O(m n) of the pairwise definition; ties count 1/2.
 *
 * @param labels - 1 = positive (fake), 0 = negative (real).
 * @param scores - larger means more positive.
 * @throws {@link MetricsInputError} on empty or mismatched input, labels other
 * than 0/1, non-finite scores, a single class, or fewer than 2 items of
 * either class (`too-few`: the variance is undefined).
 */
export function delongAuc(labels: BinaryLabels, scores: Scores): DelongAuc {
  const c = checkForDelong(labels, scores, 'delongAuc');
  const { v10, v01, auc } = components(c, c.s);
  const variance = sampleVariance(v10) / c.positives + sampleVariance(v01) / c.negatives;
  return { auc, variance, se: Math.sqrt(variance), positives: c.positives, negatives: c.negatives };
}

/** Options of {@link delongPaired} and {@link aucVsChance}. */
export interface DelongOptions {
  /** Confidence level of the interval, strictly between 0 and 1. Default 0.95. */
  readonly level?: number;
}

/** Result of {@link delongPaired}. */
export interface DelongPaired {
  /** AUC of `scoresA`. */
  readonly aucA: number;
  /** AUC of `scoresB`. */
  readonly aucB: number;
  /** `aucA - aucB`. */
  readonly diff: number;
  /** Standard error of `diff`, covariance of the two AUCs included. */
  readonly se: number;
  /** `diff / se`: 0 when both are 0, +-Infinity when only `se` is. */
  readonly z: number;
  /** Two-sided p-value of `diff = 0`. */
  readonly p: number;
  /** Wald interval `diff -+ z_{(1+level)/2} se`. */
  readonly ci: readonly [number, number];
  /** The interval's confidence level. */
  readonly level: number;
}

/**
 * DeLong's test of two correlated AUCs: two models scored on the same items
 * with the same labels. The variance of `aucA - aucB` is
 * `(S10_AA + S10_BB - 2 S10_AB) / m + (S01_AA + S01_BB - 2 S01_AB) / n`,
 * computed as the sample variances of the per-item placement differences
 * (the same quantity, without the cancellation of the three-term sum).
 *
 * When the placement differences are constant the standard error is 0: a
 * zero difference then gives `z = 0`, `p = 1` and the interval `[0, 0]`
 * (e.g. a model compared with itself), a non-zero one gives `z = +-Infinity`,
 * `p = 0` and the interval `[diff, diff]`. Nothing is NaN.
 *
 * @throws {@link MetricsInputError} as {@link delongAuc} for either score
 * vector, or (`bad-option`) on a level outside (0, 1).
 */
export function delongPaired(
  labels: BinaryLabels,
  scoresA: Scores,
  scoresB: Scores,
  options: DelongOptions = {},
): DelongPaired {
  const level = options.level ?? 0.95;
  const q = criticalValue(level, 'delongPaired');
  const ca = checkForDelong(labels, scoresA, 'delongPaired (scoresA)');
  const cb = checkBinary(labels, scoresB, 'delongPaired (scoresB)');
  const a = components(ca, ca.s);
  const b = components(ca, cb.s);
  const m = ca.positives;
  const n = ca.negatives;
  const d10 = new Float64Array(m);
  const d01 = new Float64Array(n);
  for (let i = 0; i < m; i++) d10[i] = a.v10[i] - b.v10[i];
  for (let j = 0; j < n; j++) d01[j] = a.v01[j] - b.v01[j];
  const variance = sampleVariance(d10) / m + sampleVariance(d01) / n;
  const se = Math.sqrt(variance);
  const diff = a.auc - b.auc;
  const z = diff === 0 ? 0 : diff / se;
  return { aucA: a.auc, aucB: b.auc, diff, se, z, p: twoSidedP(z), ci: [diff - q * se, diff + q * se], level };
}

/** Result of {@link aucVsChance}. */
export interface AucVsChance {
  /** ROC AUC. */
  readonly auc: number;
  /** DeLong standard error of the observed AUC. */
  readonly se: number;
  /** Wald interval `auc -+ z_{(1+level)/2} se`, not clipped to [0, 1]. */
  readonly ci: readonly [number, number];
  /** `(auc - 0.5) / se`: 0 when both are 0, +-Infinity when only `se` is. */
  readonly z: number;
  /** Two-sided p-value of `AUC = 0.5`. */
  readonly p: number;
  /** The interval's confidence level. */
  readonly level: number;
}

/**
 * One-sample test of an AUC against chance (0.5): a Wald test with the
 * DeLong standard error of the observed scores, and the matching Wald
 * interval. The standard error is always that of the observed AUC, not the
 * one the null hypothesis would imply; at an observed AUC of exactly 0.5 the
 * test still uses the DeLong SE of the observed scores (`z = 0`, `p = 1`).
 * A perfectly separating score has SE 0, hence `z = Infinity` and `p = 0`,
 * however few the items: read such results with the counts in mind.
 *
 * @throws {@link MetricsInputError} as {@link delongAuc}, or (`bad-option`)
 * on a level outside (0, 1).
 */
export function aucVsChance(labels: BinaryLabels, scores: Scores, options: DelongOptions = {}): AucVsChance {
  const level = options.level ?? 0.95;
  const q = criticalValue(level, 'aucVsChance');
  const c = checkForDelong(labels, scores, 'aucVsChance');
  const { v10, v01, auc } = components(c, c.s);
  const se = Math.sqrt(sampleVariance(v10) / c.positives + sampleVariance(v01) / c.negatives);
  const d = auc - 0.5;
  const z = d === 0 ? 0 : d / se;
  return { auc, se, ci: [auc - q * se, auc + q * se], z, p: twoSidedP(z), level };
}
