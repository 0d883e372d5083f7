/**
 * The image type: an `ndarray` view of shape `[H, W, C]` (HWC, row-major) over a
 * typed array. C is 3 for RGB and 1 for masks. Float images hold values on the
 * same 0..255 scale as `uint8` images unless a function says otherwise.
 */
import ndarray from 'ndarray';
import { ImageArgumentError, ImageChannelError, ImageShapeError } from './errors.js';

/** Typed arrays an {@link Image} may be backed by. */
export type ImageData = Uint8Array | Float32Array | Float64Array;

/** Element type names, as `ndarray`'s `dtype` reports them. */
export type ImageDType = 'uint8' | 'float32' | 'float64';

/** An HWC image: an `ndarray` of shape `[height, width, channels]`. */
export type Image<D extends ImageData = ImageData> = ndarray.NdArray<D>;

/** 8-bit image. */
export type ImageU8 = Image<Uint8Array>;
/** 32-bit float image. */
export type ImageF32 = Image<Float32Array>;
/** 64-bit float image. */
export type ImageF64 = Image<Float64Array>;

/** Maps a dtype name to its typed array. */
export interface DTypeMap {
  /** 8-bit unsigned */
  uint8: Uint8Array;
  /** 32-bit float */
  float32: Float32Array;
  /** 64-bit float */
  float64: Float64Array;
}

function checkDim(name: string, v: number): void {
  if (!Number.isInteger(v) || v <= 0) {
    throw new ImageArgumentError(`${name} must be a positive integer, got ${v}`);
  }
}

/** Allocates a zero-filled typed array of the given dtype. */
export function allocData<T extends ImageDType>(dtype: T, length: number): DTypeMap[T] {
  switch (dtype) {
    case 'uint8':
      return new Uint8Array(length) as DTypeMap[T];
    case 'float32':
      return new Float32Array(length) as DTypeMap[T];
    case 'float64':
      return new Float64Array(length) as DTypeMap[T];
    default:
      throw new ImageArgumentError(`unsupported dtype ${JSON.stringify(dtype)} (expected uint8, float32 or float64)`);
  }
}

/** The most values (height x width x channels) one image may hold: 2^31, 2 GiB of `uint8`. */
export const MAX_IMAGE_VALUES = 2 ** 31;

/**
 * Creates a zero-filled HWC image.
 * @param h - height in pixels
 * @param w - width in pixels
 * @param c - channels (1, 3 or 4)
 * @param dtype - element type (default `uint8`)
 */
export function createImage<T extends ImageDType = 'uint8'>(
  h: number,
  w: number,
  c: number,
  dtype: T = 'uint8' as T,
): Image<DTypeMap[T]> {
  checkDim('height', h);
  checkDim('width', w);
  checkDim('channels', c);
  if (h * w * c > MAX_IMAGE_VALUES) {
    throw new ImageArgumentError(`an image of ${h}x${w}x${c} would hold ${h * w * c} values, above the limit of ${MAX_IMAGE_VALUES} (2^31); that size is a mistake or a corrupt header`);
  }
  return ndarray(allocData(dtype, h * w * c), [h, w, c]);
}

/**
 * Wraps an existing typed array (length `h*w*c`, HWC order) as an image, without copying.
 * @throws ImageShapeError when the length does not match
 */
export function wrapImage<D extends ImageData>(data: D, h: number, w: number, c: number): Image<D> {
  checkDim('height', h);
  checkDim('width', w);
  checkDim('channels', c);
  if (data.length !== h * w * c) {
    throw new ImageShapeError(`data length ${data.length} does not match ${h}x${w}x${c} = ${h * w * c}`);
  }
  return ndarray(data, [h, w, c]);
}

/**
 * Builds an RGB (or RGBA with `keepAlpha`) `uint8` image from interleaved RGBA bytes
 * (canvas `ImageData.data`, a jimp bitmap).
 * @param rgba - `width*height*4` bytes
 * @param width - width in pixels
 * @param height - height in pixels
 * @param keepAlpha - keep the 4th channel (default false: drop it)
 */
