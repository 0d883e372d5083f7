/**
 * Geometric warps with OpenCV's conventions: `warpAffine`, `warpPerspective` and `remap`.
 * Every output pixel (integer coordinates, no half-pixel shift) is sampled from the
 * source at the inverse-mapped location: `dst(x, y) = src(M⁻¹ (x, y))`.
 */
import ndarray from 'ndarray';
import { checkBorderMode, borderIndex, type BorderMode } from './border.js';
import { ImageArgumentError, ImageShapeError } from './errors.js';
import { allocData, contiguous, dtypeOf, imageSize, saturateU8, type Image, type ImageData } from './image.js';
import { invert3x3, invertAffine, toMatrix, type MatrixLike } from './matrix.js';

/** Interpolation used when sampling between pixels. */
export type Interpolation = 'bilinear' | 'nearest';

/** Options shared by {@link warpAffine}, {@link warpPerspective} and {@link remap}. */
export interface WarpOptions {
  /** `bilinear` (default) or `nearest` (rounds the source coordinate). */
  interpolation?: Interpolation;
  /** How source pixels outside the image are defined (default `constant`). */
  border?: BorderMode;
  /** Value of the constant border: one number for all channels or one per channel (default 0). */
  borderValue?: number | ArrayLike<number>;
  /** The matrix already maps dst -> src (OpenCV's `WARP_INVERSE_MAP`); ignored by `remap`. */
  inverse?: boolean;
  /** Preallocated output of shape `[outH, outW, C]` and the source's dtype; written and returned. */
  out?: Image;
}

interface Sampler {
  src: ImageData;
  dst: ImageData;
  w: number;
  h: number;
  c: number;
  mode: BorderMode;
  bv: Float64Array;
  nearest: boolean;
  round: boolean;
}

function makeSampler(src: Image, outW: number, outH: number, opts: WarpOptions): Sampler {
  const { height: h, width: w, channels: c } = imageSize(src);
  if (!Number.isInteger(outW) || outW <= 0 || !Number.isInteger(outH) || outH <= 0) {
    throw new ImageArgumentError(`output size must be positive integers, got ${outW}x${outH}`);
  }
  const mode = opts.border ?? 'constant';
  checkBorderMode(mode);
  const interp = opts.interpolation ?? 'bilinear';
  if (interp !== 'bilinear' && interp !== 'nearest') {
    throw new ImageArgumentError(`unknown interpolation ${JSON.stringify(interp)} (expected bilinear or nearest)`);
  }
  const bv = new Float64Array(c);
  const b = opts.borderValue ?? 0;
  if (typeof b === 'number') bv.fill(b);
  else {
    if (b.length < c) throw new ImageArgumentError(`borderValue has ${b.length} entries, image has ${c} channels`);
    for (let k = 0; k < c; k++) bv[k] = b[k];
  }
  const dtype = dtypeOf(src);
  let dst: ImageData;
  if (opts.out) {
    const o = opts.out;
    const s = imageSize(o);
    if (s.height !== outH || s.width !== outW || s.channels !== c || dtypeOf(o) !== dtype || contiguous(o) !== o) {
      throw new ImageShapeError(
        `out must be a dense ${outH}x${outW}x${c} ${dtype} image, got ${s.height}x${s.width}x${s.channels} ${dtypeOf(o)}`,
      );
    }
    dst = o.data;
  } else {
    dst = allocData(dtype, outH * outW * c);
  }
  return { src: contiguous(src).data, dst, w, h, c, mode, bv, nearest: interp === 'nearest', round: dtype === 'uint8' };
}

