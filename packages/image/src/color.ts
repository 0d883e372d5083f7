/**
 * Colour conversions with OpenCV's conventions. `uint8` images reproduce OpenCV's
 * fixed-point `cvtColor` results exactly; float images use the same scale as `uint8`
 * (0..255, hue 0..180) without rounding.
 */
import ndarray from 'ndarray';
import { ImageArgumentError } from './errors.js';
import { allocData, assertChannels, contiguous, dtypeOf, saturateU8, type Image, type ImageData } from './image.js';

const SHIFT = 14;
const HALF = 1 << (SHIFT - 1);
// cv::RGB2YCrCb fixed-point coefficients (yuv_shift = 14)
const R2Y = 4899;
const G2Y = 9617;
const B2Y = 1868;
const CR = 11682; // 0.713
const CB = 9241; // 0.564
const CR2R = 22987; // 1.403
const CR2G = -11698; // -0.714
const CB2G = -5636; // -0.344
const CB2B = 29049; // 1.773
// cv::RGB2Gray<uchar> uses 15-bit coefficients summing to 32768
const GRAY_SHIFT = 15;
const R2Y15 = 9798;
const G2Y15 = 19235;
const B2Y15 = 3735;

function like<D extends ImageData>(img: Image<D>, c: number): D {
  const [h, w] = img.shape;
  return allocData(dtypeOf(img), h * w * c) as D;
}

/**
 * RGB to one-channel grey, like `cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)`:
 * `Y = 0.299 R + 0.587 G + 0.114 B` (fixed-point and rounded for `uint8`).
 */
export function rgbToGray<D extends ImageData>(img: Image<D>): Image<D> {
  assertChannels(img, [3], 'rgbToGray');
  const src = contiguous(img).data;
  const [h, w] = img.shape;
  const out = like(img, 1);
  const n = h * w;
  if (src instanceof Uint8Array) {
    for (let i = 0, j = 0; i < n; i++, j += 3) out[i] = (src[j] * R2Y15 + src[j + 1] * G2Y15 + src[j + 2] * B2Y15 + (1 << (GRAY_SHIFT - 1))) >> GRAY_SHIFT;
  } else {
    for (let i = 0, j = 0; i < n; i++, j += 3) out[i] = 0.299 * src[j] + 0.587 * src[j + 1] + 0.114 * src[j + 2];
  }
  return ndarray(out, [h, w, 1]);
}

/** Channel order of the luma/chroma images: OpenCV's `ycrcb` or the usual `ycbcr`. */
export type ChromaOrder = 'ycbcr' | 'ycrcb';

function checkOrder(order: string): void {
  if (order !== 'ycbcr' && order !== 'ycrcb') {
    throw new ImageArgumentError(`chroma order must be 'ycbcr' or 'ycrcb', got ${JSON.stringify(order)}`);
  }
}

/**
 * RGB to luma/chroma with OpenCV's `COLOR_RGB2YCrCb` coefficients
 * (`Y = .299R + .587G + .114B`, `Cr = (R-Y)·.713 + 128`, `Cb = (B-Y)·.564 + 128`).
 * @param order - output channel order: `ycbcr` (default) or OpenCV's `ycrcb`
 */
export function rgbToYCbCr<D extends ImageData>(img: Image<D>, order: ChromaOrder = 'ycbcr'): Image<D> {
  assertChannels(img, [3], 'rgbToYCbCr');
  checkOrder(order);
  const src = contiguous(img).data;
  const [h, w] = img.shape;
  const out = like(img, 3);
  const n = h * w * 3;
  const [iCr, iCb] = order === 'ycrcb' ? [1, 2] : [2, 1];
  if (src instanceof Uint8Array) {
    const delta = 128 << SHIFT;
    for (let j = 0; j < n; j += 3) {
      const r = src[j];
      const b = src[j + 2];
      const y = (r * R2Y + src[j + 1] * G2Y + b * B2Y + HALF) >> SHIFT;
      out[j] = y;
      out[j + iCr] = saturateU8(((r - y) * CR + delta + HALF) >> SHIFT);
      out[j + iCb] = saturateU8(((b - y) * CB + delta + HALF) >> SHIFT);
    }
  } else {
    for (let j = 0; j < n; j += 3) {
      const r = src[j];
      const b = src[j + 2];
      const y = 0.299 * r + 0.587 * src[j + 1] + 0.114 * b;
      out[j] = y;
      out[j + iCr] = (r - y) * 0.713 + 128;
      out[j + iCb] = (b - y) * 0.564 + 128;
    }
  }
  return ndarray(out, [h, w, 3]);
}

/**
 * Luma/chroma back to RGB, like `cv2.cvtColor(img, cv2.COLOR_YCrCb2RGB)`.
 * @param order - input channel order: `ycbcr` (default) or OpenCV's `ycrcb`
 */
export function yCbCrToRgb<D extends ImageData>(img: Image<D>, order: ChromaOrder = 'ycbcr'): Image<D> {
  assertChannels(img, [3], 'yCbCrToRgb');
  checkOrder(order);
  const src = contiguous(img).data;
  const [h, w] = img.shape;
  const out = like(img, 3);
  const n = h * w * 3;
  const [iCr, iCb] = order === 'ycrcb' ? [1, 2] : [2, 1];
  if (src instanceof Uint8Array) {
    for (let j = 0; j < n; j += 3) {
      const y = src[j];
      const cr = src[j + iCr] - 128;
      const cb = src[j + iCb] - 128;
      out[j] = saturateU8(y + ((cr * CR2R + HALF) >> SHIFT));
      out[j + 1] = saturateU8(y + ((cb * CB2G + cr * CR2G + HALF) >> SHIFT));
      out[j + 2] = saturateU8(y + ((cb * CB2B + HALF) >> SHIFT));
    }
  } else {
    for (let j = 0; j < n; j += 3) {
      const y = src[j];
      const cr = src[j + iCr] - 128;
      const cb = src[j + iCb] - 128;
      out[j] = y + 1.403 * cr;
      out[j + 1] = y - 0.714 * cr - 0.344 * cb;
      out[j + 2] = y + 1.773 * cb;
    }
  }
  return ndarray(out, [h, w, 3]);
}

