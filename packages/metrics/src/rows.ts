import { MetricsInputError } from './errors.js';

/** Points as one flat row-major array (give `dim`) or an array of rows. */
export type Points = Float64Array | Float32Array | readonly ArrayLike<number>[];

/** Checked points, copied to a flat Float64Array. @internal */
export interface FlatPoints {
  readonly data: Float64Array;
  readonly n: number;
  readonly dim: number;
}

/**
 * Flattens and checks points (rectangular, finite, at least one row).
 * @internal
 */
export function flattenPoints(points: Points, dim: number | undefined, what: string): FlatPoints {
  if (points instanceof Float64Array || points instanceof Float32Array) {
    if (dim === undefined || !Number.isInteger(dim) || dim < 1) {
      throw new MetricsInputError('bad-option', `${what}: points are flat, so dim (a positive integer) is needed`);
    }
    if (points.length % dim !== 0) {
      throw new MetricsInputError('bad-shape', `${what}: ${points.length} values is not a multiple of dim ${dim}`);
    }
    const data = Float64Array.from(points);
    checkFinite(data, dim, what);
    return { data, n: points.length / dim, dim };
  }
  const n = points.length;
  if (n === 0) throw new MetricsInputError('empty', `${what}: no points`);
  const d = points[0].length;
  if (dim !== undefined && d !== dim) throw new MetricsInputError('bad-shape', `${what}: rows have ${d} values but dim is ${dim}`);
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const row = points[i];
    if (row.length !== d) throw new MetricsInputError('bad-shape', `${what}: row ${i} has ${row.length} values, row 0 has ${d}`);
    for (let j = 0; j < d; j++) data[i * d + j] = row[j];
  }
  checkFinite(data, d, what);
  return { data, n, dim: d };
}

function checkFinite(data: Float64Array, dim: number, what: string): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      throw new MetricsInputError('non-finite', `${what}: point ${Math.floor(i / dim)}[${i % dim}] is ${data[i]}`);
    }
  }
  if (data.length === 0) throw new MetricsInputError('empty', `${what}: no points`);
}

/** Squared Euclidean distances, full symmetric n x n matrix. @internal */
export function squaredDistances(p: FlatPoints): Float64Array {
  const { data, n, dim } = p;
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let k = 0; k < dim; k++) {
        const t = data[i * dim + k] - data[j * dim + k];
        s += t * t;
      }
      d[i * n + j] = s;
      d[j * n + i] = s;
    }
  }
  return d;
}
