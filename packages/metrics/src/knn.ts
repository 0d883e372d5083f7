import { MetricsInputError } from './errors.js';
import { flattenPoints, squaredDistances, type Points } from './rows.js';

/**
 * k-nearest-neighbour label agreement: for each point, the fraction of its
 * `k` nearest other points (Euclidean) that share its label, averaged over
 * points. 1 means every neighbourhood is pure; a random labelling with `m`
 * balanced classes gives about `1 / m`. Use it on features or on a t-SNE
 * embedding to put a number on "identities cluster". Ties in distance are
 * broken by lower index.
 *
 * @param points - rows, or a flat array with `dim`.
 * @param labels - one label per point.
 * @param k - neighbours per point, `1 <= k < n`.
 * @param exclude - optional group of each point (e.g. its video): points of the point's
 * own group are never its neighbours, so frames of one video cannot vouch for each other.
 * A point with fewer than `k` candidates uses those it has; one with none is left out.
 * @throws {@link MetricsInputError} on bad points, a label or group count mismatch, a bad
 * `k`, or (with `exclude`) no point that has a candidate neighbour.
 */
export function knnAgreement(points: Points, labels: ArrayLike<number | string>, k: number, dim?: number, exclude?: ArrayLike<number | string>): number {
  const per = knnAgreementPoints(points, labels, k, dim, exclude);
  let total = 0;
  let counted = 0;
  for (const v of per) {
    if (Number.isNaN(v)) continue;
    total += v;
    counted++;
  }
  if (counted === 0) throw new MetricsInputError('bad-option', 'knnAgreement: every point is in one group with all others; nothing is left to compare');
  return total / counted;
}

/**
 * {@link knnAgreement} point by point: each point's fraction of neighbours sharing its
 * label, `NaN` for a point left out (no candidate outside its `exclude` group). For
 * intervals that resample persons, and for paired comparisons of two feature spaces.
 */
export function knnAgreementPoints(points: Points, labels: ArrayLike<number | string>, k: number, dim?: number, exclude?: ArrayLike<number | string>): Float64Array {
  const p = flattenPoints(points, dim, 'knnAgreement');
  const n = p.n;
  if (labels.length !== n) {
    throw new MetricsInputError('length-mismatch', `knnAgreement: ${n} points but ${labels.length} labels`);
  }
  if (exclude && exclude.length !== n) {
    throw new MetricsInputError('length-mismatch', `knnAgreement: ${n} points but ${exclude.length} groups to exclude`);
  }
  if (!Number.isInteger(k) || k < 1 || k >= n) {
    throw new MetricsInputError('bad-option', `knnAgreement: k must be an integer in [1, ${n - 1}], got ${k}`);
  }
  const d = squaredDistances(p);
  const idx = new Uint32Array(n - 1);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let m = 0;
    for (let j = 0; j < n; j++) if (j !== i && !(exclude && exclude[j] === exclude[i])) idx[m++] = j;
    if (m === 0) {
      out[i] = Number.NaN;
      continue;
    }
    const row = i * n;
    const cand = idx.subarray(0, m);
    cand.sort((a, b) => d[row + a] - d[row + b] || a - b);
    const kk = Math.min(k, m);
    let same = 0;
    for (let t = 0; t < kk; t++) if (labels[cand[t]] === labels[i]) same++;
    out[i] = same / kk;
  }
  return out;
}
