/**
 * Per-pixel SSIM and DSSIM maps in one fused, allocation-free sweep.
 *
 * SSIM needs only four windowed moments: E[a], E[b], E[a² + b²] and E[ab]
 * (`σa² + σb² = E[a² + b²] - μa² - μb²`). Each input row is filtered horizontally
 * (separable Gaussian, symmetric taps folded) into a ring of `2r + 1` rows that stays in
 * cache; each output row then takes one vertical pass over the ring and the SSIM formula.
 * Borders are reflect-101 like OpenCV's `filter2D` default. For uint8 images and the 11-tap
 * window the same sweep runs on `@caddm/simd`'s f64x2 WebAssembly kernel (about 3x faster,
 * equal within float64 rounding); `CADDM_SIMD=0` keeps this scalar one.
 */
import ndarray from 'ndarray';
import {
  ImageArgumentError,
  ImageShapeError,
  assertSameSize,
  borderIndex,
  contiguous,
  dtypeOf,
  imageSize,
  type Image,
  type ImageF64,
} from '@caddm/image';
import { ssimMapU8, type RowsU8 } from '@caddm/simd';
import { resolveParams, type ResolvedParams, type SsimParams } from './options.js';

/** Reusable working memory for {@link ssimMap} / {@link dssimMap} at one image size. */
export interface SsimScratch {
  /** Image height this scratch fits. */
  readonly height: number;
  /** Image width this scratch fits. */
  readonly width: number;
  /** Channel count this scratch fits. */
  readonly channels: number;
  /** Window radius this scratch fits. */
  readonly radius: number;
  /** @internal ring of `2·radius + 1` horizontally filtered rows, 4 moments interleaved per sample */
  readonly ring: Float64Array;
  /** @internal one padded input row per moment source: a, b, a² + b², ab (planes) */
  readonly padded: Float64Array;
  /** @internal vertically filtered moments of the current output row */
  readonly vrow: Float64Array;
  /** @internal reflect-101 column map of the padded row */
  readonly colMap: Int32Array;
  /** @internal reflect-101 row map (index y + radius for row y) */
  readonly rowMap: Int32Array;
  /** @internal ring offsets of the window rows of the current output row */
  readonly rowOffsets: Int32Array;
}

/**
 * Allocates scratch memory for maps of `height x width x channels` with a window of the given
 * radius (default 5, the 11x11 window). About `(2·radius + 6) · 4 · width · channels` float64s.
 */
export function createSsimScratch(height: number, width: number, channels: number, radius = 5): SsimScratch {
  for (const [name, v] of [['height', height], ['width', width], ['channels', channels]] as const) {
    if (!Number.isInteger(v) || v <= 0) throw new ImageArgumentError(`${name} must be a positive integer, got ${v}`);
  }
  if (!Number.isInteger(radius) || radius < 0) throw new ImageArgumentError(`radius must be a non-negative integer, got ${radius}`);
  const colMap = borderMap(width, radius);
  const rowMap = borderMap(height, radius);
  const n = width * channels;
  return {
    height,
    width,
    channels,
    radius,
    ring: new Float64Array((2 * radius + 1) * 4 * n),
    padded: new Float64Array(4 * (width + 2 * radius) * channels),
    vrow: new Float64Array(4 * n),
    colMap,
    rowMap,
    rowOffsets: new Int32Array(2 * radius + 1),
  };
}

/** Source index of padded index i (0 .. n + 2r − 1) under reflect-101 borders. */
function borderMap(n: number, radius: number): Int32Array {
  const map = new Int32Array(n + 2 * radius);
  for (let i = 0; i < map.length; i++) map[i] = borderIndex(i - radius, n, 'reflect101');
  return map;
}

/** Options of {@link ssimMap} and {@link dssimMap}. */
export interface SsimMapOptions extends SsimParams {
  /** Dense float64 output of the inputs' shape; written and returned (no allocation). */
  out?: ImageF64;
  /** Scratch from {@link createSsimScratch} for this size; allocated per call when absent. */
  scratch?: SsimScratch;
}

