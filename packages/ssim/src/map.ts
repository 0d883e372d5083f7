/**
 * Per-pixel SSIM and DSSIM maps, computed in one fused, allocation-free pass:
 * separable Gaussian window (horizontal pass of the five moments into scratch rows,
 * vertical pass fused with the SSIM formula), OpenCV `filter2D`'s reflect-101 border.
 */
import ndarray from 'ndarray';
import {
  ImageArgumentError,
  ImageShapeError,
  assertSameSize,
  contiguous,
  dtypeOf,
  imageSize,
  type Image,
  type ImageF64,
} from '@caddm/image';
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
  /**
   * @internal ring of `2·radius + 1` rows of horizontally filtered moments, interleaved per sample:
   * mu_a, mu_b, E[a²], E[b²], E[ab]
   */
  readonly moments: Float64Array;
  /** @internal one padded row of a and of b */
  readonly padded: Float64Array;
  /** @internal reflect-101 column map of the padded row */
  readonly colMap: Int32Array;
  /** @internal reflect-101 row map */
  readonly rowMap: Int32Array;
  /** @internal ring offsets of the window rows for the current output row */
  readonly ring: Int32Array;
}

/**
 * Allocates scratch memory for maps of `height x width x channels` with a window of the given radius
 * (default 5, the 11x11 window).
 */
export function createSsimScratch(height: number, width: number, channels: number, radius = 5): SsimScratch {
  for (const [name, v] of [['height', height], ['width', width], ['channels', channels]] as const) {
    if (!Number.isInteger(v) || v <= 0) throw new ImageArgumentError(`${name} must be a positive integer, got ${v}`);
  }
  if (!Number.isInteger(radius) || radius < 0) throw new ImageArgumentError(`radius must be a non-negative integer, got ${radius}`);
  const colMap = new Int32Array(width + 2 * radius);
  for (let i = 0; i < colMap.length; i++) colMap[i] = reflect101(i - radius, width);
  const rowMap = new Int32Array(height + 2 * radius);
  for (let i = 0; i < rowMap.length; i++) rowMap[i] = reflect101(i - radius, height);
  return {
    height,
    width,
    channels,
    radius,
    moments: new Float64Array(5 * (2 * radius + 1) * width * channels),
    padded: new Float64Array(2 * (width + 2 * radius) * channels),
    colMap,
    rowMap,
    ring: new Int32Array(2 * radius + 1),
  };
}