/** Samples the source at (sx, sy) into dst[o .. o+c). No allocation. */
function sample(s: Sampler, sx: number, sy: number, o: number): void {
  const { src, dst, w, h, c, mode, bv, round } = s;
  if (s.nearest) {
    let xi = Math.floor(sx + 0.5);
    let yi = Math.floor(sy + 0.5);
    if (xi < 0 || xi >= w || yi < 0 || yi >= h || sx !== sx || sy !== sy) {
      if (mode === 'constant' || sx !== sx || sy !== sy) {
        for (let k = 0; k < c; k++) dst[o + k] = bv[k];
        return;
      }
      xi = borderIndex(xi, w, mode);
      yi = borderIndex(yi, h, mode);
    }
    const p = (yi * w + xi) * c;
    for (let k = 0; k < c; k++) dst[o + k] = src[p + k];
    return;
  }
  if (sx !== sx || sy !== sy) {
    for (let k = 0; k < c; k++) dst[o + k] = round ? saturateU8(bv[k]) : bv[k];
    return;
  }
  const x0 = Math.floor(sx);
  const y0 = Math.floor(sy);
  const fx = sx - x0;
  const fy = sy - y0;
  const w00 = (1 - fx) * (1 - fy);
  const w01 = fx * (1 - fy);
  const w10 = (1 - fx) * fy;
  const w11 = fx * fy;
  if (x0 >= 0 && y0 >= 0 && x0 + 1 < w && y0 + 1 < h) {
    const p00 = (y0 * w + x0) * c;
    const p10 = p00 + w * c;
    for (let k = 0; k < c; k++) {
      const v = w00 * src[p00 + k] + w01 * src[p00 + c + k] + w10 * src[p10 + k] + w11 * src[p10 + c + k];
      dst[o + k] = round ? saturateU8(v) : v;
    }
    return;
  }
  if (x0 < -1 || y0 < -1 || x0 >= w || y0 >= h) {
    if (mode === 'constant') {
      for (let k = 0; k < c; k++) dst[o + k] = round ? saturateU8(bv[k]) : bv[k];
      return;
    }
  }
  const xa = borderIndex(x0, w, mode);
  const xb = borderIndex(x0 + 1, w, mode);
  const ya = borderIndex(y0, h, mode);
  const yb = borderIndex(y0 + 1, h, mode);
  const p00 = ya < 0 || xa < 0 ? -1 : (ya * w + xa) * c;
  const p01 = ya < 0 || xb < 0 ? -1 : (ya * w + xb) * c;
  const p10 = yb < 0 || xa < 0 ? -1 : (yb * w + xa) * c;
  const p11 = yb < 0 || xb < 0 ? -1 : (yb * w + xb) * c;
  for (let k = 0; k < c; k++) {
    const b = bv[k];
    const v =
      w00 * (p00 < 0 ? b : src[p00 + k]) +
      w01 * (p01 < 0 ? b : src[p01 + k]) +
      w10 * (p10 < 0 ? b : src[p10 + k]) +
      w11 * (p11 < 0 ? b : src[p11 + k]);
    dst[o + k] = round ? saturateU8(v) : v;
  }
}

/**
 * Warps an image by a 2x3 affine matrix, like `cv2.warpAffine(src, M, (outW, outH))`.
 * @param src - HWC image (any channel count, uint8/float32/float64); the output has its dtype
 * @param M - 2x3 row-major matrix mapping src -> dst (or dst -> src with `inverse: true`)
 * @param outW - output width
 * @param outH - output height
 * @param opts - interpolation, border, output buffer
 * @throws ImageArgumentError for a singular or malformed matrix or bad sizes
 */
export function warpAffine<D extends ImageData>(
  src: Image<D>,
  M: MatrixLike,
  outW: number,
  outH: number,
  opts: WarpOptions = {},
): Image<D> {
  const s = makeSampler(src, outW, outH, opts);
  const m = opts.inverse ? toMatrix(M, 2, 3, 'affine matrix') : invertAffine(M);
  const [a, b, c0, d, e, f] = m;
  const c = s.c;
  for (let y = 0; y < outH; y++) {
    const bx = b * y + c0;
    const by = e * y + f;
    let o = y * outW * c;
    for (let x = 0; x < outW; x++, o += c) sample(s, a * x + bx, d * x + by, o);
  }
  return (opts.out as Image<D>) ?? ndarray(s.dst as D, [outH, outW, c]);
}

/**
 * Warps an image by a 3x3 homography, like `cv2.warpPerspective(src, H, (outW, outH))`.
 * Dense RGB `uint8` images with bilinear sampling and a constant 0 border (the face
 * alignment's case) take a specialised loop with the same arithmetic.
 * @param src - HWC image; the output has its dtype
 * @param H - 3x3 row-major matrix mapping src -> dst (or dst -> src with `inverse: true`)
 * @param outW - output width
 * @param outH - output height
 * @param opts - interpolation, border, output buffer
 * @throws ImageArgumentError for a singular or malformed matrix or bad sizes
 */
export function warpPerspective<D extends ImageData>(
  src: Image<D>,
  H: MatrixLike,
  outW: number,
  outH: number,
  opts: WarpOptions = {},
): Image<D> {
  const s = makeSampler(src, outW, outH, opts);
  const m = opts.inverse ? toMatrix(H, 3, 3, 'homography') : invert3x3(H);
  if (fastRgb(s)) {
    perspectiveRgbU8(s.src as Uint8Array, undefined, s.w, s.h, m, s.dst as Uint8Array, undefined, outW, outH);
  } else {
    const c = s.c;
    for (let y = 0; y < outH; y++) {
      let o = y * outW * c;
      for (let x = 0; x < outW; x++, o += c) {
        let wz = m[6] * x + m[7] * y + m[8];
        wz = wz !== 0 ? 1 / wz : 0;
        sample(s, (m[0] * x + m[1] * y + m[2]) * wz, (m[3] * x + m[4] * y + m[5]) * wz, o);
      }
    }
  }
  return (opts.out as Image<D>) ?? ndarray(s.dst as D, [outH, outW, s.c]);
}