/**
 * Per-pixel, per-channel SSIM of two same-sized HWC images (uint8 or float, values on the
 * `dataRange` scale): `((2 μa μb + C1)(2 σab + C2)) / ((μa² + μb² + C1)(σa² + σb² + C2))`
 * with Gaussian-weighted moments (11x11, σ = 1.5 by default) and reflect-101 borders,
 * as the reference computes it with `cv2.filter2D`.
 * @returns float64 image of the inputs' shape
 * @throws ImageShapeError when the images differ in size
 */
export function ssimMap(a: Image, b: Image, opts: SsimMapOptions = {}): ImageF64 {
  return computeMap(a, b, opts, false);
}

/**
 * Per-pixel, per-channel structural dissimilarity `|(1 - SSIM) / 2|` (the reference's `cal_dssim`),
 * in [0, 1]. Same window, constants and borders as {@link ssimMap}.
 * @returns float64 image of the inputs' shape
 * @throws ImageShapeError when the images differ in size
 */
export function dssimMap(a: Image, b: Image, opts: SsimMapOptions = {}): ImageF64 {
  return computeMap(a, b, opts, true);
}

function computeMap(a: Image, b: Image, opts: SsimMapOptions, dssim: boolean): ImageF64 {
  assertSameSize(a, b);
  const { height: h, width: w, channels: c } = imageSize(a);
  const params = resolveParams(opts);
  const r = params.radius;
  const given = opts.scratch;
  if (given && (given.height !== h || given.width !== w || given.channels !== c || given.radius !== r)) {
    throw new ImageShapeError(
      `scratch fits ${given.height}x${given.width}x${given.channels} (radius ${given.radius}), images are ${h}x${w}x${c} (radius ${r})`,
    );
  }
  let out: Float64Array;
  if (opts.out) {
    const s = imageSize(opts.out);
    if (s.height !== h || s.width !== w || s.channels !== c || dtypeOf(opts.out) !== 'float64' || contiguous(opts.out) !== opts.out) {
      throw new ImageShapeError(`out must be a dense ${h}x${w}x${c} float64 image, got ${s.height}x${s.width}x${s.channels} ${dtypeOf(opts.out)}`);
    }
    out = opts.out.data;
  } else {
    out = new Float64Array(h * w * c);
  }
  if (r === 5 && dtypeOf(a) === 'uint8' && dtypeOf(b) === 'uint8') {
    const ra = rowsOf(a as Image<Uint8Array>);
    const rb = rowsOf(b as Image<Uint8Array>);
    const simd =
      ra != null &&
      rb != null &&
      ssimMapU8({
        a: ra,
        b: rb,
        height: h,
        width: w,
        channels: c,
        window: params.kernel,
        rowMap: given?.rowMap ?? borderMap(h, r),
        colMap: given?.colMap ?? borderMap(w, r),
        c1: params.c1,
        c2: params.c2,
        dssim,
        out,
      });
    if (simd) return opts.out ?? ndarray(out, [h, w, c]);
  }
  const scratch = given ?? createSsimScratch(h, w, c, r);
  const A = contiguous(a).data;
  const B = contiguous(b).data;
  requireFinite(A, 'a', w, c);
  requireFinite(B, 'b', w, c);
  const size = 2 * r + 1;
  const rowLen = 4 * w * c;
  const horizontal = r === 5 ? horizontalRow5 : horizontalRow;
  const vertical = r === 5 ? verticalRow5 : verticalRow;
  // output row y needs input rows y-r .. y+r (reflected), all within the last 2r+1 computed
  let next = 0;
  for (let y = 0; y < h; y++) {
    const need = Math.min(h - 1, y + r);
    for (; next <= need; next++) {
      fillPadded(A, B, next, scratch);
      horizontal((next % size) * rowLen, scratch, params);
    }
    vertical(y, scratch, params);
    ssimRow(scratch.vrow, out, y * w * c, w * c, params, dssim);
  }
  return opts.out ?? ndarray(out, [h, w, c]);
}

