/**
 * The augmentation SBI's training set applies to each (real, fake) pair after blending
 * (`SBI_Dataset.get_transforms`, albumentations with `additional_targets`, so both images
 * get the same draws): RGB shift, HSV shift, brightness/contrast (each with probability 0.3)
 * and JPEG re-compression (probability 0.5, quality 40..100).
 *
 * Not included, as they belong to the data pipeline: the horizontal flip before blending
 * (probability 0.5, with the landmark re-indexing) and the final `crop_face` with random
 * margins and resize; a caller that flips or crops must map the artifact box the same way.
 */
import { contiguous, imageSize, jpegReencode, wrapImage, type ImageU8, type Rng } from '@caddm/image';
import { applyColorJitter, sampleColorJitter, type ColorJitterParams } from './color.js';
import { SbiArgumentError, SbiImageError } from './errors.js';
import { resolveSbiOptions, type ColorJitterOptions } from './options.js';

/** Options of {@link augmentPair}; defaults are SBI's. */
export interface PairAugmentOptions {
  /** Colour steps (SBI: RGB shift ±20, HSV ±0.3, brightness/contrast ±0.3, each with probability 0.3). */
  color?: Partial<ColorJitterOptions>;
  /** Probability of the JPEG re-compression (SBI: 0.5). */
  jpegProb?: number;
  /** JPEG quality range, integers (SBI: [40, 100]). */
  jpegQuality?: readonly [number, number];
}

/** SBI's pair augmentation defaults (`get_transforms`). */
export const SBI_PAIR_DEFAULTS: Readonly<{ color: Readonly<ColorJitterOptions>; jpegProb: number; jpegQuality: readonly [number, number] }> =
  Object.freeze({
    color: Object.freeze({
      rgbShiftProb: 0.3,
      rgbShift: [-20, 20] as const,
      hsvProb: 0.3,
      hueShift: [-0.3, 0.3] as const,
      satShift: [-0.3, 0.3] as const,
      valShift: [-0.3, 0.3] as const,
      brightnessContrastProb: 0.3,
      brightness: [-0.3, 0.3] as const,
      contrast: [-0.3, 0.3] as const,
    }),
    jpegProb: 0.5,
    jpegQuality: [40, 100] as const,
  });

/** What {@link augmentPair} drew. */
export interface PairAugmentParams {
  /** the colour steps, shared by both images */
  color: ColorJitterParams;
  /** the JPEG quality, or `null` when not re-compressed */
  jpegQuality: number | null;
}

/**
 * Applies one draw of SBI's pair augmentation to a real image and its fake.
 * @param real - the real counterpart (`selfBlend`'s `target`), RGB `uint8`
 * @param fake - the fake, same size
 * @param rng - random source
 * @returns new images and the draws
 * @throws SbiImageError for mismatched or non-RGB images; SbiArgumentError for bad options
 */
export async function augmentPair(
  real: ImageU8,
  fake: ImageU8,
  rng: Rng,
  options: PairAugmentOptions = {},
): Promise<{ real: ImageU8; fake: ImageU8; params: PairAugmentParams }> {
  const a = imageSize(real);
  const b = imageSize(fake);
  if (a.channels !== 3 || b.channels !== 3 || !(real.data instanceof Uint8Array) || !(fake.data instanceof Uint8Array)) {
    throw new SbiImageError('augmentPair needs two RGB uint8 images');
  }
  if (a.height !== b.height || a.width !== b.width) {
    throw new SbiImageError(`real is ${a.width}x${a.height} but fake is ${b.width}x${b.height}`);
  }
  const color = resolveSbiOptions({ color: { ...SBI_PAIR_DEFAULTS.color, ...options.color } }).color;
  const jpegProb = options.jpegProb ?? SBI_PAIR_DEFAULTS.jpegProb;
  const [qlo, qhi] = options.jpegQuality ?? SBI_PAIR_DEFAULTS.jpegQuality;
  if (!(jpegProb >= 0 && jpegProb <= 1)) throw new SbiArgumentError(`jpegProb must be in [0, 1], got ${jpegProb}`);
  if (!(Number.isInteger(qlo) && Number.isInteger(qhi) && qlo >= 1 && qlo <= qhi && qhi <= 100)) {
    throw new SbiArgumentError(`jpegQuality must be integers 1 <= lo <= hi <= 100, got [${qlo}, ${qhi}]`);
  }
  const cp = sampleColorJitter(rng, color);
  const jpegQuality = rng.next() < jpegProb ? rng.int(qlo, qhi + 1) : null;
  const out: ImageU8[] = [];
  for (const img of [real, fake]) {
    const data = new Uint8Array(a.height * a.width * 3);
    applyColorJitter(contiguous(img).data, data, cp);
    const im = wrapImage(data, a.height, a.width, 3);
    out.push(jpegQuality == null ? im : await jpegReencode(im, jpegQuality));
  }
  return { real: out[0], fake: out[1], params: { color: cp, jpegQuality } };
}
