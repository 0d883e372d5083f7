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
 * @throws {@link MetricsInputError} on bad points, a label count mismatch or a bad `k`.
 */
export function knnAgreement(points: Points, labels: ArrayLike<number | string>, k: number, dim?: number): number {
  const p = flattenPoints(points, dim, 'knnAgreement');
  const n = p.n;
  if (labels.length !== n) {
    throw new MetricsInputError('length-mismatch', `knnAgreement: ${n} points but ${labels.length} labels`);
  }
  if (!Number.isInteger(k) || k < 1 || k >= n) {
    throw new MetricsInputError('bad-option', `knnAgreement: k must be an integer in [1, ${n - 1}], got ${k}`);
  }
  const d = squaredDistances(p);
  const idx = new Uint32Array(n - 1);
  let total = 0;
  for (let i = 0; i < n; i++) {
    let m = 0;
    for (let j = 0; j < n; j++) if (j !== i) idx[m++] = j;
    const row = i * n;
    idx.sort((a, b) => d[row + a] - d[row + b] || a - b);
    let same = 0;
    for (let t = 0; t < k; t++) if (labels[idx[t]] === labels[i]) same++;
    total += same / k;
  }
  return total / n;
}
