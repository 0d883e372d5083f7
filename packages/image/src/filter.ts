/**
 * Linear filters with OpenCV's conventions: `getGaussianKernel`, `sepFilter2D`,
 * `filter2D` (correlation, anchor at the kernel centre) and `gaussianBlur`.
 * The default border is `reflect101` (OpenCV's `BORDER_DEFAULT`). Arithmetic is float64.
 */
import ndarray from 'ndarray';
import { sepFilter5U8 } from '@caddm/simd';
import { borderIndex, checkBorderMode, type BorderMode } from './border.js';
import { ImageArgumentError, ImageShapeError } from './errors.js';
import {
  allocData,
  contiguous,
  dtypeOf,
  imageSize,
  saturateU8,
  type DTypeMap,
  type Image,
  type ImageData,
  type ImageDType,
} from './image.js';

/** Options of the filters in this module. */
export interface FilterOptions<T extends ImageDType = ImageDType> {
  /** Border mode (default `reflect101`). */
  border?: BorderMode;
  /** Value outside the image for the `constant` border (default 0). */
  borderValue?: number;
  /** Output dtype (default: the source's). `uint8` output is rounded and clamped. */
  dtype?: T;
  /** Preallocated dense output (same size and channels as the source, dtype as above). */
  out?: Image<DTypeMap[T]>;
}

const SMALL_GAUSSIAN: Record<number, number[]> = {
  1: [1],
  3: [0.25, 0.5, 0.25],
  5: [0.0625, 0.25, 0.375, 0.25, 0.0625],
  7: [0.03125, 0.109375, 0.21875, 0.28125, 0.21875, 0.109375, 0.03125],
  9: [4 / 256, 13 / 256, 30 / 256, 51 / 256, 60 / 256, 51 / 256, 30 / 256, 13 / 256, 4 / 256],
};

/**
 * Gaussian filter coefficients, like `cv2.getGaussianKernel(ksize, sigma)`:
 * `exp(-(i - (ksize-1)/2)² / (2σ²))` normalised to sum 1. With `sigma <= 0`, σ is
 * `0.3 * ((ksize-1)/2 - 1) + 0.8`, and sizes 1, 3, 5, 7, 9 use OpenCV 4's fixed tables.
 * @param ksize - odd positive size
 * @param sigma - standard deviation in pixels (<= 0: derived from `ksize`)
 */
export function getGaussianKernel(ksize: number, sigma: number): Float64Array {
  if (!Number.isInteger(ksize) || ksize <= 0 || ksize % 2 === 0) {
    throw new ImageArgumentError(`Gaussian kernel size must be a positive odd integer, got ${ksize}`);
  }
  if (!Number.isFinite(sigma)) throw new ImageArgumentError(`Gaussian sigma must be finite, got ${sigma}`);
  if (sigma <= 0 && SMALL_GAUSSIAN[ksize]) return Float64Array.from(SMALL_GAUSSIAN[ksize]);
  const s = sigma > 0 ? sigma : 0.3 * ((ksize - 1) * 0.5 - 1) + 0.8;
  const scale = -0.5 / (s * s);
  const k = new Float64Array(ksize);
  let sum = 0;
  for (let i = 0; i < ksize; i++) {
    const x = i - (ksize - 1) * 0.5;
    k[i] = Math.exp(scale * x * x);
    sum += k[i];
  }
  for (let i = 0; i < ksize; i++) k[i] /= sum;
  return k;
}

function prepareOutput<T extends ImageDType>(
  src: Image,
  opts: FilterOptions<T>,
): { dst: ImageData; dtype: ImageDType; result: Image } {
  const { height: h, width: w, channels: c } = imageSize(src);
  const dtype: ImageDType = opts.dtype ?? dtypeOf(src);
  if (opts.out) {
    const s = imageSize(opts.out);
    if (s.height !== h || s.width !== w || s.channels !== c || dtypeOf(opts.out) !== dtype || contiguous(opts.out) !== opts.out) {
      throw new ImageShapeError(
        `out must be a dense ${h}x${w}x${c} ${dtype} image, got ${s.height}x${s.width}x${s.channels} ${dtypeOf(opts.out)}`,
      );
    }
    return { dst: opts.out.data, dtype, result: opts.out };
  }
  const dst = allocData(dtype, h * w * c);
  return { dst, dtype, result: ndarray(dst, [h, w, c]) };
}

function checkKernel(k: ArrayLike<number>, name: string): Float64Array {
  if (k == null || k.length === 0) throw new ImageArgumentError(`${name} must be a non-empty array`);
  const out = Float64Array.from(k);
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i])) throw new ImageArgumentError(`${name} has a non-finite entry at index ${i}`);
  }
  return out;
}