export function fromRGBA(
  rgba: ArrayLike<number>,
  width: number,
  height: number,
  keepAlpha = false,
): ImageU8 {
  checkDim('width', width);
  checkDim('height', height);
  const n = width * height;
  if (rgba.length !== n * 4) {
    throw new ImageShapeError(`RGBA buffer has ${rgba.length} bytes, expected ${width}x${height}x4 = ${n * 4}`);
  }
  if (keepAlpha) {
    const out = new Uint8Array(n * 4);
    for (let i = 0; i < n * 4; i++) out[i] = rgba[i];
    return ndarray(out, [height, width, 4]);
  }
  const out = new Uint8Array(n * 3);
  for (let i = 0, j = 0; i < n; i++, j += 4) {
    const o = i * 3;
    out[o] = rgba[j];
    out[o + 1] = rgba[j + 1];
    out[o + 2] = rgba[j + 2];
  }
  return ndarray(out, [height, width, 3]);
}

/**
 * Converts an image with 1, 3 or 4 channels to interleaved RGBA bytes (alpha 255 when absent).
 * Float images are rounded and clamped to 0..255.
 */
export function toRGBA(img: Image): Uint8Array {
  const { height, width, channels } = imageSize(img);
  if (channels !== 1 && channels !== 3 && channels !== 4) {
    throw new ImageChannelError(`toRGBA needs 1, 3 or 4 channels, got ${channels}`);
  }
  const src = contiguous(img).data;
  const n = height * width;
  const out = new Uint8Array(n * 4);
  const isU8 = src instanceof Uint8Array;
  for (let i = 0; i < n; i++) {
    const o = i * 4;
    const s = i * channels;
    for (let k = 0; k < 3; k++) {
      const v = src[channels === 1 ? s : s + k];
      out[o + k] = isU8 ? v : saturateU8(v);
    }
    out[o + 3] = channels === 4 ? (isU8 ? src[s + 3] : saturateU8(src[s + 3])) : 255;
  }
  return out;
}

/** Height, width and channel count of an image. */
export interface ImageSize {
  /** rows */
  height: number;
  /** columns */
  width: number;
  /** channels per pixel */
  channels: number;
}

/**
 * Returns `{ height, width, channels }`, checking that `img` is a 3-D HWC ndarray.
 * @throws ImageShapeError when the array is not 3-D
 */
export function imageSize(img: Image): ImageSize {
  if (img == null || !Array.isArray(img.shape) || img.shape.length !== 3) {
    throw new ImageShapeError(`expected an HWC image (3-D ndarray), got shape ${JSON.stringify(img?.shape)}`);
  }
  return { height: img.shape[0], width: img.shape[1], channels: img.shape[2] };
}

/** True when the image's data is dense HWC starting at offset 0 (so `data[(y*W+x)*C+c]` addresses it). */
export function isContiguous(img: Image): boolean {
  const [h, w, c] = img.shape;
  const [s0, s1, s2] = img.stride;
  return img.offset === 0 && s2 === 1 && s1 === c && s0 === w * c && img.data.length === h * w * c;
}

/**
 * Returns `img` itself when it is dense HWC from offset 0, otherwise a dense copy.
 * Every hot loop in this package runs on the result.
 */
export function contiguous<D extends ImageData>(img: Image<D>): Image<D> {
  imageSize(img);
  if (isContiguous(img)) return img;
  const [h, w, c] = img.shape;
  const out = new (img.data.constructor as { new (n: number): D })(h * w * c);
  const [s0, s1, s2] = img.stride;
  const d = img.data;
  let o = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const base = img.offset + y * s0 + x * s1;
      for (let k = 0; k < c; k++) out[o++] = d[base + k * s2];
    }
  }
  return ndarray(out, [h, w, c]);
}

/** A dense copy of an image (same dtype). */
export function cloneImage<D extends ImageData>(img: Image<D>): Image<D> {
  const src = contiguous(img);
  if (src !== img) return src;
  return ndarray(src.data.slice() as D, src.shape.slice());
}

