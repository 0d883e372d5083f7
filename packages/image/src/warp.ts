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
import { warpPerspectiveFixedU8, type DenseU8 } from './warp-fixed.js';

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
 * `uint8` images with bilinear sampling and a constant border follow OpenCV's fixed-point
 * arithmetic (positions rounded to 1/32 pixel, 15-bit integer weights; see
 * `warp-fixed.ts`) and equal `cv2.warpPerspective` bit for bit; RGB with a 0 border (the
 * face alignment's case) runs on a SIMD kernel. Other cases sample in float64.
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
  if (fixedPoint(s)) {
    warpPerspectiveFixedU8(dense(s), undefined, m, s.dst as Uint8Array, undefined, outW, outH, s.bv);
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
 * identical results, in one pass for RGB `uint8` images with a 0 border (one kernel call,
 * positions and weights computed once for both). Used to align a frame and the frame it
 * was made from on the same canvas.
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
  if (!fixedPoint(s)) {
    return [warpPerspective(a, H, outW, outH, optsA), warpPerspective(b, H, outW, outH, { ...optsA, out: outB })];
  }
  const m = opts.inverse ? toMatrix(H, 3, 3, 'homography') : invert3x3(H);
  warpPerspectiveFixedU8(dense(s), dense(t), m, s.dst as Uint8Array, t.dst as Uint8Array, outW, outH, s.bv);
  return [
    (opts.out as Image<D>) ?? ndarray(s.dst as D, [outH, outW, s.c]),
    (outB as Image<D>) ?? ndarray(t.dst as D, [outH, outW, s.c]),
  ];
}

/** Whether a sampler takes OpenCV's fixed-point path: `uint8`, bilinear, constant border. */
function fixedPoint(s: Sampler): boolean {
  return s.round && !s.nearest && s.mode === 'constant';
}

/** The sampler's (dense) source. */
function dense(s: Sampler): DenseU8 {
  return { data: s.src as Uint8Array, w: s.w, h: s.h, c: s.c };
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
