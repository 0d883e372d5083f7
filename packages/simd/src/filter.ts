import { kernels, reserveLayout } from './module.js';

/** Arguments of {@link sepFilter5U8}. */
export interface SepFilter5U8Args {
  /** Dense one-channel uint8 source, `height · width` values. */
  readonly src: Uint8Array;
  readonly width: number;
  readonly height: number;
  /** Output region, inclusive: columns `x0..x1`, rows `y0..y1` (the rest of `dst` is set to 0). */
  readonly region: { readonly x0: number; readonly y0: number; readonly x1: number; readonly y1: number };
  /** Source rows `r0..r1` hold every row the vertical pass reads. */
  readonly r0: number;
  readonly r1: number;
  /** 1 for the rows of `r0..r1` that are read (only those are filtered horizontally). */
  readonly needed: Uint8Array;
  /** Source column of padded column i (`width + 4` values, each in `0..width−1`). */
  readonly xmap: Int32Array;
  /** The five source rows of each output row `y0..y1` (5 per row, each in `r0..r1`). */
  readonly rowsOf: Int32Array;
  /** Horizontal and vertical taps (5 each). */
  readonly kx: ArrayLike<number>;
  readonly ky: ArrayLike<number>;
  /** Dense output, `height · width` values. */
  readonly dst: Uint8Array;
}

/**
 * A separable 5x5 filter of a one-channel uint8 image (the mask blur of alpha blending) on
 * the f64x2 kernel, with `@caddm/image`'s `sepFilter2D` arithmetic (float64 taps summed in
 * kernel order, rounded half to even, saturated): the same bytes, about 3x faster. Returns
 * false, writing nothing, when the kernels are unavailable.
 * @throws RangeError when sizes, maps or the region disagree
 */
export function sepFilter5U8(args: SepFilter5U8Args): boolean {
  const { src, width: w, height: h, region, r0, r1, needed, xmap, rowsOf, kx, ky, dst } = args;
  if (!(w > 0 && h > 0) || src.length !== w * h || dst.length !== w * h) throw new RangeError(`sepFilter5U8: src and dst must hold ${h}x${w} values`);
  const { x0, y0, x1, y1 } = region;
  if (!(0 <= x0 && x0 <= x1 && x1 < w && 0 <= y0 && y0 <= y1 && y1 < h)) throw new RangeError(`sepFilter5U8: bad region ${JSON.stringify(region)}`);
  if (!(0 <= r0 && r0 <= r1 && r1 < h) || needed.length < r1 - r0 + 1) throw new RangeError(`sepFilter5U8: bad source rows ${r0}..${r1}`);
  if (xmap.length < w + 4 || rowsOf.length < (y1 - y0 + 1) * 5) throw new RangeError('sepFilter5U8: xmap needs width + 4 entries, rowsOf 5 per output row');
  if (kx.length !== 5 || ky.length !== 5) throw new RangeError('sepFilter5U8: kx and ky need 5 taps');
  const k = kernels();
  if (k == null) return false;
  const nr = r1 - r0 + 1;
  const ny = y1 - y0 + 1;
  // Layout: taps, xmap, rowsOf, needed, padded row, source, tmp (+ one f64 read past a row), dst.
  const [K, XM, RO, NE, RF, S, T, D] = reserveLayout(k, [80, (w + 4) * 4, ny * 5 * 4, nr, (w + 6) * 8, w * h, nr * w * 8 + 16, w * h + 2]);
  const buf = k.memory.buffer;
  const taps = new Float64Array(buf, K, 10);
  for (let i = 0; i < 5; i++) {
    taps[i] = kx[i];
    taps[5 + i] = ky[i];
  }
  new Int32Array(buf, XM, w + 4).set(xmap.subarray(0, w + 4));
  new Int32Array(buf, RO, ny * 5).set(rowsOf.subarray(0, ny * 5));
  const u8 = new Uint8Array(buf);
  u8.set(needed.subarray(0, nr), NE);
  u8.set(src, S);
  k.sepFilter5U8(S, w, h, x0, x1, y0, y1, r0, r1, NE, XM, RO, K, RF, T, D);
  dst.set(u8.subarray(D, D + w * h));
  return true;
}
