/**
 * The reference's image augmentations (CADDM `lib/data_preprocess/augmentor.py` and
 * `utils/image_process.py`), one function each, on RGB `uint8` images. Where the reference
 * casts to `uint8` (numpy `astype`, which truncates) the same truncation is applied.
 */
import {
  borderIndex,
  createImage,
  saturateU8,
  gaussianBlur,
  hsvToRgb,
  jpegReencode,
  resize,
  rgbToHsv,
  wrapImage,
  type ImageU8,
  type ResizeInterpolation,
  type Rng,
} from '@caddm/image';
import { jpegArtifacts } from './jpeg.js';

function trunc255(v: number): number {
  return v <= 0 ? 0 : v >= 255 ? 255 : Math.trunc(v);
}

/**
 * JPEG compression at `quality` (reference: 15..79). `fast` (default) applies the codec's
 * lossy steps directly ({@link jpegArtifacts}, libjpeg's 4:2:0 layout); `codec` encodes and
 * decodes a real file with `@caddm/image` (jimp, 4:4:4, ~100x slower).
 */
export async function jpegCompress(img: ImageU8, quality: number, mode: 'fast' | 'codec' = 'fast'): Promise<ImageU8> {
  return mode === 'codec' ? jpegReencode(img, quality) : jpegArtifacts(img, quality);
}

/** Min-max normalisation: `(x - min) / (max - min + 1) * 255` over all channels. */
export function minMaxNormalize(img: ImageU8): ImageU8 {
  const d = img.data;
  let lo = 255;
  let hi = 0;
  for (let i = 0; i < d.length; i++) {
    if (d[i] < lo) lo = d[i];
    if (d[i] > hi) hi = d[i];
  }
  const s = 255 / (hi - lo + 1);
  const out = new Uint8Array(d.length);
  for (let i = 0; i < d.length; i++) out[i] = Math.trunc((d[i] - lo) * s);
  return wrapImage(out, img.shape[0], img.shape[1], img.shape[2]);
}

/**
 * Low-frequency ("quantisation") noise: `N(0, 2²)` on a quarter-size grid, bilinearly
 * enlarged, added to every channel, clipped.
 */
export function lowFrequencyNoise(img: ImageU8, rng: Rng, std = 2): ImageU8 {
  const [h, w, c] = img.shape;
  const gh = Math.max(1, h >> 2);
  const gw = Math.max(1, w >> 2);
  const grid = wrapImage(rng.fillNormal(new Float32Array(gh * gw), 0, std), gh, gw, 1);
  const n = resize(grid, w, h).data;
  const out = new Uint8Array(img.data.length);
  for (let i = 0; i < h * w; i++) for (let k = 0; k < c; k++) out[i * c + k] = trunc255(img.data[i * c + k] + n[i]);
  return wrapImage(out, h, w, c);
}

/** Scales HSV saturation and value (OpenCV's 8-bit HSV), truncating like the reference. */
export function hsvScale(img: ImageU8, satScale: number, valScale: number): ImageU8 {
  const hsv = rgbToHsv(img);
  const d = hsv.data;
  for (let i = 0; i < d.length; i += 3) {
    d[i + 1] = trunc255(d[i + 1] * satScale);
    d[i + 2] = trunc255(d[i + 2] * valScale);
  }
  return hsvToRgb(hsv) as ImageU8;
}

/** Gamma: `exp(log(x) / gamma) * 255^(1 - 1/gamma)`, clipped and truncated. */
export function adjustGamma(img: ImageU8, gamma: number): ImageU8 {
  const k = 1 / gamma;
  const f = Math.pow(255, 1 - k);
  const lut = new Uint8Array(256);
  for (let v = 0; v < 256; v++) lut[v] = trunc255(Math.exp(k * Math.log(v + 1e-15)) * f);
  const out = new Uint8Array(img.data.length);
  for (let i = 0; i < out.length; i++) out[i] = lut[img.data[i]];
  return wrapImage(out, img.shape[0], img.shape[1], img.shape[2]);
}

/**
 * The reference's linear motion-blur kernel: an `a x a` grid (a = 2·max(|cos|, |sin|)·length)
 * with a one-pixel line from the centre towards `angle`, normalised.
 * @returns the kernel and its side, or undefined when `a` is 0
 */
