import { checkBinary, requireOption, type BinaryLabels, type Scores } from './validate.js';
import { MetricsInputError } from './errors.js';

/** Cumulative counts at each distinct threshold, highest score first. @internal */
interface RocCounts {
  /** False positives with score >= thresholds[k]. */
  readonly fps: Float64Array;
  /** True positives with score >= thresholds[k]. */
  readonly tps: Float64Array;
  /** Distinct scores, descending. */
  readonly thresholds: Float64Array;
  readonly positives: number;
  readonly negatives: number;
}

function rocCounts(labels: BinaryLabels, scores: Scores, what: string): RocCounts {
  const { y, s, positives, negatives } = checkBinary(labels, scores, what);
  const n = s.length;
  // Sort each class's scores with the native typed-array sort, then merge
  // from the top, closing one group per distinct score.
  const pos = new Float64Array(positives);
  const neg = new Float64Array(negatives);
  let a = 0;
  let b = 0;
  for (let i = 0; i < n; i++) {
    if (y[i] === 1) pos[a++] = s[i];
    else neg[b++] = s[i];
  }
  pos.sort();
  neg.sort();
  const fps = new Float64Array(n);
  const tps = new Float64Array(n);
  const thresholds = new Float64Array(n);
  let m = 0;
  let ip = positives - 1;
  let in_ = negatives - 1;
  let tp = 0;
  let fp = 0;
  while (ip >= 0 || in_ >= 0) {
    const v = ip < 0 ? neg[in_] : in_ < 0 ? pos[ip] : Math.max(pos[ip], neg[in_]);
    while (ip >= 0 && pos[ip] === v) {
      tp++;
      ip--;
    }
    while (in_ >= 0 && neg[in_] === v) {
      fp++;
      in_--;
    }
    fps[m] = fp;
    tps[m] = tp;
    thresholds[m] = v === 0 ? 0 : v;
    m++;
  }
  return {
    fps: fps.subarray(0, m),
    tps: tps.subarray(0, m),
    thresholds: thresholds.subarray(0, m),
    positives,
    negatives,
  };
}

/** A receiver operating characteristic curve. */
export interface RocCurve {
  /** False-positive rate at each threshold, non-decreasing from 0 to 1. */
  readonly fpr: Float64Array;
  /** True-positive rate at each threshold, non-decreasing from 0 to 1. */
  readonly tpr: Float64Array;
  /**
   * Decision thresholds, decreasing: a sample is called positive when
   * `score >= threshold`. The first is `Infinity` (nothing called positive),
   * as in scikit-learn >= 1.3.
   */
  readonly thresholds: Float64Array;
}

/** Options of {@link rocCurve}. */
export interface RocCurveOptions {
  /**
   * Drop points that lie on a straight horizontal or vertical run of the
   * curve (scikit-learn's `drop_intermediate=True`). Default `false`: one
   * point per distinct score, as scikit-learn with `drop_intermediate=False`.
   */
  readonly dropIntermediate?: boolean;
}

/**
 * ROC curve of binary `labels` (1 = positive) against `scores`, with
 * scikit-learn's `roc_curve` semantics: one point per distinct score plus a
 * leading (0, 0) point at threshold `Infinity`.
 *
 * @throws {@link MetricsInputError} on empty or mismatched input, labels other
 * than 0/1, non-finite scores, or a single class.
 */
export function rocCurve(labels: BinaryLabels, scores: Scores, options: RocCurveOptions = {}): RocCurve {
  const c = rocCounts(labels, scores, 'rocCurve');
  const m = c.fps.length;
  let keep: Uint32Array;
  if (options.dropIntermediate && m > 2) {
    const idx: number[] = [0];
    for (let k = 1; k < m - 1; k++) {
      const d2f = c.fps[k + 1] - 2 * c.fps[k] + c.fps[k - 1];
      const d2t = c.tps[k + 1] - 2 * c.tps[k] + c.tps[k - 1];
      if (d2f !== 0 || d2t !== 0) idx.push(k);
    }
    idx.push(m - 1);
    keep = Uint32Array.from(idx);
  } else {
    keep = new Uint32Array(m);
    for (let k = 0; k < m; k++) keep[k] = k;
  }
  // scikit-learn applies drop_intermediate to the counts before prepending
  // the (0, 0) point, so the first distinct score is always kept.
  const len = keep.length + 1;
  const fpr = new Float64Array(len);
  const tpr = new Float64Array(len);
  const thresholds = new Float64Array(len);
  thresholds[0] = Infinity;
  for (let j = 0; j < keep.length; j++) {
    const k = keep[j];
    fpr[j + 1] = c.fps[k] / c.negatives;
    tpr[j + 1] = c.tps[k] / c.positives;
    thresholds[j + 1] = c.thresholds[k];
  }
  return { fpr, tpr, thresholds };
}

/**
 * Area under the ROC curve (scikit-learn `roc_auc_score`): the probability
 * that a random positive scores above a random negative, ties counting half.
 * Computed by the trapezoid rule on integer counts.
 *
 * @throws {@link MetricsInputError} as {@link rocCurve}.
 */