/** Options of {@link warpPerspectivePair}: those of {@link warpPerspective} (`out` is the first output) and `outB`. */
export interface WarpPairOptions extends WarpOptions {
  /** Preallocated output for the second image (same rules as `out`). */
  outB?: Image;
}

/**
 * Warps two same-sized images by one homography: `[warpPerspective(a, H), warpPerspective(b, H)]`,
 * identical results, with the source coordinates computed once per pixel for both
 * (dense RGB `uint8`, bilinear, constant 0 border; other cases make two calls).
 * Used to align a frame and the frame it was made from on the same canvas.
 * @param a - HWC image
 * @param b - HWC image of `a`'s size, channels and dtype
 * @param opts - as {@link warpPerspective}; `out` receives `a`'s warp, `outB` `b`'s
 * @throws ImageShapeError when `a` and `b` differ in size, channels or dtype
 */
export function warpPerspectivePair<D extends ImageData>(
  a: Image<D>,
  b: Image<D>,
  H: MatrixLike,
  outW: number,
  outH: number,
  opts: WarpPairOptions = {},
): [Image<D>, Image<D>] {
  const sa = imageSize(a);
  const sb = imageSize(b);
  if (sa.height !== sb.height || sa.width !== sb.width || sa.channels !== sb.channels || dtypeOf(a) !== dtypeOf(b)) {
    throw new ImageShapeError(
      `warpPerspectivePair: images are ${sa.height}x${sa.width}x${sa.channels} ${dtypeOf(a)} and ${sb.height}x${sb.width}x${sb.channels} ${dtypeOf(b)}`,
    );
  }
  const { outB, ...optsA } = opts;
  const s = makeSampler(a, outW, outH, optsA);
  const t = makeSampler(b, outW, outH, { ...optsA, out: outB });
  if (!fastRgb(s)) {
    return [warpPerspective(a, H, outW, outH, optsA), warpPerspective(b, H, outW, outH, { ...optsA, out: outB })];
  }
  const m = opts.inverse ? toMatrix(H, 3, 3, 'homography') : invert3x3(H);
  perspectiveRgbU8(s.src as Uint8Array, t.src as Uint8Array, s.w, s.h, m, s.dst as Uint8Array, t.dst as Uint8Array, outW, outH);
  return [
    (opts.out as Image<D>) ?? ndarray(s.dst as D, [outH, outW, 3]),
    (outB as Image<D>) ?? ndarray(t.dst as D, [outH, outW, 3]),
  ];
}

/** Whether a sampler is the specialised case: RGB `uint8`, bilinear, constant border 0. */
function fastRgb(s: Sampler): boolean {
  return s.round && s.c === 3 && !s.nearest && s.mode === 'constant' && s.bv[0] === 0 && s.bv[1] === 0 && s.bv[2] === 0;
}

/**
 * {@link warpPerspective}'s loop for RGB `uint8` sources (bilinear, constant border 0),
 * for one image or two at once (`sB`/`dB`): the same coordinates, weights and rounding
 * as {@link sample} (interior values are convex combinations in [0, 255], so rounding
 * half to even needs no clamp).
 */