export function motionKernel(angleDeg: number, length: number): { kernel: Float64Array; size: number } | undefined {
  const rad = (angleDeg * Math.PI) / 180;
  const dx = Math.cos(rad);
  const dy = Math.sin(rad);
  const a = Math.trunc(Math.max(Math.abs(dx), Math.abs(dy)) * length * 2);
  if (a <= 0) return undefined;
  const k = new Float64Array(a * a);
  const cx = a >> 1;
  const cy = a >> 1;
  const ex = Math.trunc(dx * length + cx);
  const ey = Math.trunc(dy * length + cy);
  // Bresenham line (8-connected, like cv2.line), clipped to the grid.
  let x = cx;
  let y = cy;
  const sx = ex > x ? 1 : -1;
  const sy = ey > y ? 1 : -1;
  const ax = Math.abs(ex - x);
  const ay = Math.abs(ey - y);
  let err = ax - ay;
  for (;;) {
    if (x >= 0 && y >= 0 && x < a && y < a) k[y * a + x] = 1;
    if (x === ex && y === ey) break;
    const e2 = 2 * err;
    if (e2 > -ay) {
      err -= ay;
      x += sx;
    }
    if (e2 < ax) {
      err += ax;
      y += sy;
    }
  }
  let s = 0;
  for (const v of k) s += v;
  if (s === 0) k[cy * a + cx] = 1;
  else for (let i = 0; i < k.length; i++) k[i] /= s;
  return { kernel: k, size: a };
}

/**
 * Linear motion blur: `cv2.filter2D` with {@link motionKernel} (anchor at the centre, reflect-101
 * border), summed over the kernel's few non-zero taps only.
 */
export function motionBlur(img: ImageU8, angleDeg: number, length: number): ImageU8 {
  const mk = motionKernel(angleDeg, length);
  if (!mk) return img;
  const a = mk.size;
  const taps: number[] = [];
  for (let i = 0; i < a * a; i++) if (mk.kernel[i] !== 0) taps.push((i % a) - (a >> 1), Math.floor(i / a) - (a >> 1), mk.kernel[i]);
  const [h, w, c] = img.shape;
  const src = img.data;
  const out = new Uint8Array(src.length);
  const acc = new Float64Array(c);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      acc.fill(0);
      for (let t = 0; t < taps.length; t += 3) {
        const sy = borderIndex(y + taps[t + 1], h, 'reflect101');
        const sx = borderIndex(x + taps[t], w, 'reflect101');
        const o = (sy * w + sx) * c;
        for (let k = 0; k < c; k++) acc[k] += src[o + k] * taps[t + 2];
      }
      const o = (y * w + x) * c;
      for (let k = 0; k < c; k++) out[o + k] = saturateU8(acc[k]);
    }
  }
  return wrapImage(out, h, w, c);
}

/** 3x3 Gaussian blur with the given sigma (0: derived from the size, as OpenCV). */
export function gaussianBlur3(img: ImageU8, sigma: number): ImageU8 {
  return gaussianBlur(img, 3, sigma) as ImageU8;
}

/** Additive Gaussian noise of standard deviation `sigma`, clipped and truncated. */
export function gaussianNoise(img: ImageU8, rng: Rng, sigma: number): ImageU8 {
  const out = new Uint8Array(img.data.length);
  for (let i = 0; i < out.length; i++) out[i] = trunc255(img.data[i] + rng.normal(0, sigma));
  return wrapImage(out, img.shape[0], img.shape[1], img.shape[2]);
}

/** Colour tone: `(1 - p)·x + p·colour`. */
export function colourTone(img: ImageU8, colour: readonly number[], p: number): ImageU8 {
  const c = img.shape[2];
  const out = new Uint8Array(img.data.length);
  for (let i = 0; i < out.length; i++) out[i] = trunc255((1 - p) * img.data[i] + p * colour[i % c]);
  return wrapImage(out, img.shape[0], img.shape[1], c);
}

/** Interpolations the down-up resize picks from (OpenCV's cubic and Lanczos are not available). */
export const RESIZE_INTERPOLATIONS: readonly ResizeInterpolation[] = ['bilinear', 'nearest', 'area'];

/** Shrinks by `ratio` (1..2) and enlarges back, each with a random interpolation. */
export function resizeDownUp(img: ImageU8, rng: Rng, ratio: number): ImageU8 {
  const [h, w] = img.shape;
  const sw = Math.max(1, Math.trunc(w / ratio));
  const sh = Math.max(1, Math.trunc(h / ratio));
  const small = resize(img, sw, sh, { interpolation: rng.choice(RESIZE_INTERPOLATIONS) });
  return resize(small, w, h, { interpolation: rng.choice(RESIZE_INTERPOLATIONS) }) as ImageU8;
}

/** A box `[x0, y0, x1, y1]` in pixels. */
export type PixelBox = [number, number, number, number];

/**
 * Horizontal flip of an image and its boxes: `x -> W - x` with W the image WIDTH
 * (the reference used the height and returned the unflipped image: bug 1).
 */
export function hflip(img: ImageU8, boxes: readonly PixelBox[] = []): { image: ImageU8; boxes: PixelBox[] } {
  const [h, w, c] = img.shape;
  const out = createImage(h, w, c);
  const s = img.data;
  const d = out.data;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const o = (y * w + x) * c;
      const i = (y * w + (w - 1 - x)) * c;
      for (let k = 0; k < c; k++) d[o + k] = s[i + k];
    }
  }
  return { image: out, boxes: boxes.map(([x0, y0, x1, y1]) => [w - x1, y0, w - x0, y1]) };
}