// OpenCV's division tables for 8-bit RGB -> HSV (hsv_shift = 12, hue range 180)
const HSV_SHIFT = 12;
let sdiv: Int32Array | undefined;
let hdiv: Int32Array | undefined;
function hsvTables(): [Int32Array, Int32Array] {
  if (!sdiv || !hdiv) {
    sdiv = new Int32Array(256);
    hdiv = new Int32Array(256);
    for (let i = 1; i < 256; i++) {
      sdiv[i] = saturateInt((255 << HSV_SHIFT) / i);
      hdiv[i] = saturateInt((180 << HSV_SHIFT) / (6 * i));
    }
  }
  return [sdiv, hdiv];
}
function saturateInt(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && (r & 1) === 1 ? r - 1 : r;
}

/**
 * RGB to HSV, like `cv2.cvtColor(img, cv2.COLOR_RGB2HSV)`: H in [0, 180), S and V in [0, 255]
 * (exact fixed-point for `uint8`; the same scale unrounded for float images).
 */
export function rgbToHsv<D extends ImageData>(img: Image<D>): Image<D> {
  assertChannels(img, [3], 'rgbToHsv');
  const src = contiguous(img).data;
  const [h, w] = img.shape;
  const out = like(img, 3);
  const n = h * w * 3;
  if (src instanceof Uint8Array) {
    const [sd, hd] = hsvTables();
    const half = 1 << (HSV_SHIFT - 1);
    for (let j = 0; j < n; j += 3) {
      const r = src[j];
      const g = src[j + 1];
      const b = src[j + 2];
      const v = r > g ? (r > b ? r : b) : g > b ? g : b;
      const vmin = r < g ? (r < b ? r : b) : g < b ? g : b;
      const diff = v - vmin;
      let hh: number;
      if (v === r) hh = g - b;
      else if (v === g) hh = b - r + 2 * diff;
      else hh = r - g + 4 * diff;
      const s = (diff * sd[v] + half) >> HSV_SHIFT;
      hh = (hh * hd[diff] + half) >> HSV_SHIFT;
      if (hh < 0) hh += 180;
      out[j] = hh;
      out[j + 1] = s;
      out[j + 2] = v;
    }
  } else {
    for (let j = 0; j < n; j += 3) {
      const r = src[j];
      const g = src[j + 1];
      const b = src[j + 2];
      const v = Math.max(r, g, b);
      const diff = v - Math.min(r, g, b);
      const s = v > 0 ? (255 * diff) / v : 0;
      let hh = 0;
      if (diff > 0) {
        if (v === r) hh = (g - b) / diff;
        else if (v === g) hh = (b - r) / diff + 2;
        else hh = (r - g) / diff + 4;
        hh *= 30;
        if (hh < 0) hh += 180;
      }
      out[j] = hh;
      out[j + 1] = s;
      out[j + 2] = v;
    }
  }
  return ndarray(out, [h, w, 3]);
}

// OpenCV's sector table: indices into [v, p, q, t] for (b, g, r)
const SECTOR = Int32Array.of(1, 3, 0, 1, 0, 2, 3, 0, 1, 0, 2, 1, 0, 1, 3, 2, 1, 0);

/**
 * HSV back to RGB, like `cv2.cvtColor(img, cv2.COLOR_HSV2RGB)` (H in [0, 180), S, V in [0, 255]).
 * `uint8` output is rounded like OpenCV.
 */
export function hsvToRgb<D extends ImageData>(img: Image<D>): Image<D> {
  assertChannels(img, [3], 'hsvToRgb');
  const src = contiguous(img).data;
  const [h, w] = img.shape;
  const out = like(img, 3);
  const n = h * w * 3;
  const isU8 = src instanceof Uint8Array;
  // OpenCV computes in float32: mirror that so uint8 results round identically
  const f = isU8 ? Math.fround : (x: number): number => x;
  const hscale = f(6 / 180);
  const s255 = f(1 / 255);
  const tab = new Float64Array(4);
  for (let j = 0; j < n; j += 3) {
    let hh = f(src[j] * hscale);
    const s = f(src[j + 1] * s255);
    const v = f(src[j + 2] * s255);
    let r: number;
    let g: number;
    let b: number;
    if (s === 0) {
      r = g = b = v;
    } else {
      while (hh < 0) hh = f(hh + 6);
      while (hh >= 6) hh = f(hh - 6);
      let sector = Math.floor(hh);
      hh = f(hh - sector);
      if (sector < 0 || sector >= 6) {
        sector = 0;
        hh = 0;
      }
      tab[0] = v;
      tab[1] = f(v * f(1 - s));
      tab[2] = f(v * f(1 - f(s * hh)));
      tab[3] = f(v * f(1 - f(s * f(1 - hh))));
      const si = sector * 3;
      b = tab[SECTOR[si]];
      g = tab[SECTOR[si + 1]];
      r = tab[SECTOR[si + 2]];
    }
    if (isU8) {
      out[j] = saturateU8(f(r * 255));
      out[j + 1] = saturateU8(f(g * 255));
      out[j + 2] = saturateU8(f(b * 255));
    } else {
      out[j] = r * 255;
      out[j + 1] = g * 255;
      out[j + 2] = b * 255;
    }
  }
  return ndarray(out, [h, w, 3]);
}
