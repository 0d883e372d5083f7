import { ANCHORS_PER_CELL, DEFAULT_ANCHOR_CONFIG, validateAnchorConfig, type AnchorConfig } from './config.js';
import { AnchorShapeError } from './errors.js';

/**
 * A set of default anchors in centre form, normalised to [0, 1]:
 * `data[4*i .. 4*i+3] = (cx, cy, w, h)` of anchor `i`.
 */
export interface Priors {
  /** `count * 4` float32 values, (cx, cy, w, h) per anchor. */
  readonly data: Float32Array;
  /** Number of anchors. */
  readonly count: number;
}

/** Anything accepted where priors are expected: a {@link Priors} or its raw centre-form array. */
export type PriorsLike = Priors | Float32Array;

/**
 * Generates the default anchors of a configuration, in the reference's order:
 * feature maps in turn, cells row-major (row `i`, column `j`), two anchors per
 * cell, `(min, max)` then `(max, min)` (width, height) divided by the image
 * size. Values are computed in float64 and stored as float32, as the
 * reference builds a Python list and converts it to a float32 tensor.
 *
 * @param config - anchor configuration (default: {@link DEFAULT_ANCHOR_CONFIG}, 168 anchors).
 * @returns the anchors in centre form.
 * @throws {@link AnchorConfigError} for an invalid configuration.
 */
export function priorBoxes(config: AnchorConfig = DEFAULT_ANCHOR_CONFIG): Priors {
  validateAnchorConfig(config);
  const { imageSize, featureMaps, steps, minSizes, maxSizes, clip } = config;
  const count = featureMaps.reduce((acc, f) => acc + f * f * ANCHORS_PER_CELL, 0);
  const data = new Float32Array(count * 4);
  let o = 0;
  for (let k = 0; k < featureMaps.length; k++) {
    const f = featureMaps[k];
    const fk = imageSize / steps[k];
    const sMin = minSizes[k] / imageSize;
    const sMax = maxSizes[k] / imageSize;
    for (let i = 0; i < f; i++) {
      const cy = (i + 0.5) / fk;
      for (let j = 0; j < f; j++) {
        const cx = (j + 0.5) / fk;
        data[o++] = cx;
        data[o++] = cy;
        data[o++] = sMin;
        data[o++] = sMax;
        data[o++] = cx;
        data[o++] = cy;
        data[o++] = sMax;
        data[o++] = sMin;
      }
    }
  }
  if (clip) {
    for (let i = 0; i < data.length; i++) data[i] = Math.min(1, Math.max(0, data[i]));
  }
  return { data, count };
}

/**
 * Normalises a {@link PriorsLike} to a {@link Priors}, checking that the array
 * holds whole anchors with finite, positive widths and heights.
 *
 * @param priors - priors or their raw array.
 * @throws {@link AnchorShapeError} when the array is not 4 values per anchor or holds bad values.
 */
export function asPriors(priors: PriorsLike): Priors {
  const p: Priors = priors instanceof Float32Array ? { data: priors, count: priors.length / 4 } : priors;
  if (!(p.data instanceof Float32Array) || !Number.isInteger(p.count) || p.data.length !== p.count * 4) {
    throw new AnchorShapeError(
      `priors must be a Float32Array of 4 values per anchor (count ${String(p.count)}, length ${String(p.data?.length)})`,
    );
  }
  return p;
}

/**
 * Converts centre-form priors to point form `(x0, y0, x1, y1)` with float32
 * arithmetic (`cx - w/2`, `cx + w/2`), as the reference's `point_form`.
 *
 * @param priors - priors in centre form.
 * @param out - optional output of length `count * 4`.
 * @returns the point-form array.
 */
export function priorsToPointForm(priors: PriorsLike, out?: Float32Array): Float32Array {
  const { data, count } = asPriors(priors);
  const dst = out ?? new Float32Array(count * 4);
  if (dst.length !== count * 4) throw new AnchorShapeError(`out has length ${dst.length}, expected ${count * 4}`);
  for (let i = 0; i < count; i++) {
    const o = 4 * i;
    const hw = data[o + 2] / 2;
    const hh = data[o + 3] / 2;
    dst[o] = data[o] - hw;
    dst[o + 1] = data[o + 1] - hh;
    dst[o + 2] = data[o] + hw;
    dst[o + 3] = data[o + 1] + hh;
  }
  return dst;
}