/**
 * Applies a separable filter: rows by `kx`, then columns by `ky`, like
 * `cv2.sepFilter2D(src, -1, kx, ky)` (correlation, anchor at the centre `floor(len/2)`).
 * Every channel is filtered independently. When the border adds nothing (any mode but
 * `constant`, or `constant` with value 0), only the box of non-zero samples grown by
 * the kernel is computed: everything else is exactly 0 (masks are mostly zeros).
 * @param src - HWC image
 * @param kx - horizontal coefficients
 * @param ky - vertical coefficients
 */
export function sepFilter2D<T extends ImageDType>(
  src: Image,
  kx: ArrayLike<number>,
  ky: ArrayLike<number>,
  opts: FilterOptions<T> = {},
): Image<DTypeMap[T]> {
  const { height: h, width: w, channels: c } = imageSize(src);
  const KX = checkKernel(kx, 'kx');
  const KY = checkKernel(ky, 'ky');
  const mode = opts.border ?? 'reflect101';
  checkBorderMode(mode);
  const bv = opts.borderValue ?? 0;
  const { dst, dtype, result } = prepareOutput(src, opts);
  const s = contiguous(src).data;
  const nx = KX.length;
  const ny = KY.length;
  const ax = nx >> 1;
  const ay = ny >> 1;
  const rowLen = w * c;
  // Output region [X0, X1] x [Y0, Y1]: the whole image, or the support grown by the kernel.
  let X0 = 0;
  let X1 = w - 1;
  let Y0 = 0;
  let Y1 = h - 1;
  if (mode !== 'constant' || bv === 0) {
    const box = supportBox(s, h, w, c);
    if (box == null) {
      if (opts.out) dst.fill(0);
      return result as Image<DTypeMap[T]>;
    }
    X0 = Math.max(0, box[0] - (nx - 1 - ax));
    X1 = Math.min(w - 1, box[2] + ax);
    Y0 = Math.max(0, box[1] - (ny - 1 - ay));
    Y1 = Math.min(h - 1, box[3] + ay);
    if (opts.out && (X0 > 0 || Y0 > 0 || X1 < w - 1 || Y1 < h - 1)) dst.fill(0);
  }
  const j0 = X0 * c;
  const j1 = (X1 + 1) * c;
  // Source rows the vertical pass reads (-1: the constant border), and their span.
  const rowsOf = new Int32Array((Y1 - Y0 + 1) * ny);
  let r0 = h;
  let r1 = -1;
  for (let y = Y0, q = 0; y <= Y1; y++) {
    for (let t = 0; t < ny; t++, q++) {
      const r = borderIndex(y + t - ay, h, mode);
      rowsOf[q] = r;
      if (r >= 0 && r < r0) r0 = r;
      if (r > r1) r1 = r;
    }
  }
  const xmap = new Int32Array(w + nx - 1);
  for (let i = 0; i < w + nx - 1; i++) xmap[i] = borderIndex(i - ax, w, mode);
  const needed = new Uint8Array(Math.max(0, r1 - r0 + 1));
  for (let q = 0; q < rowsOf.length; q++) if (rowsOf[q] >= 0) needed[rowsOf[q] - r0] = 1;
  // One-channel uint8 with a 5x5 kernel and no constant border (the mask blur): @caddm/simd's
  // kernel, with this function's arithmetic (the same bytes).
  if (
    c === 1 &&
    nx === 5 &&
    ny === 5 &&
    s instanceof Uint8Array &&
    dst instanceof Uint8Array &&
    mode !== 'constant' &&
    sepFilter5U8({ src: s, width: w, height: h, region: { x0: X0, y0: Y0, x1: X1, y1: Y1 }, r0, r1, needed, xmap, rowsOf, kx: KX, ky: KY, dst })
  ) {
    return result as Image<DTypeMap[T]>;
  }
  // Horizontal pass over those rows and the region's columns, into a float64 buffer.
  const tmp = new Float64Array(Math.max(0, r1 - r0 + 1) * rowLen);
  // Columns whose taps all fall inside the image read the row directly.
  const xi0 = Math.max(X0, ax);
  const xi1 = Math.min(X1, w - nx + ax);
  const k0 = KX[0];
  const k1 = KX[1 % nx];
  const k2 = KX[2 % nx];
  const k3 = KX[3 % nx];
  const k4 = KX[4 % nx];
  for (let y = r0; y <= r1; y++) {
    if (needed[y - r0] === 0) continue;
    const rb = y * rowLen;
    const tb = (y - r0) * rowLen;
    for (let x = X0; x <= X1; x++) {
      if (x === xi0 && xi0 <= xi1 && c === 1 && nx === 5) {
        // The mask-blur case: interior columns unrolled (same order of summation).
        for (let p = rb + x - ax, t = tb + x, e = tb + xi1; t <= e; p++, t++) {
          let acc = 0;
          acc += k0 * s[p];
          acc += k1 * s[p + 1];
          acc += k2 * s[p + 2];
          acc += k3 * s[p + 3];
          acc += k4 * s[p + 4];
          tmp[t] = acc;
        }
        x = xi1;
        continue;
      }
      if (x >= xi0 && x <= xi1) {
        for (let k = 0; k < c; k++) {
          let acc = 0;
          for (let t = 0, p = rb + (x - ax) * c + k; t < nx; t++, p += c) acc += KX[t] * s[p];
          tmp[tb + x * c + k] = acc;
        }
        continue;
      }
      for (let k = 0; k < c; k++) {
        let acc = 0;
        for (let t = 0; t < nx; t++) {
          const xi = xmap[x + t];
          acc += KX[t] * (xi < 0 ? bv : s[rb + xi * c + k]);
        }
        tmp[tb + x * c + k] = acc;
      }
    }
  }
  // vertical pass: each output sums its column's taps in kernel order (rows of the
  // constant border add their share at the end).
  let kxSum = 0;
  for (let t = 0; t < nx; t++) kxSum += KX[t];
  const constRow = bv * kxSum;
  const round = dtype === 'uint8';
  const offs = new Int32Array(ny);
  const taps = new Float64Array(ny);
  for (let y = Y0, q = 0; y <= Y1; y++) {
    let constAcc = 0;
    let m = 0;
    for (let t = 0; t < ny; t++, q++) {
      const r = rowsOf[q];
      if (r < 0) constAcc += KY[t] * constRow;
      else {
        offs[m] = (r - r0) * rowLen;
        taps[m++] = KY[t];
      }
    }
    const ob = y * rowLen;
    if (m === 5) {
      const [o0, o1, o2, o3, o4] = offs;
      const [k0, k1, k2, k3, k4] = taps;
      for (let j = j0; j < j1; j++) {
        let acc = 0;
        acc += k0 * tmp[o0 + j];
        acc += k1 * tmp[o1 + j];
        acc += k2 * tmp[o2 + j];
        acc += k3 * tmp[o3 + j];
        acc += k4 * tmp[o4 + j];
        dst[ob + j] = round ? saturateU8(acc + constAcc) : acc + constAcc;
      }
      continue;
    }
    for (let j = j0; j < j1; j++) {
      let acc = 0;
      for (let t = 0; t < m; t++) acc += taps[t] * tmp[offs[t] + j];
      dst[ob + j] = round ? saturateU8(acc + constAcc) : acc + constAcc;
    }
  }
  return result as Image<DTypeMap[T]>;
}