export function rocAuc(labels: BinaryLabels, scores: Scores): number {
  const c = rocCounts(labels, scores, 'rocAuc');
  let area = 0;
  let pf = 0;
  let pt = 0;
  for (let k = 0; k < c.fps.length; k++) {
    const f = c.fps[k];
    const t = c.tps[k];
    area += (f - pf) * (t + pt);
    pf = f;
    pt = t;
  }
  return area / 2 / (c.positives * c.negatives);
}

/**
 * Average precision as scikit-learn's `average_precision_score`:
 * `sum_k (R_k - R_{k-1}) P_k` over distinct thresholds, highest first
 * (no interpolation).
 *
 * @throws {@link MetricsInputError} as {@link rocCurve}.
 */
export function averagePrecision(labels: BinaryLabels, scores: Scores): number {
  const c = rocCounts(labels, scores, 'averagePrecision');
  let ap = 0;
  let pt = 0;
  for (let k = 0; k < c.fps.length; k++) {
    const t = c.tps[k];
    if (t !== pt) ap += ((t - pt) * t) / (t + c.fps[k]);
    pt = t;
  }
  return ap / c.positives;
}

/** Options of {@link eer} and {@link eerPoint}. */
export interface EerOptions {
  /**
   * `'closest'` (default): `(FPR + FNR) / 2` at the ROC point (one per
   * distinct score, plus the leading (0, 0)) where `|FPR - FNR|` is smallest,
   * the first such point on ties; this is the golden fixture's `eer_approx`.
   * `'interpolated'`: the rate where the ROC polyline crosses `FPR = FNR`.
   */
  readonly method?: 'closest' | 'interpolated';
}

/** The operating point of an equal error rate. */
export interface EerPoint {
  /** The equal error rate. */
  readonly eer: number;
  /** The threshold of the chosen ROC point (`'closest'`) or of the segment's upper end (`'interpolated'`). */
  readonly threshold: number;
  /** False-positive rate there. */
  readonly fpr: number;
  /** False-negative rate (`1 - TPR`) there. */
  readonly fnr: number;
}

/**
 * Equal error rate with its operating point; see {@link EerOptions}.
 *
 * @throws {@link MetricsInputError} as {@link rocCurve}.
 */
export function eerPoint(labels: BinaryLabels, scores: Scores, options: EerOptions = {}): EerPoint {
  const method = options.method ?? 'closest';
  requireOption(method === 'closest' || method === 'interpolated', `eer: unknown method '${String(method)}'`);
  const { fpr, tpr, thresholds } = rocCurve(labels, scores);
  if (method === 'closest') {
    let best = 0;
    let bestGap = Infinity;
    for (let k = 0; k < fpr.length; k++) {
      const gap = Math.abs(fpr[k] - (1 - tpr[k]));
      if (gap < bestGap) {
        bestGap = gap;
        best = k;
      }
    }
    const fnr = 1 - tpr[best];
    return { eer: (fpr[best] + fnr) / 2, threshold: thresholds[best], fpr: fpr[best], fnr };
  }
  // g = FPR - FNR rises from -1 at (0, 0) to +1 at (1, 1).
  for (let k = 1; k < fpr.length; k++) {
    const g1 = fpr[k] + tpr[k] - 1;
    if (g1 >= 0) {
      const g0 = fpr[k - 1] + tpr[k - 1] - 1;
      const a = g1 === g0 ? 1 : -g0 / (g1 - g0);
      const f = fpr[k - 1] + a * (fpr[k] - fpr[k - 1]);
      const fnr = 1 - (tpr[k - 1] + a * (tpr[k] - tpr[k - 1]));
      return { eer: (f + fnr) / 2, threshold: thresholds[k], fpr: f, fnr };
    }
  }
  /* c8 ignore next */
  throw new MetricsInputError('bad-option', 'eer: the ROC curve never reaches (1, 1)');
}

/**
 * Equal error rate (default: the golden fixture's `eer_approx`); see
 * {@link EerOptions}.
 *
 * @throws {@link MetricsInputError} as {@link rocCurve}.
 */
export function eer(labels: BinaryLabels, scores: Scores, options: EerOptions = {}): number {
  return eerPoint(labels, scores, options).eer;
}

/**
 * Fraction of samples classified correctly when `score >= threshold` is
 * called positive. A single class is allowed here.
 *
 * @throws {@link MetricsInputError} on empty or mismatched input, bad labels,
 * non-finite scores, or a NaN threshold.
 */
export function accuracyAt(labels: BinaryLabels, scores: Scores, threshold: number): number {
  if (typeof threshold !== 'number' || Number.isNaN(threshold)) {
    throw new MetricsInputError('non-finite', `accuracyAt: threshold is ${String(threshold)}`);
  }
  const { y, s } = checkBinary(labels, scores, 'accuracyAt', true);
  let right = 0;
  for (let i = 0; i < s.length; i++) if ((s[i] >= threshold ? 1 : 0) === y[i]) right++;
  return right / s.length;
}
