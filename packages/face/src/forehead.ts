/**
 * An estimated forehead arc for 68-point landmarks.
 *
 * The reference detects 81 points with dlib's `shape_predictor_81_face_landmarks`
 * (68 + 13 on the forehead), so its global-swap hull covers the forehead. Our
 * detector gives the 68 points only; this module estimates points above the
 * brows from the face geometry instead:
 *
 * - the face's horizontal axis `u` runs from jaw point 0 to jaw point 16, with
 *   origin `C` at their midpoint and half-width `a = |p16 - p0| / 2`;
 * - the up axis `v` is perpendicular to `u`, pointing away from the chin (8);
 * - the arc is the upper half of the ellipse centred at `C` with semi-axes `a`
 *   (along `u`) and `b` (along `v`), where `b` is the highest brow point's
 *   height above `C` plus `heightRatio` times the brow-to-nose-base distance
 *   (the middle third of the face: brow mid-point to point 33);
 * - `points` samples at equal angles strictly between the two ends, ordered
 *   from the point-0 side to the point-16 side.
 *
 * It follows the pose (rotation, scale, translation) of the landmarks exactly
 * (it is equivariant under similarities), but it is a geometric guess, not a
 * detection: hairlines, fringes and strong yaw are not modelled.
 */
import { FaceArgumentError, LandmarkError } from './errors.js';
import { checkLandmarks, type FlatLandmarks } from './landmarks.js';

/** Options of {@link foreheadArc}. */
export interface ForeheadOptions {
  /** Number of arc points (default 13, as dlib's 81-point model adds). */
  points?: number;
  /**
   * Forehead height above the highest brow point, in units of the brow-to-nose-base
   * distance (default 0.8, a little below a typical hairline at 1.0).
   */
  heightRatio?: number;
}

/**
 * Estimates `points` forehead points above the brows (see the module notes).
 * @param landmarks68 - flat 68-point landmarks (extra points are ignored)
 * @returns flat `Float32Array(2 * points)`
 * @throws LandmarkError when the jaw ends coincide or the chin is not below the jaw line
 */
export function foreheadArc(landmarks68: FlatLandmarks, options: ForeheadOptions = {}): Float32Array {
  checkLandmarks(landmarks68);
  const n = options.points ?? 13;
  const ratio = options.heightRatio ?? 0.8;
  if (!Number.isInteger(n) || n < 1) throw new FaceArgumentError(`points must be a positive integer, got ${n}`);
  if (!Number.isFinite(ratio) || ratio < 0) throw new FaceArgumentError(`heightRatio must be >= 0, got ${ratio}`);
  const P = (i: number): [number, number] => [landmarks68[2 * i], landmarks68[2 * i + 1]];
  const [x0, y0] = P(0);
  const [x16, y16] = P(16);
  const cx = (x0 + x16) / 2;
  const cy = (y0 + y16) / 2;
  const a = Math.hypot(x16 - x0, y16 - y0) / 2;
  if (!(a > 0)) throw new LandmarkError('jaw points 0 and 16 coincide; cannot estimate the forehead');
  const ux = (x16 - x0) / (2 * a);
  const uy = (y16 - y0) / (2 * a);
  // Perpendicular, pointing away from the chin.
  let vx = uy;
  let vy = -ux;
  const [chx, chy] = P(8);
  const chin = (chx - cx) * vx + (chy - cy) * vy;
  if (chin === 0) throw new LandmarkError('the chin (point 8) lies on the jaw line 0-16; cannot orient the face');
  if (chin > 0) {
    vx = -vx;
    vy = -vy;
  }
  const height = (i: number): number => (landmarks68[2 * i] - cx) * vx + (landmarks68[2 * i + 1] - cy) * vy;
  let brow = -Infinity;
  let browMid = 0;
  for (let i = 17; i <= 26; i++) {
    const h = height(i);
    if (h > brow) brow = h;
    browMid += h / 10;
  }
  const third = Math.max(0, browMid - height(33));
  const b = Math.max(brow, 0) + ratio * third;
  const out = new Float32Array(2 * n);
  for (let k = 0; k < n; k++) {
    const t = Math.PI * (1 - (k + 1) / (n + 1));
    const cu = a * Math.cos(t);
    const cv = b * Math.sin(t);
    // cos(t) runs from ~-1 (point-0 side) to ~+1 (point-16 side).
    out[2 * k] = cx + cu * ux + cv * vx;
    out[2 * k + 1] = cy + cu * uy + cv * vy;
  }
  return out;
}

/**
 * The 68 points followed by {@link foreheadArc}: a flat array of `68 + points`
 * points, the counterpart of dlib's 81-point layout (which differs in the order
 * and exact position of the forehead points).
 */
export function withForehead(landmarks68: FlatLandmarks, options: ForeheadOptions = {}): Float32Array {
  checkLandmarks(landmarks68);
  const arc = foreheadArc(landmarks68, options);
  const out = new Float32Array(136 + arc.length);
  for (let i = 0; i < 136; i++) out[i] = landmarks68[i];
  out.set(arc, 136);
  return out;
}