/** The rows of a uint8 HWC view whose rows are runs of `width · channels` values, else undefined. */
function rowsOf(img: Image<Uint8Array>): RowsU8 | undefined {
  const [, sy, sx, sc] = [0, ...img.stride];
  const c = img.shape[2] ?? 1;
  if (img.shape.length === 3 ? sc !== 1 || sx !== c : sx !== 1) return undefined;
  if (sy < img.shape[1] * c) return undefined;
  return { data: img.data, offset: img.offset, rowStride: sy };
}

/** Copies input row y into the four padded planes a, b, a² + b², ab (reflect-101 columns). */
function fillPadded(A: ArrayLike<number>, B: ArrayLike<number>, y: number, s: SsimScratch): void {
  const { width: w, channels: c, radius: r, padded: P, colMap } = s;
  const L = (w + 2 * r) * c;
  const rowOff = y * w * c;
  for (let i = 0, q = 0; i < w + 2 * r; i++) {
    const src = rowOff + colMap[i] * c;
    for (let k = 0; k < c; k++, q++) {
      const av = A[src + k];
      const bv = B[src + k];
      P[q] = av;
      P[L + q] = bv;
      P[2 * L + q] = av * av + bv * bv;
      P[3 * L + q] = av * bv;
    }
  }
}

/** Horizontal Gaussian of the four padded planes into ring row `dst` (4 moments per sample). */
function horizontalRow(dst: number, s: SsimScratch, p: ResolvedParams): void {
  const { width: w, channels: c, radius: r, ring: M, padded: P } = s;
  const g = p.kernel;
  const n = w * c;
  const L = (w + 2 * r) * c;
  const g0 = g[r];
  for (let q = 0; q < 4; q++) {
    const base = q * L;
    for (let j = 0, o = dst + q; j < n; j++, o += 4) {
      const x = base + j;
      let acc = g0 * P[x + r * c];
      for (let t = 0, lo = x, hi = x + 2 * r * c; t < r; t++, lo += c, hi -= c) acc += g[t] * (P[lo] + P[hi]);
      M[o] = acc;
    }
  }
}

/** Vertical Gaussian over the ring rows of output row y into `vrow`. */
function verticalRow(y: number, s: SsimScratch, p: ResolvedParams): void {
  const { width: w, channels: c, radius: r, ring: M, rowMap, rowOffsets: off, vrow: V } = s;
  const g = p.kernel;
  const n4 = 4 * w * c;
  const size = 2 * r + 1;
  for (let t = 0; t < size; t++) off[t] = (rowMap[y + t] % size) * n4;
  const g0 = g[r];
  const centre = off[r];
  for (let m = 0; m < n4; m++) {
    let acc = g0 * M[centre + m];
    for (let t = 0; t < r; t++) acc += g[t] * (M[off[t] + m] + M[off[2 * r - t] + m]);
    V[m] = acc;
  }
}

/** {@link horizontalRow} unrolled for the 11-tap window (radius 5), the reference's case. */
function horizontalRow5(dst: number, s: SsimScratch, p: ResolvedParams): void {
  const { width: w, channels: c, ring: M, padded: P } = s;
  const g = p.kernel;
  const k0 = g[0], k1 = g[1], k2 = g[2], k3 = g[3], k4 = g[4], k5 = g[5];
  const n = w * c;
  const L = (w + 10) * c;
  const c2 = 2 * c, c3 = 3 * c, c4 = 4 * c, c5 = 5 * c, c6 = 6 * c, c7 = 7 * c, c8 = 8 * c, c9 = 9 * c, c10 = 10 * c;
  for (let j = 0, o = dst; j < n; j++, o += 4) {
    let x = j;
    M[o] = k0 * (P[x] + P[x + c10]) + k1 * (P[x + c] + P[x + c9]) + k2 * (P[x + c2] + P[x + c8]) + k3 * (P[x + c3] + P[x + c7]) + k4 * (P[x + c4] + P[x + c6]) + k5 * P[x + c5];
    x += L;
    M[o + 1] = k0 * (P[x] + P[x + c10]) + k1 * (P[x + c] + P[x + c9]) + k2 * (P[x + c2] + P[x + c8]) + k3 * (P[x + c3] + P[x + c7]) + k4 * (P[x + c4] + P[x + c6]) + k5 * P[x + c5];
    x += L;
    M[o + 2] = k0 * (P[x] + P[x + c10]) + k1 * (P[x + c] + P[x + c9]) + k2 * (P[x + c2] + P[x + c8]) + k3 * (P[x + c3] + P[x + c7]) + k4 * (P[x + c4] + P[x + c6]) + k5 * P[x + c5];
    x += L;
    M[o + 3] = k0 * (P[x] + P[x + c10]) + k1 * (P[x + c] + P[x + c9]) + k2 * (P[x + c2] + P[x + c8]) + k3 * (P[x + c3] + P[x + c7]) + k4 * (P[x + c4] + P[x + c6]) + k5 * P[x + c5];
  }
}

