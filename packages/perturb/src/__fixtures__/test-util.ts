/**
 * Helpers shared by this package's tests (not exported from the package).
 */
import { createImage, createRng, type ImageU8 } from '@caddm/image';

/** A deterministic textured RGB image: colour ramps plus seeded noise. */
export function textured(h: number, w: number, seed = 1, noise = 30): ImageU8 {
  const img = createImage(h, w, 3);
  const rng = createRng(seed);
  const d = img.data;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const o = (y * w + x) * 3;
      const base = [(x / Math.max(1, w - 1)) * 255, (y / Math.max(1, h - 1)) * 255, ((x + y) / Math.max(1, h + w - 2)) * 255];
      for (let k = 0; k < 3; k++) d[o + k] = Math.max(0, Math.min(255, Math.round(base[k] + rng.normal(0, noise))));
    }
  }
  return img;
}

/** A smooth RGB image of crossed sine waves (periods 13..21 pixels), no noise. */
export function waves(h: number, w: number): ImageU8 {
  const img = createImage(h, w, 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let k = 0; k < 3; k++) {
        img.data[(y * w + x) * 3 + k] = Math.round(128 + 90 * Math.sin((2 * Math.PI * x) / (17 + k)) * Math.cos((2 * Math.PI * y) / (13 + 2 * k)));
      }
    }
  }
  return img;
}

/** A constant image. */
export function constant(h: number, w: number, c: number, value: number): ImageU8 {
  const img = createImage(h, w, c);
  img.data.fill(value);
  return img;
}

/** Peak signal-to-noise ratio in dB between two equal-length byte arrays. */
export function psnr(a: Uint8Array, b: Uint8Array): number {
  let se = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    se += d * d;
  }
  const mse = se / a.length;
  return mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse);
}

/** Index of the first differing element, -1 when equal (length mismatch counts at the shorter length). Much faster than `toEqual` on big arrays. */
export function firstDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}
