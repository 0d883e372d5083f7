import { MetricsInputError } from './errors.js';
import { seededRng } from './rng.js';
import { flattenPoints, squaredDistances, type Points } from './rows.js';

/** Options of {@link tsne}. */
export interface TsneOptions {
  /** Dimension of flat input points (required for a flat array). */
  readonly dim?: number;
  /** Output dimensions; default 2. */
  readonly dims?: number;
  /** Perplexity, the effective number of neighbours; default 30, must be < n. */
  readonly perplexity?: number;
  /** Gradient-descent iterations; default 1000. */
  readonly iterations?: number;
  /**
   * Step size; default `'auto'` = max(n / earlyExaggeration / 4, 50), as
   * scikit-learn.
   */
  readonly learningRate?: number | 'auto';
  /** Factor on P during the first `exaggerationIterations`; default 12. */
  readonly earlyExaggeration?: number;
  /** Iterations with early exaggeration (and initial momentum); default 250. */
  readonly exaggerationIterations?: number;
  /** Momentum during early exaggeration; default 0.5. */
  readonly initialMomentum?: number;
  /** Momentum after it; default 0.8. */
  readonly finalMomentum?: number;
  /** Lower bound of the per-coordinate adaptive gains; default 0.01. */
  readonly minGain?: number;
  /** Seed of the initial layout (N(0, 1e-4) per coordinate); default 0. */
  readonly seed?: number;
  /** Called every `progressEvery` iterations (default 50) and at the end, with the KL divergence. */
  readonly onProgress?: (iteration: number, kl: number) => void;
  /** How often {@link TsneOptions.onProgress} is called; default 50. */
  readonly progressEvery?: number;
}

/** Result of {@link tsne}. */
export interface TsneResult {
  /** Row-major `n x dims` coordinates, centred at the origin. */
  readonly embedding: Float64Array;
  /** Number of points. */
  readonly n: number;
  /** Output dimensions. */
  readonly dims: number;
  /** Final KL(P || Q) (without exaggeration). */
  readonly kl: number;
  /** The perplexity actually used. */
  readonly perplexity: number;
}

const ENTROPY_TOL = 1e-5;
const SEARCH_STEPS = 100;
const MIN_P = 1e-12;

/**
 * Conditional affinities `p_{j|i}` (row-major `n x n`, rows sum to 1) with
 * each row's Gaussian precision found by binary search so that its entropy
 * is `log(perplexity)` (natural log).
 * @internal
 */
export function conditionalAffinities(dist: Float64Array, n: number, perplexity: number): Float64Array {
  const target = Math.log(perplexity);
  const p = new Float64Array(n * n);
  // Neighbouring rows have similar scales: start each search at the last beta.
  let beta = 1;
  for (let i = 0; i < n; i++) {
    const row = i * n;
    let dmin = Infinity;
    for (let j = 0; j < n; j++) if (j !== i && dist[row + j] < dmin) dmin = dist[row + j];
    let lo = -Infinity;
    let hi = Infinity;
    let sum = 0;
    for (let step = 0; step < SEARCH_STEPS; step++) {
      sum = 0;
      let dsum = 0;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        const d = dist[row + j] - dmin;
        const v = Math.exp(-d * beta);
        p[row + j] = v;
        sum += v;
        dsum += d * v;
      }
      const diff = Math.log(sum) + (beta * dsum) / sum - target;
      if (Math.abs(diff) <= ENTROPY_TOL) break;
      if (diff > 0) {
        lo = beta;
        beta = hi === Infinity ? beta * 2 : (beta + hi) / 2;
      } else {
        hi = beta;
        beta = lo === -Infinity ? beta / 2 : (beta + lo) / 2;
      }
    }
    for (let j = 0; j < n; j++) p[row + j] /= sum;
  }
  return p;
}

