/**
 * The reference's training augmentation pipeline (`add_noise` after the flip), with a
 * switch (probability) per augmentation. Random draws happen in the same order whatever
 * the switches, so turning one augmentation off leaves the others' parameters unchanged.
 */
import type { ImageU8, Rng } from '@caddm/image';
import { DatasetOptionError } from '../errors.js';
import {
  adjustGamma,
  colourTone,
  gaussianBlur3,
  gaussianNoise,
  hflip,
  hsvScale,
  jpegCompress,
  lowFrequencyNoise,
  minMaxNormalize,
  motionBlur,
  resizeDownUp,
  type PixelBox,
} from './ops.js';

/** Probability of each augmentation (0 switches it off). */
export interface AugmentConfig {
  /** Horizontal flip (reference: meant to flip, but never did — bug 1). */
  flip: number;
  /** JPEG quality 15..79. */
  jpeg: number;
  /** Min-max normalisation. */
  minMax: number;
  /** Low-frequency noise. */
  lowFreqNoise: number;
  /** HSV saturation / brightness scaling. */
  hsv: number;
  /** Gamma 0.6..1.4. */
  gamma: number;
  /** Linear motion blur. */
  motionBlur: number;
  /** 3x3 Gaussian blur. */
  gaussianBlur: number;
  /** Gaussian noise (sigma 15..21 or 0..4). */
  gaussianNoise: number;
  /** Colour tone towards a random colour. */
  colourTone: number;
  /** Shrink by 1..2 and enlarge back (a no-op in the reference, whose results were discarded). */
  resizeDownUp: number;
}

/** The reference's probabilities, with the flip fixed at 50% (its commented-out `rng.rand() >= 0.5`). */
export const REFERENCE_AUGMENT: Readonly<AugmentConfig> = Object.freeze({
  flip: 0.5,
  jpeg: 0.3,
  minMax: 0.5,
  lowFreqNoise: 0.5,
  hsv: 0.25,
  gamma: 1,
  motionBlur: 0.3,
  gaussianBlur: 0.3,
  gaussianNoise: 0.3,
  colourTone: 0.3,
  resizeDownUp: 0.25,
});

/** What the reference code actually does: no flip (bug 1) and no down-up resize (results discarded). */
export const REFERENCE_AS_RELEASED_AUGMENT: Readonly<AugmentConfig> = Object.freeze({ ...REFERENCE_AUGMENT, flip: 0, resizeDownUp: 0 });

/** Every augmentation off. */
export const NO_AUGMENT: Readonly<AugmentConfig> = Object.freeze(
  Object.fromEntries(Object.keys(REFERENCE_AUGMENT).map((k) => [k, 0])) as unknown as AugmentConfig,
);

/** An augmented image, its boxes, and the names of the augmentations applied. */
export interface AugmentResult {
  /** The image. */
  image: ImageU8;
  /** Boxes (flipped with the image). */
  boxes: PixelBox[];
  /** Augmentations applied, in order. */
  applied: string[];
}

/** Checks a config: known keys, probabilities in [0, 1]. */
export function resolveAugment(cfg: Partial<AugmentConfig> = {}): AugmentConfig {
  const out = { ...REFERENCE_AUGMENT };
  for (const [k, v] of Object.entries(cfg)) {
    if (!(k in REFERENCE_AUGMENT)) throw new DatasetOptionError(`unknown augmentation ${JSON.stringify(k)} (known: ${Object.keys(REFERENCE_AUGMENT).join(', ')})`);
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new DatasetOptionError(`augmentation ${k} needs a probability in [0, 1], got ${String(v)}`);
    (out as Record<string, number>)[k] = v;
  }
  return out;
}

/**
 * Applies the reference's augmentations to an aligned training image and its boxes:
 * flip, then JPEG, min-max, low-frequency noise, HSV, gamma, motion blur, Gaussian blur,
 * Gaussian noise, colour tone, down-up resize (the reference's order).
 */
export async function augment(img: ImageU8, boxes: readonly PixelBox[], rng: Rng, config: Partial<AugmentConfig> = {}): Promise<AugmentResult> {
  const c = resolveAugment(config);
  const applied: string[] = [];
  let image = img;
  let bx: PixelBox[] = boxes.map((b) => [...b] as PixelBox);
  const on = (p: number, name: string): boolean => {
    const hit = rng.next() < p;
    if (hit) applied.push(name);
    return hit;
  };
  if (on(c.flip, 'flip')) ({ image, boxes: bx } = hflip(image, bx));
  const q = Math.trunc(15 + rng.next() * 65);
  if (on(c.jpeg, 'jpeg')) image = await jpegCompress(image, q);
  if (on(c.minMax, 'minMax')) image = minMaxNormalize(image);
  const lf = rng.fork();
  if (on(c.lowFreqNoise, 'lowFreqNoise')) image = lowFrequencyNoise(image, lf);
  const [u1, u2, u3, u4, u5, u6] = [rng.next(), rng.next(), rng.next(), rng.next(), rng.next(), rng.next()];
  if (on(c.hsv, 'hsv')) {
    const sat = u1 > 0.5 ? (u2 > 0.5 ? 1 - 0.5 * u3 : 1 + 0.15 * u3) : 1;
    const val = u4 > 0.5 ? (u5 > 0.5 ? 1 + u6 : 1 - 0.5 * u6) : 1;
    image = hsvScale(image, sat, val);
  }
  const gamma = 0.6 + rng.next() * 0.8;
  if (on(c.gamma, 'gamma')) image = adjustGamma(image, gamma);
  const angle = Math.trunc(rng.next() * 360);
  const len = Math.trunc(rng.next() * 10) + 1;
  if (on(c.motionBlur, 'motionBlur')) image = motionBlur(image, angle, len);
  const sigma = rng.int(0, 3);
  if (on(c.gaussianBlur, 'gaussianBlur')) image = gaussianBlur3(image, sigma);
  const strong = rng.next() > 0.5;
  const ns = strong ? rng.int(15, 22) : rng.int(0, 5);
  const nf = rng.fork();
  if (on(c.gaussianNoise, 'gaussianNoise')) image = gaussianNoise(image, nf, ns);
  const colour = [60 + 195 * rng.next(), 60 + 195 * rng.next(), 60 + 195 * rng.next()];
  const tone = rng.next() * 0.3;
  if (on(c.colourTone, 'colourTone')) image = colourTone(image, colour, tone);
  const ratio = rng.next() + 1;
  const rf = rng.fork();
  if (on(c.resizeDownUp, 'resizeDownUp')) image = resizeDownUp(image, rf, ratio);
  return { image, boxes: bx, applied };
}
