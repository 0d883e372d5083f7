import { kernels, reserveLayout } from './module.js';

/** Rows of a uint8 HWC image: row y holds `width · channels` values from `offset + y · rowStride`. */
export interface RowsU8 {
  readonly data: Uint8Array;
  readonly offset: number;
  readonly rowStride: number;
}

/** Arguments of {@link ssimMapU8}. */
export interface SsimMapU8Args {
  readonly a: RowsU8;
  readonly b: RowsU8;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  /** The 11 taps of the (symmetric) window; taps 6..10 must mirror 4..0. */
  readonly window: ArrayLike<number>;
  /** Source row of padded row i (i = 0 .. height + 9), the border rule (e.g. reflect-101). */
  readonly rowMap: Int32Array;
  /** Source column of padded column i (i = 0 .. width + 9). */
  readonly colMap: Int32Array;
  readonly c1: number;
  readonly c2: number;
  /** DSSIM `|(1 − SSIM) / 2|` instead of SSIM. */
  readonly dssim: boolean;
  /** Dense output, `height · width · channels` values. */
  readonly out: Float64Array;
}

/**
 * Per-pixel SSIM or DSSIM of two uint8 images with an 11x11 separable window, on the
 * f64x2 kernel (about 3x the scalar JS sweep of `@caddm/ssim`; the same arithmetic in
 * float64, equal to it within rounding). Returns false, writing nothing, when the
 * kernels are unavailable (then use a scalar implementation).
 * @throws RangeError when sizes or maps disagree
 */
export function ssimMapU8(args: SsimMapU8Args): boolean {
  const { height: h, width: w, channels: c, window: g, rowMap, colMap, out } = args;
  if (!(h > 0 && w > 0 && c > 0) || !Number.isInteger(h) || !Number.isInteger(w) || !Number.isInteger(c)) {
    throw new RangeError(`ssimMapU8: bad size ${h}x${w}x${c}`);
  }
  if (g.length !== 11) throw new RangeError(`ssimMapU8: the window needs 11 taps, got ${g.length}`);
  if (rowMap.length < h + 10 || colMap.length < w + 10) throw new RangeError('ssimMapU8: rowMap needs height + 10 entries, colMap width + 10');
  const n = w * c;
  if (out.length < h * n) throw new RangeError(`ssimMapU8: out holds ${out.length} values, needs ${h * n}`);
  for (const [name, img] of [['a', args.a], ['b', args.b]] as const) {
    if (img.offset < 0 || img.rowStride < n || img.offset + (h - 1) * img.rowStride + n > img.data.length) {
      throw new RangeError(`ssimMapU8: ${name} has ${img.data.length} values, too few for ${h} rows of ${n} at stride ${img.rowStride}`);
    }
  }
  const k = kernels();
  if (k == null) return false;
  const n2 = (n + 1) & ~1;
  const L = (w + 10) * c + 2;
  // Layout: A, B (uint8), P, ring, rowMap, colMap, rows, out (+1 value of slack).
  const [A, B, P, ring, rm, cm, rows, o] = reserveLayout(k, [h * n, h * n, 4 * L * 8, 11 * 4 * n2 * 8, (h + 10) * 4, (w + 10) * 4, 11 * 4, (h * n + 2) * 8]);
  const buf = k.memory.buffer;
  const u8 = new Uint8Array(buf);
  for (const [dst, img] of [[A, args.a], [B, args.b]] as const) {
    if (img.rowStride === n) u8.set(img.data.subarray(img.offset, img.offset + h * n), dst);
    else for (let y = 0; y < h; y++) u8.set(img.data.subarray(img.offset + y * img.rowStride, img.offset + y * img.rowStride + n), dst + y * n);
  }
  new Int32Array(buf, rm, h + 10).set(rowMap.subarray(0, h + 10));
  new Int32Array(buf, cm, w + 10).set(colMap.subarray(0, w + 10));
  k.setWindow(g[0], g[1], g[2], g[3], g[4], g[5]);
  k.ssimMapU8(A, B, h, w, c, P, ring, rm, cm, rows, o, args.c1, args.c2, args.dssim ? 1 : 0);
  out.set(new Float64Array(k.memory.buffer, o, h * n));
  return true;
}