function perspectiveRgbU8(
  sA: Uint8Array,
  sB: Uint8Array | undefined,
  w: number,
  h: number,
  m: ArrayLike<number>,
  dA: Uint8Array,
  dB: Uint8Array | undefined,
  outW: number,
  outH: number,
): void {
  const row = w * 3;
  const m0 = m[0];
  const m3 = m[3];
  const m6 = m[6];
  for (let y = 0; y < outH; y++) {
    // m[1]·y etc. are the products warpPerspective's generic loop computes; hoisting them keeps every bit.
    const m1y = m[1] * y;
    const m4y = m[4] * y;
    const m7y = m[7] * y;
    const m2 = m[2];
    const m5 = m[5];
    const m8 = m[8];
    let o = y * outW * 3;
    for (let x = 0; x < outW; x++, o += 3) {
      let wz = m6 * x + m7y + m8;
      wz = wz !== 0 ? 1 / wz : 0;
      const sx = (m0 * x + m1y + m2) * wz;
      const sy = (m3 * x + m4y + m5) * wz;
      // Outside by more than one pixel (or NaN): the border value.
      if (!(sx >= -1 && sy >= -1 && sx < w && sy < h)) {
        dA[o] = dA[o + 1] = dA[o + 2] = 0;
        if (dB !== undefined) dB[o] = dB[o + 1] = dB[o + 2] = 0;
        continue;
      }
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      const w00 = (1 - fx) * (1 - fy);
      const w01 = fx * (1 - fy);
      const w10 = (1 - fx) * fy;
      const w11 = fx * fy;
      if (x0 >= 0 && y0 >= 0 && x0 + 1 < w && y0 + 1 < h) {
        const p00 = y0 * row + x0 * 3;
        const p10 = p00 + row;
        dA[o] = rint(w00 * sA[p00] + w01 * sA[p00 + 3] + w10 * sA[p10] + w11 * sA[p10 + 3]);
        dA[o + 1] = rint(w00 * sA[p00 + 1] + w01 * sA[p00 + 4] + w10 * sA[p10 + 1] + w11 * sA[p10 + 4]);
        dA[o + 2] = rint(w00 * sA[p00 + 2] + w01 * sA[p00 + 5] + w10 * sA[p10 + 2] + w11 * sA[p10 + 5]);
        if (sB !== undefined && dB !== undefined) {
          dB[o] = rint(w00 * sB[p00] + w01 * sB[p00 + 3] + w10 * sB[p10] + w11 * sB[p10 + 3]);
          dB[o + 1] = rint(w00 * sB[p00 + 1] + w01 * sB[p00 + 4] + w10 * sB[p10 + 1] + w11 * sB[p10 + 4]);
          dB[o + 2] = rint(w00 * sB[p00 + 2] + w01 * sB[p00 + 5] + w10 * sB[p10 + 2] + w11 * sB[p10 + 5]);
        }
        continue;
      }
      // On the edge: taps outside the image read the border value 0.
      const p00 = y0 >= 0 && x0 >= 0 ? y0 * row + x0 * 3 : -1;
      const p01 = y0 >= 0 && x0 + 1 < w ? y0 * row + x0 * 3 + 3 : -1;
      const p10 = y0 + 1 < h && x0 >= 0 ? (y0 + 1) * row + x0 * 3 : -1;
      const p11 = y0 + 1 < h && x0 + 1 < w ? (y0 + 1) * row + x0 * 3 + 3 : -1;
      edgeRgb(sA, dA, o, p00, p01, p10, p11, w00, w01, w10, w11);
      if (sB !== undefined && dB !== undefined) edgeRgb(sB, dB, o, p00, p01, p10, p11, w00, w01, w10, w11);
    }
  }
}

/** One edge pixel of {@link perspectiveRgbU8}: taps at offset -1 read 0. */
function edgeRgb(
  s: Uint8Array,
  d: Uint8Array,
  o: number,
  p00: number,
  p01: number,
  p10: number,
  p11: number,
  w00: number,
  w01: number,
  w10: number,
  w11: number,
): void {
  for (let k = 0; k < 3; k++) {
    d[o + k] = saturateU8(
      w00 * (p00 < 0 ? 0 : s[p00 + k]) + w01 * (p01 < 0 ? 0 : s[p01 + k]) + w10 * (p10 < 0 ? 0 : s[p10 + k]) + w11 * (p11 < 0 ? 0 : s[p11 + k]),
    );
  }
}

/** 1.5 · 2^52: adding and subtracting it rounds a double in [0, 2^51) to an integer, half to even. */
const MAGIC = 6755399441055744;

/** {@link saturateU8} for a value already in [0, 255]: rounds half to even. */
function rint(v: number): number {
  return v + MAGIC - MAGIC;
}

/**
 * Samples `src` at per-pixel coordinates, like `cv2.remap(src, mapX, mapY, ...)`:
 * `dst(x, y) = src(mapX[y*W+x], mapY[y*W+x])`. The output size is `outH x outW`.
 * @param mapX - source x for each output pixel, length `outH*outW`
 * @param mapY - source y for each output pixel, length `outH*outW`
 */
export function remap<D extends ImageData>(
  src: Image<D>,
  mapX: ArrayLike<number>,
  mapY: ArrayLike<number>,
  outW: number,
  outH: number,
  opts: WarpOptions = {},
): Image<D> {
  const s = makeSampler(src, outW, outH, opts);
  const n = outW * outH;
  if (mapX.length !== n || mapY.length !== n) {
    throw new ImageShapeError(`remap maps must have ${outH}x${outW} = ${n} entries, got ${mapX.length} and ${mapY.length}`);
  }
  const c = s.c;
  for (let i = 0, o = 0; i < n; i++, o += c) sample(s, mapX[i], mapY[i], o);
  return (opts.out as Image<D>) ?? ndarray(s.dst as D, [outH, outW, c]);
}
