import { MetricsInputError } from '../errors.js';
import { seededRng } from '../rng.js';
import { ascendingOrder } from './midrank.js';
import { checkBinary, requireOption, type BinaryLabels, type CheckedBinary, type Scores } from '../validate.js';

/** Options of the cluster bootstrap functions. */
export interface ClusterBootstrapOptions {
  /** Number of bootstrap replicates, an integer >= 2. Default 2000. */
  readonly reps?: number;
  /** Seed of the resampling ({@link seededRng}). Default 0. */
  readonly seed?: number;
  /** Coverage of the percentile interval, strictly between 0 and 1. Default 0.95. */
  readonly level?: number;
}

/** Result of a cluster bootstrap. */
export interface ClusterBootstrapResult {
  /** The statistic on the data as given (every item once). */
  readonly estimate: number;
  /** Lower percentile bound: the `(1 - level) / 2` quantile of the valid replicates. */
  readonly lo: number;
  /** Upper percentile bound: the `(1 + level) / 2` quantile of the valid replicates. */
  readonly hi: number;
  /** Standard deviation (n - 1) of the valid replicates: the bootstrap standard error. */
  readonly se: number;
  /** Replicates drawn. */
  readonly reps: number;
  /** Replicates with a finite statistic (for AUCs: those holding both classes); the interval uses only these. */
  readonly valid: number;
  /** Number of distinct clusters resampled. */
  readonly clusters: number;
  /** The interval's coverage. */
  readonly level: number;
}

/**
 * A statistic of a resample, given as item multiplicities: `weights[i]` is
 * how many times item `i` is in the replicate (0 when its cluster was not
 * drawn). Return a non-finite number for a replicate on which the statistic
 * is undefined. The array is reused between calls: read it, do not keep it.
 */
export type WeightedStatistic = (weights: Uint32Array) => number;

function checkClusters(clusters: ArrayLike<string>, n: number, what: string): { of: Uint32Array; count: number } {
  if (clusters == null || clusters.length !== n) {
    throw new MetricsInputError(
      'length-mismatch',
      `${what}: clusters has ${clusters == null ? 'no' : clusters.length} entries but there are ${n} items`,
    );
  }
  const ids = new Map<string, number>();
  const of = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const key = clusters[i];
    if (typeof key !== 'string' || key.length === 0) {
      throw new MetricsInputError('bad-option', `${what}: clusters[${i}] is ${JSON.stringify(key) ?? String(key)}; cluster keys must be non-empty strings`);
    }
    let id = ids.get(key);
    if (id === undefined) {
      id = ids.size;
      ids.set(key, id);
    }
    of[i] = id;
  }
  return { of, count: ids.size };
}

/** Quantile of sorted `v` with linear interpolation between order statistics (numpy's default). */
function quantileSorted(v: Float64Array, q: number): number {
  const h = (v.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, v.length - 1);
  return v[lo] + (h - lo) * (v[hi] - v[lo]);
}

/**
 * Cluster bootstrap percentile interval of any statistic. Items belong to
 * clusters (e.g. the identity shown in a video); each replicate draws as many
 * clusters as there are, uniformly with replacement, and takes all items of
 * every drawn cluster (a cluster drawn twice counts twice). The statistic is
 * recomputed on that union through item multiplicities, so dependent items
 * of one cluster move together and the interval reflects between-cluster
 * variation. Replicates whose statistic is not finite are skipped and
 * counted (`reps - valid`). Seeded: the same seed gives the same interval.
 *
 * @param clusters - one non-empty key per item.
 * @param statistic - see {@link WeightedStatistic}; it must be finite on the
 * data as given (all weights 1).
 * @throws {@link MetricsInputError}: `bad-option` on bad options, cluster keys
 * that are not non-empty strings, or a statistic that is not finite on the
 * data as given; `empty` without items; `too-few` when fewer than 2 replicates
 * are valid.
 */
export function clusterBootstrap(
  clusters: ArrayLike<string>,
  statistic: WeightedStatistic,
  options: ClusterBootstrapOptions = {},
): ClusterBootstrapResult {
  return bootstrap(clusters, clusters?.length ?? 0, statistic, options, 'clusterBootstrap');
}

