/**
 * OpenCV's fixed-point bilinear warp of `uint8` images (what `cv2.warpPerspective` does
 * with `INTER_LINEAR` on 8-bit data), reproduced bit for bit:
 *
 * - the source position of each output pixel is computed in float64 from the inverse
 *   homography, with OpenCV's sums relative to blocks of `blockWidth` columns, and
 *   rounded (half to even) to 1/32 pixel;
 * - the four taps are weighted by 15-bit integers from a 1024-entry table indexed by
 *   that 1/32-pixel fraction, and the sum is rounded as `(s + 2^14) >> 15`;
 * - taps outside the image read the constant border value.
 *
 * RGB images with a 0 border run on `@caddm/simd`'s kernel (one or two images per call);
 * the scalar loop here is its twin and handles every channel count and border value.
 */
import { warpPerspectiveRgbU8 } from '@caddm/simd';
import { rint, saturateU8 } from './image.js';

let table: Int16Array | undefined;

/** Float32 product, as OpenCV's `float` arithmetic. */
const f32 = Math.fround;

/**
 * OpenCV's bilinear weight table for 8-bit images (`BilinearTab_i`): for each fraction
 * `(fy, fx)` in 1/32 pixels, entry `fy · 32 + fx` holds four int16 weights (top-left,
 * top-right, bottom-left, bottom-right). They are the float32 products `(1−fy)(1−fx)` etc.
 * scaled by 2^15, rounded and saturated to int16, then corrected to sum to 2^15 the way
 * OpenCV's `initInterTab2D` does, including its quirk for 2x2 kernels: the correction
 * scans the entry's last weight and three values past it (the next entry, still zero),
 * so a rounding deficit goes to the last weight (the bottom-right one). For
 * example the entry of an integer position is `[32767, 0, 0, 1]`. Built once.
 */
export function bilinearWeightsI16(): Int16Array {
  if (table != null) return table;
  const one = new Float32Array(64);
  const scale = f32(1 / 32);
  for (let i = 0; i < 32; i++) {
    const x = f32(i * scale);
    one[2 * i] = f32(1 - x);
    one[2 * i + 1] = x;
  }
  // Four spare values: the correction may write into the entry after the last one.
  const t = new Int16Array(1024 * 4 + 4);
  for (let i = 0; i < 32; i++) {
    for (let j = 0; j < 32; j++) {
      const b = (i * 32 + j) * 4;
      let sum = 0;
      for (let k1 = 0; k1 < 2; k1++) {
        for (let k2 = 0; k2 < 2; k2++) {
          const v = Math.max(-32768, Math.min(32767, rint(f32(f32(one[2 * i + k1] * one[2 * j + k2]) * 32768))));
          t[b + 2 * k1 + k2] = v;
          sum += v;
        }
      }
      if (sum === 32768) continue;
      // OpenCV scans k1, k2 in ksize/2 .. ksize/2 + 1 = 1..2: offsets 3..6 from the entry.
      let lo = b + 3;
      let hi = b + 3;
      for (const k of [b + 3, b + 4, b + 5, b + 6]) {
        if (t[k] < t[lo]) lo = k;
        else if (t[k] > t[hi]) hi = k;
      }
      if (sum < 32768) t[hi] -= sum - 32768;
      else t[lo] -= sum - 32768;
    }
  }
  table = t.subarray(0, 4096);
  return table;
}

/** The column block width of OpenCV's `warpPerspective` for an `outW x outH` output (its coordinate sums depend on it). */
export function opencvBlockWidth(outW: number, outH: number): number {
  const bh = Math.min(16, outH);
  return Math.min(Math.floor(1024 / bh), outW);
}

/** A dense uint8 image: its data and size. */
export interface DenseU8 {
  data: Uint8Array;
  w: number;
  h: number;
  c: number;
}

/**
 * Warps `a` (and `b`, of the same size, when given) by the dst -> src homography `m`
 * into `outA` (`outB`) of `outW x outH`, with OpenCV's fixed-point bilinear arithmetic
 * and constant border `border` (one value per channel, saturated to uint8).
 */