/** A pixel box: columns `x0 <= x < x1`, rows `y0 <= y < y1`. */
export interface PixelBox {
  /** first column */
  x0: number;
  /** first row */
  y0: number;
  /** one past the last column */
  x1: number;
  /** one past the last row */
  y1: number;
}

/**
 * The smallest box holding every pixel with a non-zero sample in any channel (NaN
 * counts as non-zero), or `undefined` for an all-zero image. Rows are scanned inwards
 * from both ends, so an image without zero margins costs about one sample per row.
 */
export function nonZeroBox(img: Image): PixelBox | undefined {
  const { height: h, width: w, channels: c } = imageSize(img);
  const b = supportBox(contiguous(img).data, h, w, c);
  return b && { x0: b[0], y0: b[1], x1: b[2] + 1, y1: b[3] + 1 };
}

/** {@link nonZeroBox} on dense data, inclusive `[x0, y0, x1, y1]`. */
function supportBox(data: ArrayLike<number>, h: number, w: number, c: number): [number, number, number, number] | undefined {
  let x0 = w;
  let x1 = -1;
  let y0 = h;
  let y1 = -1;
  const rowLen = w * c;
  for (let y = 0; y < h; y++) {
    const base = y * rowLen;
    let a = 0;
    while (a < rowLen && data[base + a] === 0) a++;
    if (a === rowLen) continue;
    let e = rowLen - 1;
    while (data[base + e] === 0) e--;
    const xa = (a - (a % c)) / c;
    const xe = (e - (e % c)) / c;
    if (xa < x0) x0 = xa;
    if (xe > x1) x1 = xe;
    if (y < y0) y0 = y;
    y1 = y;
  }
  return x1 < 0 ? undefined : [x0, y0, x1, y1];
}