/** {@link verticalRow} unrolled for the 11-tap window (radius 5). */
function verticalRow5(y: number, s: SsimScratch, p: ResolvedParams): void {
  const { width: w, channels: c, ring: M, rowMap, vrow: V } = s;
  const g = p.kernel;
  const k0 = g[0], k1 = g[1], k2 = g[2], k3 = g[3], k4 = g[4], k5 = g[5];
  const n4 = 4 * w * c;
  const r0 = (rowMap[y] % 11) * n4, r1 = (rowMap[y + 1] % 11) * n4, r2 = (rowMap[y + 2] % 11) * n4;
  const r3 = (rowMap[y + 3] % 11) * n4, r4 = (rowMap[y + 4] % 11) * n4, r5 = (rowMap[y + 5] % 11) * n4;
  const r6 = (rowMap[y + 6] % 11) * n4, r7 = (rowMap[y + 7] % 11) * n4, r8 = (rowMap[y + 8] % 11) * n4;
  const r9 = (rowMap[y + 9] % 11) * n4, r10 = (rowMap[y + 10] % 11) * n4;
  for (let m = 0; m < n4; m++) {
    V[m] =
      k0 * (M[r0 + m] + M[r10 + m]) + k1 * (M[r1 + m] + M[r9 + m]) + k2 * (M[r2 + m] + M[r8 + m]) +
      k3 * (M[r3 + m] + M[r7 + m]) + k4 * (M[r4 + m] + M[r6 + m]) + k5 * M[r5 + m];
  }
}

/** The SSIM formula over one row of windowed moments (μa, μb, E[a² + b²], E[ab] per sample). */
function ssimRow(V: Float64Array, out: Float64Array, o: number, n: number, p: ResolvedParams, dssim: boolean): void {
  const { c1, c2 } = p;
  if (dssim) {
    for (let j = 0, m = 0; j < n; j++, m += 4) {
      const ma = V[m];
      const mb = V[m + 1];
      const mab = ma * mb;
      const mqq = ma * ma + mb * mb;
      const v = ((2 * mab + c1) * (2 * (V[m + 3] - mab) + c2)) / ((mqq + c1) * (V[m + 2] - mqq + c2));
      const d = (1 - v) / 2;
      out[o + j] = d < 0 ? -d : d;
    }
  } else {
    for (let j = 0, m = 0; j < n; j++, m += 4) {
      const ma = V[m];
      const mb = V[m + 1];
      const mab = ma * mb;
      const mqq = ma * ma + mb * mb;
      out[o + j] = ((2 * mab + c1) * (2 * (V[m + 3] - mab) + c2)) / ((mqq + c1) * (V[m + 2] - mqq + c2));
    }
  }
}

/**
 * Refuses a float image with a NaN or infinite pixel, which would otherwise
 * spread through the Gaussian window into its whole neighbourhood of the map.
 */
function requireFinite(data: ArrayLike<number>, which: 'a' | 'b', w: number, c: number): void {
  if (data instanceof Uint8Array || data instanceof Uint8ClampedArray) return;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      const p = Math.floor(i / c);
      throw new ImageArgumentError(`image ${which} has a non-finite value ${data[i]} at row ${Math.floor(p / w)}, column ${p % w}, channel ${i % c}; SSIM needs finite pixels`);
    }
  }
}
