/**
 * A small logistic-regression probe in plain TypeScript (standardised features,
 * class-balanced weights, L2, full-batch gradient descent), used to check that trivial
 * statistics of the benchmark (mean colour, file size) do not reveal the label.
 */

/** A fitted probe. */
export interface LogisticModel {
  /** Feature means used for standardisation. */
  mean: Float64Array;
  /** Feature standard deviations. */
  std: Float64Array;
  /** Weights (standardised features). */
  w: Float64Array;
  /** Bias. */
  b: number;
}

/**
 * Fits `P(y = 1 | x) = σ(w · z + b)` on standardised features `z`.
 * @param X - rows of features
 * @param y - labels 0/1
 */
export function fitLogistic(X: readonly number[][], y: readonly number[], options: { l2?: number; steps?: number; lr?: number } = {}): LogisticModel {
  const n = X.length;
  const d = X[0]?.length ?? 0;
  const mean = new Float64Array(d);
  const std = new Float64Array(d);
  for (const r of X) for (let j = 0; j < d; j++) mean[j] += r[j] / n;
  for (const r of X) for (let j = 0; j < d; j++) std[j] += (r[j] - mean[j]) ** 2 / n;
  for (let j = 0; j < d; j++) std[j] = Math.sqrt(std[j]) || 1;
  const pos = y.reduce((s, v) => s + v, 0);
  const wPos = n / (2 * Math.max(1, pos));
  const wNeg = n / (2 * Math.max(1, n - pos));
  const w = new Float64Array(d);
  let b = 0;
  const l2 = options.l2 ?? 1e-2;
  const lr = options.lr ?? 0.5;
  const g = new Float64Array(d);
  for (let s = 0; s < (options.steps ?? 500); s++) {
    g.fill(0);
    let gb = 0;
    for (let i = 0; i < n; i++) {
      let z = b;
      for (let j = 0; j < d; j++) z += w[j] * ((X[i][j] - mean[j]) / std[j]);
      const p = 1 / (1 + Math.exp(-z));
      const e = (p - y[i]) * (y[i] ? wPos : wNeg);
      for (let j = 0; j < d; j++) g[j] += (e * (X[i][j] - mean[j])) / std[j];
      gb += e;
    }
    for (let j = 0; j < d; j++) w[j] -= lr * (g[j] / n + l2 * w[j]);
    b -= (lr * gb) / n;
  }
  return { mean, std, w, b };
}

/** P(y = 1) for one feature row. */
export function predictLogistic(m: LogisticModel, x: readonly number[]): number {
  let z = m.b;
  for (let j = 0; j < m.w.length; j++) z += m.w[j] * ((x[j] - m.mean[j]) / m.std[j]);
  return 1 / (1 + Math.exp(-z));
}

/** Balanced accuracy (mean of per-class recalls) of predictions thresholded at 0.5. */
export function balancedAccuracy(p: readonly number[], y: readonly number[]): number {
  let tp = 0, tn = 0, np = 0, nn = 0;
  p.forEach((v, i) => {
    if (y[i]) {
      np++;
      if (v >= 0.5) tp++;
    } else {
      nn++;
      if (v < 0.5) tn++;
    }
  });
  return 0.5 * (np ? tp / np : 0) + 0.5 * (nn ? tn / nn : 0);
}

/**
 * Grouped k-fold cross-validated balanced accuracy: rows of the same group (e.g. an identity
 * pair) are always in the same fold.
 */
export function crossValidatedAccuracy(X: readonly number[][], y: readonly number[], groups: readonly number[], k = 5): number {
  const ug = [...new Set(groups)].sort((a, b) => a - b);
  const preds = new Array<number>(X.length).fill(0.5);
  for (let f = 0; f < k; f++) {
    const test = new Set(ug.filter((_, i) => i % k === f));
    const tr = X.map((_, i) => i).filter((i) => !test.has(groups[i]));
    const te = X.map((_, i) => i).filter((i) => test.has(groups[i]));
    if (te.length === 0 || tr.length === 0) continue;
    const m = fitLogistic(tr.map((i) => X[i]), tr.map((i) => y[i]));
    for (const i of te) preds[i] = predictLogistic(m, X[i]);
  }
  return balancedAccuracy(preds, y);
}
