/**
 * SBI's source-target augmentation (`get_source_transforms`): colour jitter (RGB shift, HSV
 * shift, brightness/contrast), then one of a down-up scaling or a sharpening. SBI applies it
 * to one of the two copies of the face, the source or the target, with equal probability.
 */
import { contiguous, imageSize, wrapImage, type ImageU8, type Rng } from '@caddm/image';
import { applyColorJitter, sampleColorJitter, type ColorJitterParams } from './color.js';
import { SbiImageError } from './errors.js';
import type { ColorJitterOptions, QualityOptions } from './options.js';
import { downUpScale, sampleQuality, sharpen, type QualityParams } from './quality.js';

/** The drawn augmentation. */
export interface AugmentParams {
  /** colour steps */
  color: ColorJitterParams;
  /** quality step */
  quality: QualityParams;
}

/** Draws the augmentation's parameters (colour first, then quality). */
export function sampleAugment(rng: Rng, color: ColorJitterOptions, quality: QualityOptions): AugmentParams {
  return { color: sampleColorJitter(rng, color), quality: sampleQuality(rng, quality) };
}

/**
 * Applies drawn augmentation parameters to dense RGB `uint8` data.
 * @param out - `h*w*3` bytes for the result (default: a new array)
 * @param tmp - `h*w*3` scratch bytes, distinct from `out` (default: a new array when needed)
 * @returns `out`
 */
export function applyAugment(
  src: Uint8Array,
  h: number,
  w: number,
  p: AugmentParams,
  out = new Uint8Array(src.length),
  tmp?: Uint8Array,
): Uint8Array {
  if (!p.quality) {
    applyColorJitter(src, out, p.color);
    return out;
  }
  const a = tmp ?? new Uint8Array(src.length);
  applyColorJitter(src, a, p.color);
  if (p.quality.kind === 'downscale') downUpScale(a, out, h, w, 3, p.quality.ratio);
  else sharpen(a, out, h, w, 3, p.quality.alpha, p.quality.lightness);
  return out;
}

/**
 * SBI's source-target augmentation of an RGB image, with freshly drawn parameters.
 * @param image - HWC RGB `uint8` image
 * @param rng - random source
 * @param color - colour options (SBI's: `SBI_DEFAULTS.color`)
 * @param quality - quality options (SBI's: `SBI_DEFAULTS.quality`)
 * @returns the augmented image and the parameters drawn
 * @throws SbiImageError unless `image` is 3-channel `uint8`
 */
export function sourceTargetAugment(
  image: ImageU8,
  rng: Rng,
  color: ColorJitterOptions,
  quality: QualityOptions,
): { image: ImageU8; params: AugmentParams } {
  const { height, width, channels } = imageSize(image);
  if (channels !== 3 || !(image.data instanceof Uint8Array)) {
    throw new SbiImageError(`expected an RGB uint8 image (HxWx3), got ${height}x${width}x${channels} ${image.data?.constructor?.name}`);
  }
  const params = sampleAugment(rng, color, quality);
  const out = applyAugment(contiguous(image).data, height, width, params);
  return { image: wrapImage(out, height, width, 3), params };
}
