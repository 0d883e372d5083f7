/**
 * The blend `fake = mask · warp(source) + (1 − mask) · target`, truncated to `uint8` like the
 * reference's `astype(np.uint8)`, computed as `target + mask · (source − target)` so that
 * pixels where source and target agree stay exact. The source is warped (bilinear, zero
 * border, rounded to `uint8` as `cv2.warpAffine` returns it) only where the mask is non-zero.
 */
import { saturateU8 } from '@caddm/image';

/** A pixel box, x = column, y = row, `x1`/`y1` exclusive (the `@caddm/mfs` convention). */
export interface Box {
  /** left column */
  x0: number;
  /** top row */
  y0: number;
  /** right column (exclusive) */
  x1: number;
  /** bottom row (exclusive) */
  y1: number;
}

/**
 * The bounding box of the pixels where `m > threshold`, or `null` when there are none.
 * @param m - `h*w` values
 */
export function thresholdBox(m: ArrayLike<number>, h: number, w: number, threshold: number): Box | null {
  let x0 = w;
  let y0 = h;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0, i = 0; y < h; y++) {
    for (let x = 0; x < w; x++, i++) {
      if (m[i] > threshold) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        y1 = y;
      }
    }
  }
  return x1 < 0 ? null : { x0, y0, x1: x1 + 1, y1: y1 + 1 };
}

/**
 * Blends the affinely warped source into the target through `alpha`.
 * @param target - dense RGB `uint8` data, `h*w*3`
 * @param source - dense RGB `uint8` data, `h*w*3` (before the warp)
 * @param inv - inverse affine `[a, b, c, d, e, f]` (destination to source)
 * @param alpha - `h*w` blend weights in `[0, 1]`
 * @param out - `h*w*3` bytes for the fake
 */
export function blendWarped(
  target: Uint8Array,
  source: Uint8Array,
  h: number,
  w: number,
  inv: ArrayLike<number>,
  alpha: Float32Array,
  out: Uint8Array,
): Uint8Array {
  out.set(target);
  const box = thresholdBox(alpha, h, w, 0);
  if (!box) return out;
  const [a, b, c, d, e, f] = [inv[0], inv[1], inv[2], inv[3], inv[4], inv[5]];
  const stride = w * 3;
  for (let y = box.y0; y < box.y1; y++) {
    for (let x = box.x0; x < box.x1; x++) {
      const i = y * w + x;
      const m = alpha[i];
      if (m === 0) continue;
      const sx = a * x + b * y + c;
      const sy = d * x + e * y + f;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      const w00 = (1 - fx) * (1 - fy);
      const w01 = fx * (1 - fy);
      const w10 = (1 - fx) * fy;
      const w11 = fx * fy;
      const in0 = y0 >= 0 && y0 < h;
      const in1 = y0 + 1 >= 0 && y0 + 1 < h;
      const inl = x0 >= 0 && x0 < w;
      const inr = x0 + 1 >= 0 && x0 + 1 < w;
      const p00 = y0 * stride + x0 * 3;
      const o = i * 3;
      for (let k = 0; k < 3; k++) {
        let s = 0;
        if (in0 && inl) s += w00 * source[p00 + k];
        if (in0 && inr) s += w01 * source[p00 + 3 + k];
        if (in1 && inl) s += w10 * source[p00 + stride + k];
        if (in1 && inr) s += w11 * source[p00 + stride + 3 + k];
        const t = target[o + k];
        out[o + k] = Math.floor(t + m * (saturateU8(s) - t));
      }
    }
  }
  return out;
}
