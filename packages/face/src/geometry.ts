/**
 * Small 2-D projective geometry: similarity fit, rotation about a point, the
 * homography between two quadrilaterals, and point mapping. Matrices are 3x3,
 * row-major, in `Float64Array(9)`, mapping source `(x, y, 1)` to destination.
 */
import { FaceArgumentError, LandmarkError } from './errors.js';

/** 3x3 row-major product `a · b`. */
export function mul3(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  const out = new Float64Array(9);
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) {
      out[r * 3 + c] = a[r * 3] * b[c] + a[r * 3 + 1] * b[3 + c] + a[r * 3 + 2] * b[6 + c];
    }
  }
  return out;
}

/**
 * Least-squares similarity (rotation, uniform scale, translation; no reflection)
 * taking the points `src` onto `dst`, both flat `[x, y] x n`: the closed form the
 * reference's `get_align_transform` uses (centre both sets, then
 * `a = Σ(u·du + v·dv) / Σ|d|²`, `b = Σ(u·dv − v·du) / Σ|d|²`, giving
 * `[[a, b, tx], [−b, a, ty]]`).
 * @throws LandmarkError when the source points all coincide
 */
export function fitSimilarity(src: ArrayLike<number>, dst: ArrayLike<number>): Float64Array {
  const n = src.length / 2;
  if (n < 2 || dst.length !== src.length) {
    throw new LandmarkError(`fitSimilarity needs two equal sets of >= 2 points, got ${src.length / 2} and ${dst.length / 2}`);
  }
  let mx = 0;
  let my = 0;
  let dmx = 0;
  let dmy = 0;
  for (let i = 0; i < n; i++) {
    mx += dst[2 * i];
    my += dst[2 * i + 1];
    dmx += src[2 * i];
    dmy += src[2 * i + 1];
  }
  mx /= n;
  my /= n;
  dmx /= n;
  dmy /= n;
  let c1 = 0;
  let c2 = 0;
  let c3 = 0;
  for (let i = 0; i < n; i++) {
    const ux = dst[2 * i] - mx;
    const uy = dst[2 * i + 1] - my;
    const dux = src[2 * i] - dmx;
    const duy = src[2 * i + 1] - dmy;
    c1 += ux * dux + uy * duy;
    c2 += ux * duy - uy * dux;
    c3 += dux * dux + duy * duy;
  }
  if (!(c3 > 0)) throw new LandmarkError('the alignment points all coincide; cannot fit a similarity');
  const a = c1 / c3;
  const b = c2 / c3;
  return Float64Array.of(a, b, mx - a * dmx - b * dmy, -b, a, my - a * dmy + b * dmx, 0, 0, 1);
}

/**
 * Rotation by `degrees` (counter-clockwise as displayed, y down) about `(cx, cy)`,
 * unit scale: the same matrix as OpenCV's `getRotationMatrix2D(center, angle, 1)`.
 */
export function rotationAbout(cx: number, cy: number, degrees: number): Float64Array {
  const t = (degrees * Math.PI) / 180;
  const a = Math.cos(t);
  const b = Math.sin(t);
  return Float64Array.of(a, b, (1 - a) * cx - b * cy, -b, a, b * cx + (1 - a) * cy, 0, 0, 1);
}

/**
 * The homography taking four source points onto four destination points (flat
 * `[x, y] x 4`), like OpenCV's `getPerspectiveTransform`: solves the 8x8 linear
 * system with `h33 = 1` by Gaussian elimination with partial pivoting.
 * @throws FaceArgumentError when the points are degenerate (three collinear)
 */
export function perspectiveFromQuads(src: ArrayLike<number>, dst: ArrayLike<number>): Float64Array {
  if (src.length !== 8 || dst.length !== 8) {
    throw new FaceArgumentError(`perspectiveFromQuads needs 4 points each, got ${src.length / 2} and ${dst.length / 2}`);
  }
  // Rows: x' = (h0 x + h1 y + h2) / (h6 x + h7 y + 1), likewise y'.
  const A = new Float64Array(8 * 9);
  for (let i = 0; i < 4; i++) {
    const x = src[2 * i];
    const y = src[2 * i + 1];
    const u = dst[2 * i];
    const v = dst[2 * i + 1];
    A.set([x, y, 1, 0, 0, 0, -x * u, -y * u, u], i * 9);
    A.set([0, 0, 0, x, y, 1, -x * v, -y * v, v], (i + 4) * 9);
  }
  for (let col = 0; col < 8; col++) {
    let piv = col;
    for (let r = col + 1; r < 8; r++) if (Math.abs(A[r * 9 + col]) > Math.abs(A[piv * 9 + col])) piv = r;
    if (Math.abs(A[piv * 9 + col]) < 1e-12) {
      throw new FaceArgumentError('perspectiveFromQuads: the quadrilateral is degenerate (three points collinear)');
    }
    if (piv !== col) {
      for (let k = 0; k < 9; k++) {
        const t = A[col * 9 + k];
        A[col * 9 + k] = A[piv * 9 + k];
        A[piv * 9 + k] = t;
      }
    }
    const p = A[col * 9 + col];
    for (let r = 0; r < 8; r++) {
      if (r === col) continue;
      const f = A[r * 9 + col] / p;
      if (f === 0) continue;
      for (let k = col; k < 9; k++) A[r * 9 + k] -= f * A[col * 9 + k];
    }
  }
  const h = new Float64Array(9);
  for (let r = 0; r < 8; r++) h[r] = A[r * 9 + 8] / A[r * 9 + r];
  h[8] = 1;
  return h;
}

/** How points are mapped by a 3x3 matrix. */
export type PointMapping = 'projective' | 'reference';

/**
 * Maps flat points by a 3x3 matrix.
 *
 * - `projective` (correct): `(x', y') = (M₀·p, M₁·p) / (M₂·p)`, where image content goes.
 * - `reference`: the reference's `ld · M[:, :2]ᵀ + M[:, 2]`, keeping rows 0 and 1
 *   WITHOUT dividing by `M₂·p` (REFERENCE.md bug 7: wrong when the matrix has a
 *   perspective part).
 * @returns a new `Float32Array` of the same length
 */
export function mapPoints(
  m: ArrayLike<number>,
  pts: ArrayLike<number>,
  mode: PointMapping = 'projective',
): Float32Array {
  const out = new Float32Array(pts.length);
  for (let i = 0; i + 1 < pts.length; i += 2) {
    const x = pts[i];
    const y = pts[i + 1];
    let u = m[0] * x + m[1] * y + m[2];
    let v = m[3] * x + m[4] * y + m[5];
    if (mode === 'projective') {
      const w = m[6] * x + m[7] * y + m[8];
      u /= w;
      v /= w;
    }
    out[i] = u;
    out[i + 1] = v;
  }
  return out;
}
