/**
 * The 68-point landmark layout (iBUG 300-W / dlib / face-api order) and helpers
 * to validate and reshape landmark arrays.
 *
 * Landmarks are passed around flat: `[x0, y0, x1, y1, ...]` in pixels, x = column,
 * y = row, usually a `Float32Array(136)` for 68 points.
 */
import { LandmarkError } from './errors.js';

/** Number of points of the 68-point layout. */
export const LANDMARK_COUNT = 68;

/**
 * Index ranges `[first, last]` (inclusive) of the 68-point layout's parts.
 * Left/right are as seen in the image (the subject's right eye is `leftEye`).
 */
export const LANDMARK_PARTS = {
  jaw: [0, 16],
  leftBrow: [17, 21],
  rightBrow: [22, 26],
  noseBridge: [27, 30],
  noseBase: [31, 35],
  leftEye: [36, 41],
  rightEye: [42, 47],
  outerMouth: [48, 59],
  innerMouth: [60, 67],
} as const satisfies Record<string, readonly [number, number]>;

/** Flat landmark coordinates `[x0, y0, x1, y1, ...]`. */
export type FlatLandmarks = ArrayLike<number>;

/**
 * Checks that `lm` holds at least `min` finite `(x, y)` pairs and returns the number of points.
 * @throws LandmarkError when the length is odd, too short, or a value is not finite
 */
export function checkLandmarks(lm: FlatLandmarks, min = LANDMARK_COUNT, name = 'landmarks'): number {
  if (lm == null || typeof lm.length !== 'number') {
    throw new LandmarkError(`${name} must be a flat array [x0, y0, x1, y1, ...], got ${String(lm)}`);
  }
  if (lm.length % 2 !== 0) throw new LandmarkError(`${name} has an odd length ${lm.length}; expected x,y pairs`);
  const n = lm.length / 2;
  if (n < min) throw new LandmarkError(`${name} has ${n} points, at least ${min} are needed`);
  for (let i = 0; i < lm.length; i++) {
    if (!Number.isFinite(lm[i])) {
      throw new LandmarkError(`${name}[${i}] (point ${i >> 1}, ${i % 2 ? 'y' : 'x'}) is not finite: ${lm[i]}`);
    }
  }
  return n;
}

/**
 * Flattens `[[x, y], ...]` pairs into a `Float32Array` `[x0, y0, x1, y1, ...]`.
 * @throws LandmarkError when a pair does not have two entries
 */
export function flattenPoints(points: ArrayLike<ArrayLike<number>>): Float32Array {
  const out = new Float32Array(points.length * 2);
  for (let i = 0; i < points.length; i++) {
    const p = points[i];
    if (p == null || p.length !== 2) throw new LandmarkError(`point ${i} must be an [x, y] pair`);
    out[2 * i] = p[0];
    out[2 * i + 1] = p[1];
  }
  return out;
}

/** Splits flat landmarks into `[x, y]` pairs. */
export function toPoints(lm: FlatLandmarks): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 0; i + 1 < lm.length; i += 2) out.push([lm[i], lm[i + 1]]);
  return out;
}

/** Options of {@link fivePoints}. */
export interface FivePointOptions {
  /**
   * Truncate the eye centres toward zero to integers, as the reference does
   * (`np.mean(...).astype('int')`). Default `true`.
   */
  truncateEyes?: boolean;
}

/**
 * The five alignment points of the reference, flat `[x, y] x 5`: left eye centre
 * (mean of points 36-41), right eye centre (mean of 42-47), nose tip (30), left
 * mouth corner (48), right mouth corner (54).
 * @param lm - at least 68 points
 * @throws LandmarkError on malformed landmarks
 */
export function fivePoints(lm: FlatLandmarks, options: FivePointOptions = {}): Float64Array {
  checkLandmarks(lm);
  const trunc = options.truncateEyes ?? true;
  const out = new Float64Array(10);
  const eye = (first: number, o: number): void => {
    let sx = 0;
    let sy = 0;
    for (let i = first; i < first + 6; i++) {
      sx += lm[2 * i];
      sy += lm[2 * i + 1];
    }
    out[o] = trunc ? Math.trunc(sx / 6) : sx / 6;
    out[o + 1] = trunc ? Math.trunc(sy / 6) : sy / 6;
  };
  eye(36, 0);
  eye(42, 2);
  for (const [k, idx] of [[2, 30], [3, 48], [4, 54]] as const) {
    out[2 * k] = lm[2 * idx];
    out[2 * k + 1] = lm[2 * idx + 1];
  }
  return out;
}

/**
 * Axis-aligned bounding box of landmarks.
 * @returns `{ x0, y0, x1, y1 }` (min and max coordinates, not rounded)
 */
export function landmarkBox(lm: FlatLandmarks): { x0: number; y0: number; x1: number; y1: number } {
  checkLandmarks(lm, 1);
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (let i = 0; i < lm.length; i += 2) {
    const x = lm[i];
    const y = lm[i + 1];
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  return { x0, y0, x1, y1 };
}
