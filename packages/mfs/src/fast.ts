/**
 * Specialised kernels for the MFS hot path (one sample every few milliseconds):
 * the same arithmetic as `@caddm/image`'s generic `warpPerspective` and
 * `gaussianBlur` (so results are identical, which the tests check), written for
 * `uint8` RGB canvases and one-channel masks.
 *
 * TODO(image): offer these fast paths in `@caddm/image` (a pair warp sharing the
 * coordinate computation; a blur limited to a mask's support) and use them here.
 */
import {
  createImage,
  getGaussianKernel,
  imageSize,
  invert3x3,
  saturateU8,
  type ImageU8,
} from '@caddm/image';
import { MfsArgumentError, MfsShapeError } from './errors.js';

/** 1.5 · 2^52: adding and subtracting it rounds a double to an integer, half to even. */
const MAGIC = 6755399441055744;

/** OpenCV's rounding (`cvRound`: half to even) of a value already in [0, 255]. */
function rint(v: number): number {
  return v + MAGIC - MAGIC;
}

/**
 * Warps two same-sized RGB `uint8` images by one 3x3 homography onto `size x size`
 * canvases (bilinear, zero border): `warpPerspective(a, H)` and `warpPerspective(b, H)`
 * in one pass. `b` may be omitted.
 * @returns the warped images (written into `outA`/`outB` when given)
 */
export function warpPairU8(
  a: ImageU8,
  b: ImageU8 | undefined,
  H: ArrayLike<number>,
  size: number,
  outA?: ImageU8,
  outB?: ImageU8,
): [ImageU8, ImageU8 | undefined] {
  const sa = imageSize(a);
  if (sa.channels !== 3) throw new MfsShapeError(`warpPairU8 needs RGB images, got ${sa.channels} channels`);
  if (b != null) {
    const sb = imageSize(b);
    if (sb.height !== sa.height || sb.width !== sa.width || sb.channels !== 3) {
      throw new MfsShapeError(`warpPairU8: images are ${sa.height}x${sa.width}x3 and ${sb.height}x${sb.width}x${sb.channels}`);
    }
  }
  if (!Number.isInteger(size) || size <= 0) throw new MfsArgumentError(`canvas size must be a positive integer, got ${size}`);
  const A = outA ?? createImage(size, size, 3);
  const B = b == null ? undefined : (outB ?? createImage(size, size, 3));
  const m = invert3x3(H);
  const w = sa.width;
  const h = sa.height;
  const sA = a.data;
  const sB = b?.data;
  const dA = A.data;
  const dB = B?.data;
  const row = w * 3;
  const [m0, m1, m2, m3, m4, m5, m6, m7, m8] = m;
  for (let y = 0; y < size; y++) {
    let o = y * size * 3;
    for (let x = 0; x < size; x++, o += 3) {
      let wz = m6 * x + m7 * y + m8;
      wz = wz !== 0 ? 1 / wz : 0;
      const sx = (m0 * x + m1 * y + m2) * wz;
      const sy = (m3 * x + m4 * y + m5) * wz;
      // floor(s) for s >= -1 via truncation of s + 1; anything else is outside.
      const tx = sx + 1;
      const ty = sy + 1;
      if (!(tx >= 0 && ty >= 0 && sx < w && sy < h)) {
        dA[o] = dA[o + 1] = dA[o + 2] = 0;
        if (dB) dB[o] = dB[o + 1] = dB[o + 2] = 0;
        continue;
      }
      const x0 = (tx | 0) - 1;
      const y0 = (ty | 0) - 1;
      const fx = sx - x0;
      const fy = sy - y0;
      const w00 = (1 - fx) * (1 - fy);
      const w01 = fx * (1 - fy);
      const w10 = (1 - fx) * fy;
      const w11 = fx * fy;
      if (x0 >= 0 && y0 >= 0 && x0 + 1 < w && y0 + 1 < h) {
        const p00 = y0 * row + x0 * 3;
        const p10 = p00 + row;
        // Interior: a convex combination of uint8 values stays in [0, 255].
        dA[o] = rint(w00 * sA[p00] + w01 * sA[p00 + 3] + w10 * sA[p10] + w11 * sA[p10 + 3]);
        dA[o + 1] = rint(w00 * sA[p00 + 1] + w01 * sA[p00 + 4] + w10 * sA[p10 + 1] + w11 * sA[p10 + 4]);
        dA[o + 2] = rint(w00 * sA[p00 + 2] + w01 * sA[p00 + 5] + w10 * sA[p10 + 2] + w11 * sA[p10 + 5]);
        if (dB && sB) {
          dB[o] = rint(w00 * sB[p00] + w01 * sB[p00 + 3] + w10 * sB[p10] + w11 * sB[p10 + 3]);
          dB[o + 1] = rint(w00 * sB[p00 + 1] + w01 * sB[p00 + 4] + w10 * sB[p10 + 1] + w11 * sB[p10 + 4]);
          dB[o + 2] = rint(w00 * sB[p00 + 2] + w01 * sB[p00 + 5] + w10 * sB[p10 + 2] + w11 * sB[p10 + 5]);
        }
        continue;
      }
      // On the edge: taps outside the image read 0.
      const in0x = x0 >= 0;
      const in1x = x0 + 1 < w;
      const in0y = y0 >= 0;
      const in1y = y0 + 1 < h;
      const p00 = in0y && in0x ? y0 * row + x0 * 3 : -1;
      const p01 = in0y && in1x ? y0 * row + (x0 + 1) * 3 : -1;
      const p10 = in1y && in0x ? (y0 + 1) * row + x0 * 3 : -1;
      const p11 = in1y && in1x ? (y0 + 1) * row + (x0 + 1) * 3 : -1;
      for (let k = 0; k < 3; k++) {
        dA[o + k] = saturateU8(
          w00 * (p00 < 0 ? 0 : sA[p00 + k]) +
            w01 * (p01 < 0 ? 0 : sA[p01 + k]) +
            w10 * (p10 < 0 ? 0 : sA[p10 + k]) +
            w11 * (p11 < 0 ? 0 : sA[p11 + k]),
        );
        if (dB && sB) {
          dB[o + k] = saturateU8(
            w00 * (p00 < 0 ? 0 : sB[p00 + k]) +
              w01 * (p01 < 0 ? 0 : sB[p01 + k]) +
              w10 * (p10 < 0 ? 0 : sB[p10 + k]) +
              w11 * (p11 < 0 ? 0 : sB[p11 + k]),
          );
        }
      }
    }
  }
  return [A, B];
}