export function warpPerspectiveFixedU8(
  a: DenseU8,
  b: DenseU8 | undefined,
  m: ArrayLike<number>,
  outA: Uint8Array,
  outB: Uint8Array | undefined,
  outW: number,
  outH: number,
  border: ArrayLike<number>,
): void {
  const weights = bilinearWeightsI16();
  const blockWidth = opencvBlockWidth(outW, outH);
  let zero = true;
  for (let k = 0; k < a.c; k++) if (saturateU8(border[k]) !== 0) zero = false;
  if (a.c === 3 && zero) {
    const done = warpPerspectiveRgbU8({
      src: a.data,
      srcB: b?.data,
      width: a.w,
      height: a.h,
      inverse: m,
      dst: outA,
      dstB: b != null ? outB : undefined,
      outWidth: outW,
      outHeight: outH,
      weights,
      blockWidth,
    });
    if (done) return;
  }
  perspectiveFixedU8(a, m, outA, outW, outH, border);
  if (b != null && outB != null) perspectiveFixedU8(b, m, outB, outW, outH, border);
}

/**
 * The scalar twin of `@caddm/simd`'s kernel, for any channel count and border value:
 * what {@link warpPerspectiveFixedU8} runs when the kernel does not apply or is unavailable.
 */
export function perspectiveFixedU8(
  s: DenseU8,
  m: ArrayLike<number>,
  dst: Uint8Array,
  outW: number,
  outH: number,
  border: ArrayLike<number>,
): void {
  const T = bilinearWeightsI16();
  const bw0 = opencvBlockWidth(outW, outH);
  const { data: src, w, h, c } = s;
  const cval = Int32Array.from({ length: c }, (_, k) => saturateU8(border[k]));
  const row = w * c;
  const [m0, m1, m2, m3, m4, m5, m6, m7, m8] = Array.from({ length: 9 }, (_, i) => m[i]);
  for (let y = 0; y < outH; y++) {
    for (let xb = 0; xb < outW; xb += bw0) {
      const bw = Math.min(bw0, outW - xb);
      const X0 = m0 * xb + m1 * y + m2;
      const Y0 = m3 * xb + m4 * y + m5;
      const W0 = m6 * xb + m7 * y + m8;
      let o = (y * outW + xb) * c;
      for (let x1 = 0; x1 < bw; x1++, o += c) {
        let W = W0 + m6 * x1;
        W = W !== 0 ? 32 / W : 0;
        const X = rint(Math.max(-2147483648, Math.min(2147483647, (X0 + m0 * x1) * W)));
        const Y = rint(Math.max(-2147483648, Math.min(2147483647, (Y0 + m3 * x1) * W)));
        const sx = X >> 5;
        const sy = Y >> 5;
        if (sx >= w || sx + 1 < 0 || sy >= h || sy + 1 < 0) {
          for (let k = 0; k < c; k++) dst[o + k] = cval[k];
          continue;
        }
        const t = (((Y & 31) << 5) | (X & 31)) << 2;
        const w0 = T[t];
        const w1 = T[t + 1];
        const w2 = T[t + 2];
        const w3 = T[t + 3];
        const p = sy * row + sx * c;
        const left = sx >= 0;
        const right = sx + 1 < w;
        const top = sy >= 0;
        const bottom = sy + 1 < h;
        for (let k = 0; k < c; k++) {
          const b = cval[k];
          const v00 = left && top ? src[p + k] : b;
          const v01 = right && top ? src[p + c + k] : b;
          const v10 = left && bottom ? src[p + row + k] : b;
          const v11 = right && bottom ? src[p + row + c + k] : b;
          const v = (v00 * w0 + v01 * w1 + v10 * w2 + v11 * w3 + 16384) >> 15;
          dst[o + k] = v < 0 ? 0 : v > 255 ? 255 : v;
        }
      }
    }
  }
}