/** The dtype name of an image's backing array. */
export function dtypeOf(img: Image): ImageDType {
  const d = img.data;
  if (d instanceof Uint8Array) return 'uint8';
  if (d instanceof Float32Array) return 'float32';
  if (d instanceof Float64Array) return 'float64';
  throw new ImageChannelError(`unsupported image data ${Object.prototype.toString.call(d)}`);
}

/** 1.5 · 2^52: adding and subtracting it rounds a double below 2^51 to an integer, half to even. */
const RINT = 6755399441055744;

/**
 * Rounds to the nearest integer, half to even, like OpenCV's `cvRound` (C `rint`), for
 * |v| < 2^51; much cheaper than `Math.round` plus a tie fix-up.
 */
export function rint(v: number): number {
  return v + RINT - RINT;
}

/** Rounds half to even and clamps to 0..255, like OpenCV's `saturate_cast<uchar>` (NaN becomes 0). */
export function saturateU8(v: number): number {
  if (!(v > 0)) return 0;
  if (v >= 255) return 255;
  return rint(v);
}

/**
 * Converts an image to another dtype. Values keep their scale (no /255); conversion to
 * `uint8` rounds half to even and clamps like OpenCV's `convertTo`.
 * Returns a dense copy (never `img` itself).
 */
export function convertImage<T extends ImageDType>(img: Image, dtype: T): Image<DTypeMap[T]> {
  const src = contiguous(img);
  const [h, w, c] = src.shape;
  const out = allocData(dtype, h * w * c);
  const s = src.data;
  if (dtype === 'uint8' && !(s instanceof Uint8Array)) {
    for (let i = 0; i < s.length; i++) out[i] = saturateU8(s[i]);
  } else {
    out.set(s);
  }
  return ndarray(out, [h, w, c]);
}

/**
 * Reads one sample.
 * @param img - image
 * @param y - row
 * @param x - column
 * @param c - channel (default 0)
 * @throws ImageArgumentError when out of bounds
 */
export function getPixel(img: Image, y: number, x: number, c = 0): number {
  const [h, w, ch] = img.shape;
  if (!(y >= 0 && y < h && x >= 0 && x < w && c >= 0 && c < ch)) {
    throw new ImageArgumentError(`pixel (y=${y}, x=${x}, c=${c}) outside ${h}x${w}x${ch} image`);
  }
  return img.get(y, x, c) as number;
}

/**
 * Writes one sample (no rounding: a `uint8` image truncates like its typed array does).
 * @throws ImageArgumentError when out of bounds
 */
export function setPixel(img: Image, y: number, x: number, c: number, v: number): void {
  const [h, w, ch] = img.shape;
  if (!(y >= 0 && y < h && x >= 0 && x < w && c >= 0 && c < ch)) {
    throw new ImageArgumentError(`pixel (y=${y}, x=${x}, c=${c}) outside ${h}x${w}x${ch} image`);
  }
  img.set(y, x, c, v);
}

/**
 * Throws unless two images have equal height, width and channels.
 * @param what - names used in the error message, e.g. `['a', 'b']`
 */
export function assertSameSize(a: Image, b: Image, what: [string, string] = ['a', 'b']): void {
  const sa = imageSize(a);
  const sb = imageSize(b);
  if (sa.height !== sb.height || sa.width !== sb.width || sa.channels !== sb.channels) {
    throw new ImageShapeError(
      `${what[0]} is ${sa.height}x${sa.width}x${sa.channels} but ${what[1]} is ${sb.height}x${sb.width}x${sb.channels}`,
    );
  }
}

/**
 * Throws unless the image has one of the allowed channel counts.
 * @param op - the operation's name, for the message
 */
export function assertChannels(img: Image, allowed: readonly number[], op: string): void {
  const { channels } = imageSize(img);
  if (!allowed.includes(channels)) {
    throw new ImageChannelError(`${op} supports ${allowed.join(' or ')} channel(s), got ${channels}`);
  }
}
