/**
 * Small dense matrices for geometric transforms: 2x3 affine and 3x3 projective,
 * stored row-major in `Float64Array`s. Nested arrays (`[[a, b, c], [d, e, f]]`)
 * are accepted wherever a matrix is taken.
 */
import { ImageArgumentError } from './errors.js';

/** A matrix given flat row-major (`[a, b, c, d, e, f]`) or nested by rows. */
export type MatrixLike = ArrayLike<number> | ArrayLike<ArrayLike<number>>;

/**
 * Flattens a row-major matrix and checks its size and that every entry is finite.
 * @param m - flat or nested matrix
 * @param rows - expected rows
 * @param cols - expected columns
 * @param name - argument name for the error message
 */
export function toMatrix(m: MatrixLike, rows: number, cols: number, name = 'matrix'): Float64Array {
  if (m == null || typeof m.length !== 'number') {
    throw new ImageArgumentError(`${name} must be a ${rows}x${cols} matrix, got ${String(m)}`);
  }
  const out = new Float64Array(rows * cols);
  const first = m[0] as unknown;
  if (typeof first === 'number') {
    if (m.length !== rows * cols) {
      throw new ImageArgumentError(`${name} must have ${rows * cols} entries (${rows}x${cols} row-major), got ${m.length}`);
    }
    for (let i = 0; i < rows * cols; i++) out[i] = (m as ArrayLike<number>)[i];
  } else {
    if (m.length !== rows) throw new ImageArgumentError(`${name} must have ${rows} rows, got ${m.length}`);
    for (let r = 0; r < rows; r++) {
      const row = (m as ArrayLike<ArrayLike<number>>)[r];
      if (row == null || row.length !== cols) {
        throw new ImageArgumentError(`${name} row ${r} must have ${cols} entries, got ${row?.length}`);
      }
      for (let c = 0; c < cols; c++) out[r * cols + c] = row[c];
    }
  }
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i])) throw new ImageArgumentError(`${name} has a non-finite entry ${out[i]} at index ${i}`);
  }
  return out;
}

/**
 * Inverts a 2x3 affine matrix (the map `[x', y'] = A [x, y] + t`).
 * @throws ImageArgumentError when the linear part is singular
 */
export function invertAffine(m: MatrixLike): Float64Array {
  const [a, b, c, d, e, f] = toMatrix(m, 2, 3, 'affine matrix');
  const det = a * e - b * d;
  if (det === 0 || !Number.isFinite(1 / det)) throw new ImageArgumentError('affine matrix is singular (det = 0)');
  const id = 1 / det;
  const ia = e * id;
  const ib = -b * id;
  const idd = -d * id;
  const ie = a * id;
  return Float64Array.of(ia, ib, -(ia * c + ib * f), idd, ie, -(idd * c + ie * f));
}

/**
 * Inverts a 3x3 matrix (homography).
 * @throws ImageArgumentError when it is singular
 */
export function invert3x3(m: MatrixLike): Float64Array {
  const [a, b, c, d, e, f, g, h, i] = toMatrix(m, 3, 3, '3x3 matrix');
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  if (det === 0 || !Number.isFinite(1 / det)) throw new ImageArgumentError('3x3 matrix is singular (det = 0)');
  const id = 1 / det;
  return Float64Array.of(
    A * id,
    -(b * i - c * h) * id,
    (b * f - c * e) * id,
    B * id,
    (a * i - c * g) * id,
    -(a * f - c * d) * id,
    C * id,
    -(a * h - b * g) * id,
    (a * e - b * d) * id,
  );
}

/** Multiplies two 3x3 row-major matrices: returns `a · b`. */
export function multiply3x3(a: MatrixLike, b: MatrixLike): Float64Array {
  const x = toMatrix(a, 3, 3, 'a');
  const y = toMatrix(b, 3, 3, 'b');
  const out = new Float64Array(9);
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) {
      out[r * 3 + c] = x[r * 3] * y[c] + x[r * 3 + 1] * y[3 + c] + x[r * 3 + 2] * y[6 + c];
    }
  }
  return out;
}

/** Lifts a 2x3 affine matrix to 3x3 (appending `[0, 0, 1]`). */
export function affineTo3x3(m: MatrixLike): Float64Array {
  const a = toMatrix(m, 2, 3, 'affine matrix');
  return Float64Array.of(a[0], a[1], a[2], a[3], a[4], a[5], 0, 0, 1);
}

/**
 * Maps points by a 2x3 affine or 3x3 projective matrix (with the perspective division).
 * @param m - 2x3 or 3x3 row-major matrix
 * @param points - `[x, y]` pairs
 * @returns new `[x, y]` pairs
 */
export function transformPoints(m: MatrixLike, points: ArrayLike<ArrayLike<number>>): Array<[number, number]> {
  const first = m[0] as unknown;
  const flatLen = typeof first === 'number' ? m.length : m.length * ((first as ArrayLike<number>)?.length ?? 0);
  const M = flatLen === 6 ? affineTo3x3(m) : toMatrix(m, 3, 3, 'transform matrix');
  const out: Array<[number, number]> = [];
  for (let i = 0; i < points.length; i++) {
    const x = points[i][0];
    const y = points[i][1];
    const w = M[6] * x + M[7] * y + M[8];
    const s = w !== 0 ? 1 / w : 0;
    out.push([(M[0] * x + M[1] * y + M[2]) * s, (M[3] * x + M[4] * y + M[5]) * s]);
  }
  return out;
}