/**
 * Exact t-SNE (van der Maaten & Hinton 2008) for up to a few thousand
 * points: Gaussian input affinities calibrated to the perplexity by binary
 * search, symmetrised as `(p_{j|i} + p_{i|j}) / 2n`; Student-t output
 * affinities; gradient descent with early exaggeration, momentum and
 * delta-bar-delta gains; seeded, so the same input and seed give the same
 * embedding. Time and memory are O(n^2) per iteration (a 2000-point run
 * holds one 32 MB matrix). The paper's Fig. 5 L2-normalises features first:
 * do that before calling if wanted.
 *
 * @param points - rows of features, or a flat array with `options.dim`.
 * @throws {@link MetricsInputError} on ragged or non-finite points, fewer
 * than 2 points, or options out of range (perplexity must be in (0, n)).
 */
export function tsne(points: Points, options: TsneOptions = {}): TsneResult {
  const pts = flattenPoints(points, options.dim, 'tsne');
  const n = pts.n;
  const dims = options.dims ?? 2;
  const perplexity = options.perplexity ?? 30;
  const iterations = options.iterations ?? 1000;
  const early = options.earlyExaggeration ?? 12;
  const exIters = options.exaggerationIterations ?? 250;
  const m0 = options.initialMomentum ?? 0.5;
  const m1 = options.finalMomentum ?? 0.8;
  const minGain = options.minGain ?? 0.01;
  const every = options.progressEvery ?? 50;
  const lrOpt = options.learningRate ?? 'auto';
  const bad = (msg: string): never => {
    throw new MetricsInputError('bad-option', `tsne: ${msg}`);
  };
  if (n < 2) throw new MetricsInputError('empty', `tsne: needs at least 2 points, got ${n}`);
  if (!Number.isInteger(dims) || dims < 1) bad(`dims must be a positive integer, got ${dims}`);
  if (!(perplexity > 0 && perplexity < n)) bad(`perplexity must be in (0, n = ${n}), got ${perplexity}`);
  if (!Number.isInteger(iterations) || iterations < 1) bad(`iterations must be a positive integer, got ${iterations}`);
  if (!(early >= 1)) bad(`earlyExaggeration must be >= 1, got ${early}`);
  if (!Number.isInteger(exIters) || exIters < 0) bad(`exaggerationIterations must be an integer >= 0, got ${exIters}`);
  if (!(m0 >= 0 && m0 < 1 && m1 >= 0 && m1 < 1)) bad(`momenta must be in [0, 1), got ${m0} and ${m1}`);
  if (!(minGain > 0)) bad(`minGain must be > 0, got ${minGain}`);
  if (!Number.isInteger(every) || every < 1) bad(`progressEvery must be a positive integer, got ${every}`);
  const lr = lrOpt === 'auto' ? Math.max(n / early / 4, 50) : lrOpt;
  if (!(typeof lr === 'number' && lr > 0 && Number.isFinite(lr))) bad(`learningRate must be positive or 'auto', got ${String(lrOpt)}`);

  // Joint affinities P, symmetric, zero diagonal (floored at MIN_P off it).
  const cond = conditionalAffinities(squaredDistances(pts), n, perplexity);
  const P = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = Math.max((cond[i * n + j] + cond[j * n + i]) / (2 * n), MIN_P);
      P[i * n + j] = v;
      P[j * n + i] = v;
    }
  }

  const rng = seededRng(options.seed ?? 0);
  const Y = new Float64Array(n * dims);
  for (let i = 0; i < Y.length; i++) Y[i] = 1e-4 * rng.normal();
  const update = new Float64Array(n * dims);
  const gains = new Float64Array(n * dims).fill(1);
  const attract = new Float64Array(n * dims);
  const repulse = new Float64Array(n * dims);
  const diff = new Float64Array(dims);

  let kl = Number.NaN;
  for (let it = 0; it < iterations; it++) {
    const ex = it < exIters ? early : 1;
    const momentum = it < exIters ? m0 : m1;
    const z = pairTerms(P, Y, n, dims, attract, repulse, diff);
    // Gradient 4 (ex * A - R / Z); a gain grows while the gradient keeps
    // pointing against the last step (steady descent) and shrinks otherwise.
    for (let t = 0; t < Y.length; t++) {
      const g = 4 * (ex * attract[t] - repulse[t] / z);
      const gain = (g > 0) !== (update[t] > 0) ? gains[t] + 0.2 : gains[t] * 0.8;
      gains[t] = gain < minGain ? minGain : gain;
      update[t] = momentum * update[t] - lr * gains[t] * g;
      Y[t] += update[t];
    }
    for (let k = 0; k < dims; k++) {
      let mean = 0;
      for (let i = 0; i < n; i++) mean += Y[i * dims + k];
      mean /= n;
      for (let i = 0; i < n; i++) Y[i * dims + k] -= mean;
    }
    const last = it === iterations - 1;
    if (last || (options.onProgress && (it + 1) % every === 0)) {
      kl = klDivergence(P, Y, n, dims);
      options.onProgress?.(it + 1, kl);
    }
  }
  return { embedding: Y, n, dims, kl, perplexity };
}