/**
 * Correlates every channel with a 2-D kernel, like `cv2.filter2D(src, -1, kernel)`
 * (anchor at the centre `(floor(kw/2), floor(kh/2))`; no kernel flip).
 * @param src - HWC image
 * @param kernel - row-major coefficients, `kh * kw` entries
 * @param kw - kernel width
 * @param kh - kernel height
 */
export function filter2D<T extends ImageDType>(
  src: Image,
  kernel: ArrayLike<number>,
  kw: number,
  kh: number,
  opts: FilterOptions<T> = {},
): Image<DTypeMap[T]> {
  const { height: h, width: w, channels: c } = imageSize(src);
  if (!Number.isInteger(kw) || !Number.isInteger(kh) || kw <= 0 || kh <= 0) {
    throw new ImageArgumentError(`kernel size must be positive integers, got ${kw}x${kh}`);
  }
  const K = checkKernel(kernel, 'kernel');
  if (K.length !== kw * kh) throw new ImageArgumentError(`kernel has ${K.length} entries, expected ${kw}x${kh} = ${kw * kh}`);
  const mode = opts.border ?? 'reflect101';
  checkBorderMode(mode);
  const bv = opts.borderValue ?? 0;
  const { dst, dtype, result } = prepareOutput(src, opts);
  const s = contiguous(src).data;
  const ax = kw >> 1;
  const ay = kh >> 1;
  const pw = w + kw - 1;
  const ph = h + kh - 1;
  // padded copy, then a plain correlation
  const pad = new Float64Array(pw * ph * c);
  for (let py = 0; py < ph; py++) {
    const yi = borderIndex(py - ay, h, mode);
    for (let px = 0; px < pw; px++) {
      const xi = borderIndex(px - ax, w, mode);
      const o = (py * pw + px) * c;
      if (yi < 0 || xi < 0) for (let k = 0; k < c; k++) pad[o + k] = bv;
      else for (let k = 0; k < c; k++) pad[o + k] = s[(yi * w + xi) * c + k];
    }
  }
  const round = dtype === 'uint8';
  const rowLen = w * c;
  const prow = pw * c;
  for (let y = 0; y < h; y++) {
    for (let j = 0; j < rowLen; j++) {
      let acc = 0;
      for (let ty = 0; ty < kh; ty++) {
        const base = (y + ty) * prow + j;
        const kb = ty * kw;
        for (let tx = 0; tx < kw; tx++) acc += K[kb + tx] * pad[base + tx * c];
      }
      dst[y * rowLen + j] = round ? saturateU8(acc) : acc;
    }
  }
  return result as Image<DTypeMap[T]>;
}

/**
 * Gaussian blur, like `cv2.GaussianBlur(src, (kw, kh), sigmaX, sigmaY)`.
 * A kernel size of 0 is derived from sigma as OpenCV does (`round(σ·(uint8 ? 3 : 4)·2 + 1) | 1`);
 * `sigmaY` defaults to `sigmaX`; a sigma <= 0 is derived from the kernel size.
 * @param src - HWC image
 * @param ksize - odd size, or `[kw, kh]`
 * @param sigmaX - horizontal standard deviation
 * @param sigmaY - vertical standard deviation (default `sigmaX`)
 */
export function gaussianBlur<T extends ImageDType>(
  src: Image,
  ksize: number | [number, number],
  sigmaX: number,
  sigmaY = 0,
  opts: FilterOptions<T> = {},
): Image<DTypeMap[T]> {
  let [kw, kh] = typeof ksize === 'number' ? [ksize, ksize] : ksize;
  if (!(sigmaY > 0)) sigmaY = sigmaX;
  const mult = dtypeOf(src) === 'uint8' ? 3 : 4;
  if (kw <= 0 && sigmaX > 0) kw = Math.round(sigmaX * mult * 2 + 1) | 1;
  if (kh <= 0 && sigmaY > 0) kh = Math.round(sigmaY * mult * 2 + 1) | 1;
  if (!(kw > 0 && kh > 0)) {
    throw new ImageArgumentError(`gaussianBlur needs a kernel size or a positive sigma, got ksize ${String(ksize)}, sigma ${sigmaX}`);
  }
  return sepFilter2D(src, getGaussianKernel(kw, sigmaX), getGaussianKernel(kh, sigmaY), opts);
}