function bootstrap(
  clusters: ArrayLike<string>,
  n: number,
  statistic: WeightedStatistic,
  options: ClusterBootstrapOptions,
  what: string,
): ClusterBootstrapResult {
  const reps = options.reps ?? 2000;
  const seed = options.seed ?? 0;
  const level = options.level ?? 0.95;
  requireOption(Number.isInteger(reps) && reps >= 2, `${what}: reps is ${String(reps)}; it must be an integer >= 2`);
  requireOption(typeof seed === 'number' && Number.isFinite(seed), `${what}: seed is ${String(seed)}; it must be a finite number`);
  requireOption(typeof level === 'number' && level > 0 && level < 1, `${what}: level is ${String(level)}; it must lie strictly between 0 and 1`);
  if (n === 0) throw new MetricsInputError('empty', `${what}: there are no items`);
  const { of, count } = checkClusters(clusters, n, what);
  const weights = new Uint32Array(n).fill(1);
  const estimate = statistic(weights);
  if (!Number.isFinite(estimate)) {
    throw new MetricsInputError('bad-option', `${what}: the statistic is ${String(estimate)} on the data as given`);
  }
  const rng = seededRng(seed);
  const drawn = new Uint32Array(count);
  const values = new Float64Array(reps);
  let valid = 0;
  for (let r = 0; r < reps; r++) {
    drawn.fill(0);
    for (let k = 0; k < count; k++) drawn[rng.int(count)]++;
    for (let i = 0; i < n; i++) weights[i] = drawn[of[i]];
    const v = statistic(weights);
    if (Number.isFinite(v)) values[valid++] = v;
  }
  if (valid < 2) {
    throw new MetricsInputError('too-few', `${what}: only ${valid} of ${reps} replicates gave a finite statistic; an interval needs at least 2`);
  }
  const kept = values.subarray(0, valid).sort();
  let mean = 0;
  for (let i = 0; i < valid; i++) mean += kept[i];
  mean /= valid;
  let ss = 0;
  for (let i = 0; i < valid; i++) ss += (kept[i] - mean) ** 2;
  return {
    estimate,
    lo: quantileSorted(kept, (1 - level) / 2),
    hi: quantileSorted(kept, (1 + level) / 2),
    se: Math.sqrt(ss / (valid - 1)),
    reps,
    valid,
    clusters: count,
    level,
  };
}

/**
 * The AUC of a weighted resample in O(n): the items are sorted by score once,
 * then each call walks the tie groups in ascending order, counting weighted
 * positives over the weighted negatives below them (ties 1/2). NaN when the
 * resample lacks a class.
 */
function weightedAuc(c: CheckedBinary, s: Float64Array): WeightedStatistic {
  const n = s.length;
  const order = ascendingOrder(s);
  // ends[g] is one past the last sorted position of tie group g.
  const ends = new Uint32Array(n);
  let groups = 0;
  for (let k = 1; k <= n; k++) if (k === n || s[order[k]] !== s[order[k - 1]]) ends[groups++] = k;
  const y = c.y;
  return (w) => {
    let below = 0;
    let pos = 0;
    let num = 0;
    let k = 0;
    for (let g = 0; g < groups; g++) {
      let p = 0;
      let q = 0;
      for (const end = ends[g]; k < end; k++) {
        const i = order[k];
        if (y[i] === 1) p += w[i];
        else q += w[i];
      }
      num += p * (below + q / 2);
      below += q;
      pos += p;
    }
    return pos === 0 || below === 0 ? Number.NaN : num / (pos * below);
  };
}

/**
 * Identity-cluster bootstrap percentile interval of the ROC AUC (see
 * {@link clusterBootstrap}): items of one cluster, e.g. the real and fake
 * videos of one identity, are drawn together. Replicates that lack one class
 * are skipped and counted (`reps - valid`), so the interval is conditional on
 * both classes being present. `estimate` is the AUC of the data as given.
 * Memory is O(n + reps) per call; each replicate costs O(n + clusters).
 *
 * @param labels - 1 = positive (fake), 0 = negative (real).
 * @param scores - larger means more positive.
 * @param clusters - one non-empty key per item.
 * @throws {@link MetricsInputError} as `rocAuc` for labels and scores,
 * `length-mismatch` when `clusters` has another length, and as
 * {@link clusterBootstrap}.
 */
export function clusterBootstrapAuc(
  labels: BinaryLabels,
  scores: Scores,
  clusters: ArrayLike<string>,
  options: ClusterBootstrapOptions = {},
): ClusterBootstrapResult {
  const c = checkBinary(labels, scores, 'clusterBootstrapAuc');
  return bootstrap(clusters, c.s.length, weightedAuc(c, c.s), options, 'clusterBootstrapAuc');
}

/**
 * Identity-cluster bootstrap percentile interval of the difference of two
 * AUCs, `AUC(scoresA) - AUC(scoresB)`, for two models scored on the same
 * items: both AUCs are recomputed on the same replicates, so the interval
 * accounts for their correlation. See {@link clusterBootstrapAuc}.
 *
 * @throws {@link MetricsInputError} as {@link clusterBootstrapAuc} for either score vector.
 */
export function clusterBootstrapAucDiff(
  labels: BinaryLabels,
  scoresA: Scores,
  scoresB: Scores,
  clusters: ArrayLike<string>,
  options: ClusterBootstrapOptions = {},
): ClusterBootstrapResult {
  const what = 'clusterBootstrapAucDiff';
  const ca = checkBinary(labels, scoresA, `${what} (scoresA)`);
  const cb = checkBinary(labels, scoresB, `${what} (scoresB)`);
  const a = weightedAuc(ca, ca.s);
  const b = weightedAuc(ca, cb.s);
  return bootstrap(clusters, ca.s.length, (w) => a(w) - b(w), options, what);
}
