import { AnchorConfigError } from './errors.js';

/**
 * Default-anchor ("prior box") configuration, in input-image pixels.
 *
 * Feature map `k` has `featureMaps[k] x featureMaps[k]` cells; every cell holds
 * two anchors of size `(minSizes[k], maxSizes[k])` and `(maxSizes[k], minSizes[k])`
 * (width, height), centred at `((j + 0.5) / f_k, (i + 0.5) / f_k)` with
 * `f_k = imageSize / steps[k]`.
 */
export interface AnchorConfig {
  /** Input image side in pixels (square input). */
  readonly imageSize: number;
  /** Side of each square feature map, in cells (positive integers). */
  readonly featureMaps: readonly number[];
  /** Pixel stride of each feature map's cell grid. */
  readonly steps: readonly number[];
  /** Anchor short side per feature map, in pixels. */
  readonly minSizes: readonly number[];
  /** Anchor long side per feature map, in pixels. */
  readonly maxSizes: readonly number[];
  /** Clamp every centre-form value (cx, cy, w, h) to [0, 1], as the reference does. */
  readonly clip: boolean;
}

/** The reference CADDM configuration (224 px input, 168 anchors). */
export const DEFAULT_ANCHOR_CONFIG: AnchorConfig = Object.freeze({
  imageSize: 224,
  featureMaps: Object.freeze([7, 5, 3, 1]),
  steps: Object.freeze([32, 45, 75, 224]),
  minSizes: Object.freeze([40, 80, 120, 224]),
  maxSizes: Object.freeze([80, 120, 160, 224]),
  clip: true,
});

/** Anchors per feature-map cell (min x max and max x min). */
export const ANCHORS_PER_CELL = 2;

function checkPositive(name: string, v: number): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
    throw new AnchorConfigError(`${name} must be a positive finite number, got ${String(v)}`);
  }
}

/**
 * Checks a configuration and throws {@link AnchorConfigError} naming the first
 * problem: mismatched list lengths, an empty list, non-positive or non-finite
 * sizes/steps, non-integer feature maps.
 *
 * @param config - the configuration to check.
 * @returns the same configuration, for chaining.
 */
export function validateAnchorConfig(config: AnchorConfig): AnchorConfig {
  checkPositive('imageSize', config.imageSize);
  const n = config.featureMaps?.length ?? 0;
  if (n === 0) throw new AnchorConfigError('featureMaps must list at least one feature map');
  for (const key of ['steps', 'minSizes', 'maxSizes'] as const) {
    const list = config[key];
    if (!Array.isArray(list) && !(list && typeof list.length === 'number')) {
      throw new AnchorConfigError(`${key} must be an array`);
    }
    if (list.length !== n) {
      throw new AnchorConfigError(`${key} has ${list.length} entries but featureMaps has ${n}`);
    }
    list.forEach((v, k) => checkPositive(`${key}[${k}]`, v));
  }
  config.featureMaps.forEach((f, k) => {
    if (!Number.isInteger(f) || f <= 0) {
      throw new AnchorConfigError(`featureMaps[${k}] must be a positive integer, got ${String(f)}`);
    }
  });
  if (typeof config.clip !== 'boolean') throw new AnchorConfigError('clip must be a boolean');
  return config;
}

/**
 * Derives a configuration for another square input size by scaling the steps
 * and anchor sizes by `inputSize / config.imageSize`, keeping the feature-map
 * grid (e.g. [7, 5, 3, 1]) unchanged. The normalised anchors are therefore
 * the same as the source configuration's (up to float rounding), so a model
 * with a smaller input (112 or 64 px) whose heads still emit 7/5/3/1 maps is
 * trained against the same anchor layout.
 *
 * @param config - the source configuration (usually {@link DEFAULT_ANCHOR_CONFIG}).
 * @param inputSize - the new input side in pixels.
 * @returns a new, validated configuration.
 */
export function scaleAnchorConfig(config: AnchorConfig, inputSize: number): AnchorConfig {
  validateAnchorConfig(config);
  checkPositive('inputSize', inputSize);
  const s = inputSize / config.imageSize;
  return validateAnchorConfig({
    imageSize: inputSize,
    featureMaps: [...config.featureMaps],
    steps: config.steps.map((v) => v * s),
    minSizes: config.minSizes.map((v) => v * s),
    maxSizes: config.maxSizes.map((v) => v * s),
    clip: config.clip,
  });
}

/**
 * Number of anchors a configuration produces: `2 * sum(f_k^2)`.
 *
 * @param config - a configuration.
 */
export function anchorCount(config: AnchorConfig = DEFAULT_ANCHOR_CONFIG): number {
  validateAnchorConfig(config);
  return config.featureMaps.reduce((acc, f) => acc + f * f * ANCHORS_PER_CELL, 0);
}
