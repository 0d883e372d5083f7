/**
 * The quality part of SBI's source-target augmentation, on dense `uint8` HWC data:
 * SBI's `RandomDownScale` (nearest down by a factor, bilinear back up: OpenCV `INTER_NEAREST`
 * and `INTER_LINEAR` conventions) and albumentations' `Sharpen` (a 3x3 `filter2D`,
 * reflect-101 border). Float arithmetic, rounded half to even.
 */
import { linearTaps, saturateU8, type Rng } from '@caddm/image';
import type { QualityOptions } from './options.js';

/** The drawn quality step (`null`: none). */
export type QualityParams =
  | { kind: 'downscale'; ratio: number }
  | { kind: 'sharpen'; alpha: number; lightness: number }
  | null;

/**
 * Draws the quality step: with probability `prob` one of the two, the down-scaling with
 * probability `downscaleProb` (albumentations `OneOf` of two `p=1` transforms: 0.5).
 */
export function sampleQuality(rng: Rng, o: QualityOptions): QualityParams {
  if (!(rng.next() < o.prob)) return null;
  if (rng.next() < o.downscaleProb) return { kind: 'downscale', ratio: rng.choice(o.downscaleRatios) };
  return {
    kind: 'sharpen',
    alpha: rng.uniform(o.sharpenAlpha[0], o.sharpenAlpha[1]),
    lightness: rng.uniform(o.sharpenLightness[0], o.sharpenLightness[1]),
  };
}

// Saturation by table lookup (no data-dependent branch: sharpened noise saturates often)
const SAT_OFFSET = 4096;
const SAT = Uint8Array.from({ length: 2 * SAT_OFFSET }, (_, i) => Math.min(255, Math.max(0, i - SAT_OFFSET)));

/** Round half to even, then saturate to [0, 255] (OpenCV `saturate_cast<uchar>`), for |x| < 4096. */
function rintSat(x: number): number {
  const r = Math.floor(x + 0.5);
  return SAT[(r - x === 0.5 ? r & ~1 : r) + SAT_OFFSET];
}

/**
 * SBI's `RandomDownScale` for one factor: resize to `(trunc(W/r), trunc(H/r))` with nearest
 * sampling, then back to `W x H` bilinearly.
 * @param src - dense `uint8` data, `h*w*c`
 * @param dst - output of the same length (not `src`)
 */
export function downUpScale(src: Uint8Array, dst: Uint8Array, h: number, w: number, c: number, ratio: number): void {
  const sw = Math.max(1, Math.trunc(w / ratio));
  const sh = Math.max(1, Math.trunc(h / ratio));
  // nearest: source index floor(d * src/dst), clamped
  const small = new Uint8Array(sw * sh * c);
  const fx = w / sw;
  const fy = h / sh;
  const nx = new Int32Array(sw);
  for (let x = 0; x < sw; x++) nx[x] = Math.min(Math.floor(x * fx), w - 1) * c;
  for (let y = 0, o = 0; y < sh; y++) {
    const row = Math.min(Math.floor(y * fy), h - 1) * w * c;
    for (let x = 0; x < sw; x++) for (let k = 0; k < c; k++) small[o++] = src[row + nx[x] + k];
  }
  const tx = linearTaps(sw, w);
  const ty = linearTaps(sh, h);
  const rowA = new Float64Array(w * c);
  const rowB = new Float64Array(w * c);
  const hpass = (sy: number, out: Float64Array): void => {
    const rb = sy * sw * c;
    for (let x = 0, o = 0; x < w; x++) {
      const a = rb + tx.i0[x] * c;
      const b = rb + tx.i1[x] * c;
      const wa = 1 - tx.frac[x];
      for (let k = 0; k < c; k++, o++) out[o] = wa * small[a + k] + (1 - wa) * small[b + k];
    }
  };
  let ra = -1;
  let rb = -1;
  for (let y = 0; y < h; y++) {
    const y0 = ty.i0[y];
    const y1 = ty.i1[y];
    if (ra !== y0) {
      if (rb === y0) {
        rowA.set(rowB);
      } else hpass(y0, rowA);
      ra = y0;
    }
    if (rb !== y1) {
      hpass(y1, rowB);
      rb = y1;
    }
    const wa = 1 - ty.frac[y];
    const wb = 1 - wa;
    const ob = y * w * c;
    for (let j = 0; j < w * c; j++) dst[ob + j] = saturateU8(wa * rowA[j] + wb * rowB[j]);
  }
}

/**
 * albumentations `Sharpen`: correlation with `(1 - α)·δ + α·[[-1,-1,-1],[-1,8+λ,-1],[-1,-1,-1]]`,
 * i.e. `out = (1 + 8α + αλ)·v − α·(sum of the 8 neighbours)`, reflect-101 border.
 * @param src - dense `uint8` data, `h*w*c`
 * @param dst - output of the same length (not `src`)
 */
export function sharpen(
  src: Uint8Array,
  dst: Uint8Array,
  h: number,
  w: number,
  c: number,
  alpha: number,
  lightness: number,
): void {
  const centre = 1 - alpha + alpha * (8 + lightness) + alpha; // applied to v, minus alpha * (3x3 sum incl. v)
  const stride = w * c;
  // column sums of three rows (reflect-101), then horizontal 3-sums
  const col = new Float64Array(stride);
  const lastX = (w === 1 ? 0 : w - 2) * c; // reflect-101 neighbour of the last column
  for (let y = 0; y < h; y++) {
    const up = (h === 1 ? 0 : y === 0 ? 1 : y - 1) * stride;
    const mid = y * stride;
    const dn = (h === 1 ? 0 : y === h - 1 ? h - 2 : y + 1) * stride;
    for (let j = 0; j < stride; j++) col[j] = src[up + j] + src[mid + j] + src[dn + j];
    for (let k = 0; k < c; k++) {
      const r = w === 1 ? k : c + k; // reflect-101 neighbour of column 0
      dst[mid + k] = rintSat(centre * src[mid + k] - alpha * (col[r] + col[k] + col[r]));
    }
    for (let j = c; j < stride - c; j++) {
      dst[mid + j] = rintSat(centre * src[mid + j] - alpha * (col[j - c] + col[j] + col[j + c]));
    }
    if (w > 1) {
      for (let j = stride - c; j < stride; j++) {
        const l = j - c;
        const r = lastX + (j - (stride - c));
        dst[mid + j] = rintSat(centre * src[mid + j] - alpha * (col[l] + col[j] + col[r]));
      }
    }
  }
}