function reflect101(i: number, n: number): number {
  if (n === 1) return 0;
  for (;;) {
    if (i < 0) i = -i;
    else if (i >= n) i = 2 * n - 2 - i;
    else return i;
  }
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
  let scratch = opts.scratch;
  if (scratch) {
    if (scratch.height !== h || scratch.width !== w || scratch.channels !== c || scratch.radius !== r) {
      throw new ImageShapeError(
        `scratch fits ${scratch.height}x${scratch.width}x${scratch.channels} (radius ${scratch.radius}), images are ${h}x${w}x${c} (radius ${r})`,
      );
    }
  } else {
    scratch = createSsimScratch(h, w, c, r);
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
  const A = contiguous(a).data;
  const B = contiguous(b).data;
  const ring = 2 * r + 1;
  const rowLen = 5 * w * c;
  const horizontal = r === 5 ? horizontalRow5 : horizontalRow;
  const vertical = r === 5 ? verticalRow5 : verticalRow;
  // rows are filtered horizontally into a small ring (cache-resident) just before the
  // vertical pass needs them: output row y needs input rows y-r .. y+r (reflected)
  let next = 0;
  for (let y = 0; y < h; y++) {
    const need = Math.min(h - 1, y + r);
    for (; next <= need; next++) horizontal(A, B, next, (next % ring) * rowLen, scratch, params);
    vertical(y, scratch, params, out, dssim);
  }
  return opts.out ?? ndarray(out, [h, w, c]);
}

/**
 * Horizontal Gaussian pass of a, b, a², b², ab over input row `y` (reflect-101 columns),
 * written interleaved at `moments[dst + 5·j + q]` for q = mu_a, mu_b, E[a²], E[b²], E[ab].
 */
function horizontalRow(
  A: ArrayLike<number>,
  B: ArrayLike<number>,
  y: number,
  dst: number,
  s: SsimScratch,
  p: ResolvedParams,
): void {
  const { width: w, channels: c, radius: r, moments: M, padded: P, colMap } = s;
  const g = p.kernel;
  const n = w * c;
  const pb = (w + 2 * r) * c; // offset of b's padded row
  const g0 = g[r];
  const rowOff = y * n;
  for (let i = 0, q = 0; i < w + 2 * r; i++) {
    const src = rowOff + colMap[i] * c;
    for (let k = 0; k < c; k++, q++) {
      P[q] = A[src + k];
      P[pb + q] = B[src + k];
    }
  }
  for (let j = 0, o = dst; j < n; j++, o += 5) {
    const cj = j + r * c;
    const ac = P[cj];
    const bc = P[pb + cj];
    let sa = g0 * ac;
    let sb = g0 * bc;
    let saa = sa * ac;
    let sbb = sb * bc;
    let sab = sa * bc;
    for (let t = 0, lo = j, hi = j + 2 * r * c; t < r; t++, lo += c, hi -= c) {
      const gt = g[t];
      const al = P[lo];
      const ar = P[hi];
      const bl = P[pb + lo];
      const br = P[pb + hi];
      sa += gt * (al + ar);
      sb += gt * (bl + br);
      saa += gt * (al * al + ar * ar);
      sbb += gt * (bl * bl + br * br);
      sab += gt * (al * bl + ar * br);
    }
    M[o] = sa;
    M[o + 1] = sb;
    M[o + 2] = saa;
    M[o + 3] = sbb;
    M[o + 4] = sab;
  }
}

/** Vertical Gaussian pass of the five moments for output row `y`, fused with the SSIM formula. */
function verticalRow(y: number, s: SsimScratch, p: ResolvedParams, out: Float64Array, dssim: boolean): void {
  const { width: w, channels: c, radius: r, moments: M, rowMap, ring } = s;
  const g = p.kernel;
  const { c1, c2 } = p;
  const n = w * c;
  const n5 = n * 5;
  const g0 = g[r];
  const size = 2 * r + 1;
  for (let t = 0; t < r; t++) {
    ring[t] = (rowMap[y + t] % size) * n5;
    ring[r + t] = (rowMap[y + 2 * r - t] % size) * n5;
  }
  const centre = (y % size) * n5;
  for (let j = 0, o = y * n, m = 0; j < n; j++, o++, m += 5) {
    const mc = centre + m;
    let ma = g0 * M[mc];
    let mb = g0 * M[mc + 1];
    let eaa = g0 * M[mc + 2];
    let ebb = g0 * M[mc + 3];
    let eab = g0 * M[mc + 4];
    for (let t = 0; t < r; t++) {
      const l = ring[t] + m;
      const u = ring[r + t] + m;
      const gt = g[t];
      ma += gt * (M[l] + M[u]);
      mb += gt * (M[l + 1] + M[u + 1]);
      eaa += gt * (M[l + 2] + M[u + 2]);
      ebb += gt * (M[l + 3] + M[u + 3]);
      eab += gt * (M[l + 4] + M[u + 4]);
    }
    const mab = ma * mb;
    const maa = ma * ma;
    const mbb = mb * mb;
    const v = ((2 * mab + c1) * (2 * (eab - mab) + c2)) / ((maa + mbb + c1) * (eaa - maa + ebb - mbb + c2));
    if (dssim) {
      const d = (1 - v) / 2;
      out[o] = d < 0 ? -d : d;
    } else {
      out[o] = v;
    }
  }
}

/** {@link horizontalRow} unrolled for the 11-tap window (radius 5), the reference's case. */
function horizontalRow5(
  A: ArrayLike<number>,
  B: ArrayLike<number>,
  y: number,
  dst: number,
  s: SsimScratch,
  p: ResolvedParams,
): void {
  const { width: w, channels: c, moments: M, padded: P, colMap } = s;
  const g = p.kernel;
  const k0 = g[0], k1 = g[1], k2 = g[2], k3 = g[3], k4 = g[4], k5 = g[5];
  const n = w * c;
  const pb = (w + 10) * c;
  const c2 = 2 * c, c3 = 3 * c, c4 = 4 * c, c5 = 5 * c, c6 = 6 * c, c7 = 7 * c, c8 = 8 * c, c9 = 9 * c, c10 = 10 * c;
  const rowOff = y * n;
  for (let i = 0, q = 0; i < w + 10; i++) {
    const src = rowOff + colMap[i] * c;
    for (let k = 0; k < c; k++, q++) {
      P[q] = A[src + k];
      P[pb + q] = B[src + k];
    }
  }
  for (let j = 0, o = dst; j < n; j++, o += 5) {
    const a0 = P[j], a1 = P[j + c], a2 = P[j + c2], a3 = P[j + c3], a4 = P[j + c4], a5 = P[j + c5];
    const a6 = P[j + c6], a7 = P[j + c7], a8 = P[j + c8], a9 = P[j + c9], a10 = P[j + c10];
    const jb = pb + j;
    const b0 = P[jb], b1 = P[jb + c], b2 = P[jb + c2], b3 = P[jb + c3], b4 = P[jb + c4], b5 = P[jb + c5];
    const b6 = P[jb + c6], b7 = P[jb + c7], b8 = P[jb + c8], b9 = P[jb + c9], b10 = P[jb + c10];
    M[o] = k0 * (a0 + a10) + k1 * (a1 + a9) + k2 * (a2 + a8) + k3 * (a3 + a7) + k4 * (a4 + a6) + k5 * a5;
    M[o + 1] = k0 * (b0 + b10) + k1 * (b1 + b9) + k2 * (b2 + b8) + k3 * (b3 + b7) + k4 * (b4 + b6) + k5 * b5;
    M[o + 2] =
      k0 * (a0 * a0 + a10 * a10) + k1 * (a1 * a1 + a9 * a9) + k2 * (a2 * a2 + a8 * a8) +
      k3 * (a3 * a3 + a7 * a7) + k4 * (a4 * a4 + a6 * a6) + k5 * a5 * a5;
    M[o + 3] =
      k0 * (b0 * b0 + b10 * b10) + k1 * (b1 * b1 + b9 * b9) + k2 * (b2 * b2 + b8 * b8) +
      k3 * (b3 * b3 + b7 * b7) + k4 * (b4 * b4 + b6 * b6) + k5 * b5 * b5;
    M[o + 4] =
      k0 * (a0 * b0 + a10 * b10) + k1 * (a1 * b1 + a9 * b9) + k2 * (a2 * b2 + a8 * b8) +
      k3 * (a3 * b3 + a7 * b7) + k4 * (a4 * b4 + a6 * b6) + k5 * a5 * b5;
  }
}

/** {@link verticalRow} unrolled for the 11-tap window (radius 5). */
function verticalRow5(y: number, s: SsimScratch, p: ResolvedParams, out: Float64Array, dssim: boolean): void {
  const { width: w, channels: c, moments: M, rowMap } = s;
  const g = p.kernel;
  const k0 = g[0], k1 = g[1], k2 = g[2], k3 = g[3], k4 = g[4], k5 = g[5];
  const { c1, c2 } = p;
  const n = w * c;
  const n5 = n * 5;
  const r0 = (rowMap[y] % 11) * n5, r1 = (rowMap[y + 1] % 11) * n5, r2 = (rowMap[y + 2] % 11) * n5;
  const r3 = (rowMap[y + 3] % 11) * n5, r4 = (rowMap[y + 4] % 11) * n5, r5 = (y % 11) * n5;
  const r6 = (rowMap[y + 6] % 11) * n5, r7 = (rowMap[y + 7] % 11) * n5, r8 = (rowMap[y + 8] % 11) * n5;
  const r9 = (rowMap[y + 9] % 11) * n5, r10 = (rowMap[y + 10] % 11) * n5;
  for (let j = 0, o = y * n, m = 0; j < n; j++, o++, m += 5) {
    let i0 = r0 + m, i1 = r1 + m, i2 = r2 + m, i3 = r3 + m, i4 = r4 + m, i5 = r5 + m;
    let i6 = r6 + m, i7 = r7 + m, i8 = r8 + m, i9 = r9 + m, i10 = r10 + m;
    const ma = k0 * (M[i0] + M[i10]) + k1 * (M[i1] + M[i9]) + k2 * (M[i2] + M[i8]) + k3 * (M[i3] + M[i7]) + k4 * (M[i4] + M[i6]) + k5 * M[i5];
    i0++, i1++, i2++, i3++, i4++, i5++, i6++, i7++, i8++, i9++, i10++;
    const mb = k0 * (M[i0] + M[i10]) + k1 * (M[i1] + M[i9]) + k2 * (M[i2] + M[i8]) + k3 * (M[i3] + M[i7]) + k4 * (M[i4] + M[i6]) + k5 * M[i5];
    i0++, i1++, i2++, i3++, i4++, i5++, i6++, i7++, i8++, i9++, i10++;
    const eaa = k0 * (M[i0] + M[i10]) + k1 * (M[i1] + M[i9]) + k2 * (M[i2] + M[i8]) + k3 * (M[i3] + M[i7]) + k4 * (M[i4] + M[i6]) + k5 * M[i5];
    i0++, i1++, i2++, i3++, i4++, i5++, i6++, i7++, i8++, i9++, i10++;
    const ebb = k0 * (M[i0] + M[i10]) + k1 * (M[i1] + M[i9]) + k2 * (M[i2] + M[i8]) + k3 * (M[i3] + M[i7]) + k4 * (M[i4] + M[i6]) + k5 * M[i5];
    i0++, i1++, i2++, i3++, i4++, i5++, i6++, i7++, i8++, i9++, i10++;
    const eab = k0 * (M[i0] + M[i10]) + k1 * (M[i1] + M[i9]) + k2 * (M[i2] + M[i8]) + k3 * (M[i3] + M[i7]) + k4 * (M[i4] + M[i6]) + k5 * M[i5];
    const mab = ma * mb;
    const maa = ma * ma;
    const mbb = mb * mb;
    const v = ((2 * mab + c1) * (2 * (eab - mab) + c2)) / ((maa + mbb + c1) * (eaa - maa + ebb - mbb + c2));
    if (dssim) {
      const d = (1 - v) / 2;
      out[o] = d < 0 ? -d : d;
    } else {
      out[o] = v;
    }
  }
}
