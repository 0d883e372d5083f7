import { kernels, reserveLayout } from './module.js';

/** Arguments of {@link warpPerspectiveRgbU8}. */
export interface WarpPerspectiveRgbU8Args {
  /** Dense RGB uint8 source, `height · width · 3` values. */
  readonly src: Uint8Array;
  /** A second source of the same size, warped by the same homography (optional). */
  readonly srcB?: Uint8Array;
  readonly width: number;
  readonly height: number;
  /** The dst -> src homography, 9 values row-major. */
  readonly inverse: ArrayLike<number>;
  /** Dense outputs, `outHeight · outWidth · 3` values (`dstB` with `srcB`). */
  readonly dst: Uint8Array;
  readonly dstB?: Uint8Array;
  readonly outWidth: number;
  readonly outHeight: number;
  /**
   * The bilinear weights of each 1/32-pixel fraction: 1024 entries of 4 int16
   * (top-left, top-right, bottom-left, bottom-right, summing to 2^15), indexed by
   * `fy · 32 + fx`, as OpenCV's table (built by `@caddm/image`).
   */
  readonly weights: Int16Array;
  /** The column block width of OpenCV's coordinate sums (its results depend on it). */
  readonly blockWidth: number;
}

/** The weight table in the kernel's layout, per `weights` array (built once each). */
const expanded = new WeakMap<Int16Array, Int16Array>();

/** Each entry as two i16x8 vectors: `[w0, w1] x 3, 0, 0` and `[w2, w3] x 3, 0, 0`. */
function kernelTable(weights: Int16Array): Int16Array {
  let t = expanded.get(weights);
  if (t == null) {
    t = new Int16Array(1024 * 16);
    for (let i = 0; i < 1024; i++) {
      for (let k = 0; k < 3; k++) {
        t[i * 16 + 2 * k] = weights[i * 4];
        t[i * 16 + 2 * k + 1] = weights[i * 4 + 1];
        t[i * 16 + 8 + 2 * k] = weights[i * 4 + 2];
        t[i * 16 + 8 + 2 * k + 1] = weights[i * 4 + 3];
      }
    }
    expanded.set(weights, t);
  }
  return t;
}

/**
 * Warps an RGB uint8 image (or two of one size) by a homography with OpenCV's fixed-point
 * bilinear arithmetic and a constant 0 border, on the SIMD kernel: the same results as
 * the scalar twin in `@caddm/image` (and `cv2.warpPerspective`), bit for bit. Returns
 * false, writing nothing, when the kernels are unavailable.
 * @throws RangeError when sizes, buffers or the table disagree
 */
export function warpPerspectiveRgbU8(args: WarpPerspectiveRgbU8Args): boolean {
  const { src, srcB, width: w, height: h, inverse: m, dst, dstB, outWidth: ow, outHeight: oh, weights, blockWidth } = args;
  for (const [name, v] of [['width', w], ['height', h], ['outWidth', ow], ['outHeight', oh], ['blockWidth', blockWidth]] as const) {
    if (!Number.isInteger(v) || v <= 0) throw new RangeError(`warpPerspectiveRgbU8: ${name} must be a positive integer, got ${v}`);
  }
  const n = w * h * 3;
  const no = ow * oh * 3;
  if (src.length !== n || (srcB != null && srcB.length !== n)) throw new RangeError(`warpPerspectiveRgbU8: sources must hold ${h}x${w}x3 = ${n} values`);
  if (dst.length !== no || (dstB != null && dstB.length !== no)) throw new RangeError(`warpPerspectiveRgbU8: outputs must hold ${oh}x${ow}x3 = ${no} values`);
  if ((srcB == null) !== (dstB == null)) throw new RangeError('warpPerspectiveRgbU8: srcB and dstB go together');
  if (m.length !== 9) throw new RangeError(`warpPerspectiveRgbU8: the homography needs 9 values, got ${m.length}`);
  if (weights.length !== 4096) throw new RangeError(`warpPerspectiveRgbU8: the weight table needs 1024x4 values, got ${weights.length}`);
  const k = kernels();
  if (k == null) return false;
  const table = kernelTable(weights);
  const two = srcB != null && dstB != null;
  // Layout: homography, table, sources (+8 bytes read past a row end), outputs (+4 bytes written past the last pixel).
  const [M, T, A, B, DA, DB] = reserveLayout(k, [72, table.byteLength, n + 8, two ? n + 8 : 0, no + 4, two ? no + 4 : 0]);
  const buf = k.memory.buffer;
  const f64 = new Float64Array(buf, M, 9);
  for (let i = 0; i < 9; i++) f64[i] = m[i];
  new Int16Array(buf, T, table.length).set(table);
  const u8 = new Uint8Array(buf);
  u8.set(src, A);
  if (two) u8.set(srcB, B);
  k.warpPerspectiveRgbU8(A, two ? B : 0, w, h, M, DA, two ? DB : 0, ow, oh, T, blockWidth);
  dst.set(u8.subarray(DA, DA + no));
  if (two) dstB.set(u8.subarray(DB, DB + no));
  return true;
}
