/**
 * The reference's training jitter of the alignment (CADDM `get_align5p` with
 * `training=True`), seeded.
 */
import type { Rng } from '@caddm/image';
import type { AlignParams } from './align.js';
import { FaceArgumentError } from './errors.js';

/** Distributions of {@link sampleAlignJitter}; defaults are the reference's. */
export interface JitterConfig {
  /** Scale ~ N(scaleMean, scaleStd). Default 0.9, 0.1. */
  scaleMean?: number;
  /** Default 0.1. */
  scaleStd?: number;
  /**
   * Lower bound applied to the drawn scale (default 0.05). The reference has none; a
   * non-positive scale (a 9-sigma event) would mirror the face, so it is clamped.
   */
  minScale?: number;
  /** Translation per axis ~ U(-t, t) canvas pixels. Default 25. */
  translation?: number;
  /** Rotation = maxRotation * sign(u) |u|^rotationPower degrees, u ~ U(-1, 1). Default 30. */
  maxRotation?: number;
  /** Default 3 (the reference's u³; small angles dominate). */
  rotationPower?: number;
  /** Each of `sa` and `sb` is drawn from `stretchRange` with this probability, else 1. Default 0.2. */
  stretchProbability?: number;
  /** Default `[0.97, 1.03]`. */
  stretchRange?: readonly [number, number];
}

/** The reference's jitter distributions. */
export const REFERENCE_JITTER: Readonly<Required<JitterConfig>> = Object.freeze({
  scaleMean: 0.9,
  scaleStd: 0.1,
  minScale: 0.05,
  translation: 25,
  maxRotation: 30,
  rotationPower: 3,
  stretchProbability: 0.2,
  stretchRange: [0.97, 1.03] as const,
});

/**
 * Draws one set of alignment parameters for training:
 * scale ~ N(0.9, 0.1), translation ~ U(-25, 25)² px, rotation = 30·u³ degrees with
 * u ~ U(-1, 1), and `sa`, `sb` each ~ U(0.97, 1.03) with probability 0.2 (else 1).
 * Draw order: scale, tx, ty, u, sa-coin[, sa], sb-coin[, sb].
 * @param rng - seeded generator (`createRng` of `@caddm/image`)
 * @param config - distribution overrides
 */
export function sampleAlignJitter(rng: Rng, config: JitterConfig = {}): AlignParams {
  const c = { ...REFERENCE_JITTER, ...config };
  if (!(c.scaleStd >= 0) || !(c.translation >= 0) || !(c.stretchProbability >= 0 && c.stretchProbability <= 1)) {
    throw new FaceArgumentError(`invalid jitter config ${JSON.stringify(config)}`);
  }
  const scale = Math.max(c.minScale, rng.normal(c.scaleMean, c.scaleStd));
  const tx = rng.uniform(-c.translation, c.translation);
  const ty = rng.uniform(-c.translation, c.translation);
  const u = rng.uniform(-1, 1);
  const rotation = c.maxRotation * Math.sign(u) * Math.abs(u) ** c.rotationPower;
  const [lo, hi] = c.stretchRange;
  const sa = rng.next() < c.stretchProbability ? rng.uniform(lo, hi) : 1;
  const sb = rng.next() < c.stretchProbability ? rng.uniform(lo, hi) : 1;
  return { scale, translation: [tx, ty], rotation, sa, sb };
}