/** Reusable rows of {@link blurMaskU8}. */
export class BlurWorkspace {
  /** horizontal pass, float64 */
  tmp = new Float64Array(0);
}

function reflect101(i: number, n: number): number {
  if (n === 1) return 0;
  while (i < 0 || i >= n) i = i < 0 ? -i : 2 * n - 2 - i;
  return i;
}

/**
 * `gaussianBlur(mask, ksize, sigma)` of a one-channel `uint8` mask (reflect-101 border,
 * float64 arithmetic, OpenCV rounding), computed only over the mask's support grown by
 * the kernel radius (everything else is 0).
 */
export function blurMaskU8(mask: ImageU8, ksize = 5, sigma = 3, ws = new BlurWorkspace()): ImageU8 {
  const { height: h, width: w, channels: c } = imageSize(mask);
  if (c !== 1) throw new MfsShapeError(`blurMaskU8 needs a one-channel mask, got ${c} channels`);
  const k = getGaussianKernel(ksize, sigma);
  const r = ksize >> 1;
  const src = mask.data;
  const out = createImage(h, w, 1);
  let x0 = w;
  let x1 = -1;
  let y0 = h;
  let y1 = -1;
  for (let y = 0; y < h; y++) {
    const base = y * w;
    let a = 0;
    while (a < w && src[base + a] === 0) a++;
    if (a === w) continue;
    let b = w - 1;
    while (src[base + b] === 0) b--;
    if (a < x0) x0 = a;
    if (b > x1) x1 = b;
    if (y < y0) y0 = y;
    y1 = y;
  }
  if (x1 < 0) return out;
  // Rows/columns whose output can be non-zero.
  const X0 = Math.max(0, x0 - r);
  const X1 = Math.min(w - 1, x1 + r);
  const Y0 = Math.max(0, y0 - r);
  const Y1 = Math.min(h - 1, y1 + r);
  // Horizontal pass over the rows the vertical pass reads (reflected ones included).
  if (ws.tmp.length < h * w) ws.tmp = new Float64Array(h * w);
  const tmp = ws.tmp;
  const rowNeeded = new Uint8Array(h);
  for (let y = Y0; y <= Y1; y++) for (let t = -r; t <= r; t++) rowNeeded[reflect101(y + t, h)] = 1;
  const xs = new Int32Array((X1 - X0 + 1) * ksize);
  for (let x = X0, q = 0; x <= X1; x++) for (let t = 0; t < ksize; t++, q++) xs[q] = reflect101(x + t - r, w);
  for (let y = 0; y < h; y++) {
    if (!rowNeeded[y]) continue;
    const base = y * w;
    for (let x = X0, q = 0; x <= X1; x++) {
      let acc = 0;
      for (let t = 0; t < ksize; t++, q++) acc += k[t] * src[base + xs[q]];
      tmp[base + x] = acc;
    }
  }
  const d = out.data;
  const rows = new Int32Array(ksize);
  for (let y = Y0; y <= Y1; y++) {
    for (let t = 0; t < ksize; t++) rows[t] = reflect101(y + t - r, h) * w;
    const o = y * w;
    if (ksize === 5) {
      const [k0, k1, k2, k3, k4] = [k[0], k[1], k[2], k[3], k[4]];
      const [r0, r1, r2, r3, r4] = [rows[0], rows[1], rows[2], rows[3], rows[4]];
      for (let x = X0; x <= X1; x++) {
        // Same summation order as the generic loop.
        let acc = 0;
        acc += k0 * tmp[r0 + x];
        acc += k1 * tmp[r1 + x];
        acc += k2 * tmp[r2 + x];
        acc += k3 * tmp[r3 + x];
        acc += k4 * tmp[r4 + x];
        d[o + x] = saturateU8(acc);
      }
      continue;
    }
    for (let x = X0; x <= X1; x++) {
      let acc = 0;
      for (let t = 0; t < ksize; t++) acc += k[t] * tmp[rows[t] + x];
      d[o + x] = saturateU8(acc);
    }
  }
  return out;
}