/**
 * One pass over pairs: `A_i = sum_j P_ij q_ij (y_i - y_j)` into `attract`,
 * `R_i = sum_j q_ij^2 (y_i - y_j)` into `repulse`, with the unnormalised
 * Student-t kernel `q_ij = 1 / (1 + |y_i - y_j|^2)`; returns
 * `Z = sum_{i != j} q_ij`. The KL gradient is `4 (A - R / Z)`.
 * @internal
 */
export function pairTerms(
  P: Float64Array,
  Y: Float64Array,
  n: number,
  dims: number,
  attract: Float64Array,
  repulse: Float64Array,
  diff: Float64Array,
): number {
  attract.fill(0);
  repulse.fill(0);
  if (dims === 2) return pairTerms2d(P, Y, n, attract, repulse);
  let z = 0;
  for (let i = 0; i < n; i++) {
    const yi = i * dims;
    for (let j = i + 1; j < n; j++) {
      const yj = j * dims;
      let d2 = 0;
      for (let k = 0; k < dims; k++) {
        const t = Y[yi + k] - Y[yj + k];
        diff[k] = t;
        d2 += t * t;
      }
      const q = 1 / (1 + d2);
      z += 2 * q;
      const a = P[i * n + j] * q;
      const r = q * q;
      for (let k = 0; k < dims; k++) {
        attract[yi + k] += a * diff[k];
        attract[yj + k] -= a * diff[k];
        repulse[yi + k] += r * diff[k];
        repulse[yj + k] -= r * diff[k];
      }
    }
  }
  return z;
}

/** {@link pairTerms} for two output dimensions, on scalars. */
function pairTerms2d(P: Float64Array, Y: Float64Array, n: number, attract: Float64Array, repulse: Float64Array): number {
  let z = 0;
  for (let i = 0; i < n; i++) {
    const xi = Y[2 * i];
    const yi = Y[2 * i + 1];
    const row = i * n;
    let ax = 0;
    let ay = 0;
    let rx = 0;
    let ry = 0;
    for (let j = i + 1; j < n; j++) {
      const dx = xi - Y[2 * j];
      const dy = yi - Y[2 * j + 1];
      const q = 1 / (1 + dx * dx + dy * dy);
      z += q;
      const a = P[row + j] * q;
      const r = q * q;
      ax += a * dx;
      ay += a * dy;
      rx += r * dx;
      ry += r * dy;
      attract[2 * j] -= a * dx;
      attract[2 * j + 1] -= a * dy;
      repulse[2 * j] -= r * dx;
      repulse[2 * j + 1] -= r * dy;
    }
    attract[2 * i] += ax;
    attract[2 * i + 1] += ay;
    repulse[2 * i] += rx;
    repulse[2 * i + 1] += ry;
  }
  return 2 * z;
}

/** KL(P || Q) of an embedding. @internal */
export function klDivergence(P: Float64Array, Y: Float64Array, n: number, dims: number): number {
  let z = 0;
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      let d2 = 0;
      for (let k = 0; k < dims; k++) d2 += (Y[i * dims + k] - Y[j * dims + k]) ** 2;
      z += 2 / (1 + d2);
    }
  let kl = 0;
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      let d2 = 0;
      for (let k = 0; k < dims; k++) d2 += (Y[i * dims + k] - Y[j * dims + k]) ** 2;
      const q = Math.max(1 / (1 + d2) / z, MIN_P);
      const p = P[i * n + j];
      kl += 2 * p * Math.log(p / q);
    }
  return kl;
}
