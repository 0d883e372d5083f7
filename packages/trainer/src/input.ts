import type { CaddmConfig } from './config/index.js';

/** ImageNet channel means and standard deviations (RGB, on [0, 1]). */
export const IMAGENET_MEAN = [0.485, 0.456, 0.406] as const;
export const IMAGENET_STD = [0.229, 0.224, 0.225] as const;

/** A normalisation of {@link toNetInput}. */
export type InputNorm = CaddmConfig['model']['input_norm'];

/**
 * Converts HWC RGB pixels (uint8 0-255, or float 0-255) into network input,
 * writing into `out` at `offset` (so a batch is filled without copies).
 */
export function toNetInput(
  pixels: ArrayLike<number>,
  norm: InputNorm,
  out: Float32Array = new Float32Array(pixels.length),
  offset = 0,
): Float32Array {
  const n = pixels.length;
  if (n % 3 !== 0) throw new Error(`toNetInput expects RGB pixels (length divisible by 3), got ${n}`);
  if (offset + n > out.length) throw new RangeError(`toNetInput: output has ${out.length} values, needs ${offset + n}`);
  if (norm === 'imagenet') {
    const s0 = 1 / (255 * IMAGENET_STD[0]);
    const s1 = 1 / (255 * IMAGENET_STD[1]);
    const s2 = 1 / (255 * IMAGENET_STD[2]);
    const b0 = IMAGENET_MEAN[0] / IMAGENET_STD[0];
    const b1 = IMAGENET_MEAN[1] / IMAGENET_STD[1];
    const b2 = IMAGENET_MEAN[2] / IMAGENET_STD[2];
    for (let i = 0; i < n; i += 3) {
      out[offset + i] = pixels[i] * s0 - b0;
      out[offset + i + 1] = pixels[i + 1] * s1 - b1;
      out[offset + i + 2] = pixels[i + 2] * s2 - b2;
    }
  } else if (norm === 'unit') {
    for (let i = 0; i < n; i++) out[offset + i] = pixels[i] / 255;
  } else {
    for (let i = 0; i < n; i += 3) {
      out[offset + i] = pixels[i + 2];
      out[offset + i + 1] = pixels[i + 1];
      out[offset + i + 2] = pixels[i];
    }
  }
  return out;
}
