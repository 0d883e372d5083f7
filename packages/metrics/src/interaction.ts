import { tf } from '@caddm/tf';
import { MetricsInputError } from './errors.js';
import { checkBaseline, fillBaseline, type BaselineSpec, type Geometry, type ResolvedBaseline } from './baseline.js';
import { rocAuc } from './roc.js';
import type { BinaryLabels } from './validate.js';

/**
 * A model seen as a scalar score per image: takes a `[B, H, W, C]` float
 * batch and returns `B` scores (shape `[B]` or `[B, 1]`), e.g. the fake
 * logit or log-odds. Any tfjs model fits, e.g.
 * `async (x) => tf.tidy(() => model.predict(x).slice([0, 1], [-1, 1]))`.
 * The returned tensor is disposed by the caller; the input batch too.
 */
export type ScoreModel = (batch: tf.Tensor4D) => tf.Tensor | Promise<tf.Tensor>;

/** A grid of units: `rows x cols` rectangles covering the image. */
export interface UnitGrid {
  readonly rows: number;
  readonly cols: number;
}

/** Options of {@link shapleyInteraction}. */
export interface InteractionOptions {
  /** Units: `n` for an `n x n` grid, or `{ rows, cols }`. Default 16 (the paper's 16x16). */
  readonly grid?: number | UnitGrid;
  /** What an absent unit is set to; default `'zeros'`. See {@link BaselineSpec}. */
  readonly baseline?: BaselineSpec;
  /** Images per forward pass; default 32. */
  readonly batchSize?: number;
  /** Called after each forward pass with the passes' inputs done and in all. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** The interaction of one image and its parts. */
export interface InteractionResult {
  /** `I([N]) = [f(N) - f(∅)] - sum_i [f({i}) - f(∅)]`. */
  readonly interaction: number;
  /** `f(N)`: the score of the whole image. */
  readonly full: number;
  /** `f(∅)`: the score of the baseline image. */
  readonly empty: number;
  /** `sum_i [f({i}) - f(∅)]`: the summed local utilities of the units. */
  readonly singletonSum: number;
  /** `f({i}) - f(∅)` per unit, row-major over the grid (`rows * cols`). */
  readonly unitUtilities: Float64Array;
}

/**
 * Pixel bounds of unit `(r, c)` of a grid: rows `[y0, y1)`, columns
 * `[x0, x1)`, with `y0 = floor(r * H / rows)` so that units tile the image
 * exactly even when `H` is not a multiple of `rows`.
 */
export function unitBounds(
  grid: UnitGrid,
  height: number,
  width: number,
  r: number,
  c: number,
): { y0: number; y1: number; x0: number; x1: number } {
  return {
    y0: Math.floor((r * height) / grid.rows),
    y1: Math.floor(((r + 1) * height) / grid.rows),
    x0: Math.floor((c * width) / grid.cols),
    x1: Math.floor(((c + 1) * width) / grid.cols),
  };
}

function resolveGrid(grid: number | UnitGrid | undefined, geo: Geometry): UnitGrid {
  const g = typeof grid === 'number' ? { rows: grid, cols: grid } : (grid ?? { rows: 16, cols: 16 });
  const ok = (v: number, max: number): boolean => Number.isInteger(v) && v >= 1 && v <= max;
  if (!ok(g.rows, geo.height) || !ok(g.cols, geo.width)) {
    throw new MetricsInputError(
      'bad-option',
      `shapleyInteraction: grid ${g.rows}x${g.cols} does not fit a ${geo.height}x${geo.width} image (need integers 1..H by 1..W)`,
    );
  }
  return g;
}

async function resolveBaseline(spec: BaselineSpec): Promise<ResolvedBaseline> {
  if (typeof spec === 'object' && spec !== null && 'image' in spec && spec.image instanceof tf.Tensor) {
    return { image: Float32Array.from(await spec.image.data()) };
  }
  return spec as ResolvedBaseline;
}

/**
 * Multivariate Shapley interaction of all units, `I([N])` (paper Eq. 1 with
 * S = N, after Zhang et al. AAAI 2021): the part of the score `f(N)` that no
 * unit explains alone,
 * `I([N]) = [f(N) - f(∅)] - sum_i [f({i}) - f(∅)]`, where `f({i})` keeps unit
 * `i` of the image and sets every other pixel to the baseline. Needs
 * `n + 2` forward passes per image (`n` units), batched across images.
 *
 * @param model - maps a `[B, H, W, C]` batch to `B` scores.
 * @param images - `[B, H, W, C]` or one `[H, W, C]` image, in the model's input space.
 * @returns one result per image, in order.
 * @throws {@link MetricsInputError} on a bad grid, baseline or batch size,
 * a model output of the wrong size, or a non-finite score.
 */
export async function shapleyInteraction(
  model: ScoreModel,
  images: tf.Tensor3D | tf.Tensor4D,
  options: InteractionOptions = {},
): Promise<InteractionResult[]> {
  if (!(images instanceof tf.Tensor) || (images.rank !== 3 && images.rank !== 4)) {
    throw new MetricsInputError('bad-shape', 'shapleyInteraction: images must be a [B, H, W, C] or [H, W, C] tensor');
  }
  const shape = images.rank === 4 ? images.shape : [1, ...images.shape];
  const [count, height, width, channels] = shape as [number, number, number, number];
  const geo: Geometry = { height, width, channels };
  const grid = resolveGrid(options.grid, geo);
  const batchSize = options.batchSize ?? 32;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new MetricsInputError('bad-option', `shapleyInteraction: batchSize must be a positive integer, got ${batchSize}`);
  }
  const baseline = await resolveBaseline(options.baseline ?? 'zeros');
  checkBaseline(baseline, geo, count);
  if (count === 0) return [];

  const size = height * width * channels;
  const units = grid.rows * grid.cols;
  const perImage = units + 2;
  const total = count * perImage;
  const raw = await images.data();
  const pixels = raw instanceof Float32Array ? raw : Float32Array.from(raw as ArrayLike<number>);
  for (let i = 0; i < pixels.length; i++) {
    if (!Number.isFinite(pixels[i])) {
      throw new MetricsInputError('non-finite', `shapleyInteraction: image value ${i} is ${pixels[i]}`);
    }
  }
  const bounds = [];
  for (let r = 0; r < grid.rows; r++) for (let c = 0; c < grid.cols; c++) bounds.push(unitBounds(grid, height, width, r, c));
  const defaultSigma = Math.max(height / grid.rows, width / grid.cols);

  const scores = new Float64Array(total);
  const base = new Float32Array(size);
  const scratch = new Float32Array(size);
  let baseOf = -1;
  const buffer = new Float32Array(Math.min(batchSize, total) * size);
  const rowLen = width * channels;

  for (let start = 0; start < total; start += batchSize) {
    const end = Math.min(total, start + batchSize);
    for (let j = start; j < end; j++) {
      const b = Math.floor(j / perImage);
      const k = j - b * perImage;
      const img = pixels.subarray(b * size, (b + 1) * size);
      const dst = buffer.subarray((j - start) * size, (j - start + 1) * size);
      if (k === 0) {
        dst.set(img);
        continue;
      }
      if (baseOf !== b) {
        fillBaseline(baseline, img, base, geo, b, defaultSigma, scratch);
        baseOf = b;
      }
      dst.set(base);
      if (k === 1) continue;
      const { y0, y1, x0, x1 } = bounds[k - 2];
      for (let y = y0; y < y1; y++) {
        const from = y * rowLen + x0 * channels;
        dst.set(img.subarray(from, y * rowLen + x1 * channels), from);
      }
    }
    const n = end - start;
    const input = tf.tensor4d(buffer.subarray(0, n * size), [n, height, width, channels], 'float32');
    let out: tf.Tensor | undefined;
    try {
      out = await model(input);
      if (!(out instanceof tf.Tensor) || out.size !== n) {
        throw new MetricsInputError(
          'bad-shape',
          `shapleyInteraction: the model returned ${out instanceof tf.Tensor ? `shape [${out.shape.join(', ')}]` : String(out)} for a batch of ${n}; expected ${n} scores`,
        );
      }
      const values = await out.data();
      for (let t = 0; t < n; t++) {
        const v = values[t];
        if (!Number.isFinite(v)) {
          const b = Math.floor((start + t) / perImage);
          throw new MetricsInputError('non-finite', `shapleyInteraction: the model scored ${v} on image ${b}, input ${(start + t) % perImage}`);
        }
        scores[start + t] = v;
      }
    } finally {
      if (out instanceof tf.Tensor && out !== input) out.dispose();
      input.dispose();
    }
    options.onProgress?.(end, total);
  }

  const results: InteractionResult[] = [];
  for (let b = 0; b < count; b++) {
    const o = b * perImage;
    const full = scores[o];
    const empty = scores[o + 1];
    const unitUtilities = new Float64Array(units);
    let singletonSum = 0;
    for (let i = 0; i < units; i++) {
      unitUtilities[i] = scores[o + 2 + i] - empty;
      singletonSum += unitUtilities[i];
    }
    results.push({ interaction: full - empty - singletonSum, full, empty, singletonSum, unitUtilities });
  }
  return results;
}

/**
 * Frame-level AUC of `I([N])` used as the fake score, as in Table 1 of the
 * paper: above 0.5 the interaction (the identity-like, non-local part of the
 * score) helps tell fakes from reals, below 0.5 it misleads.
 *
 * @param labels - 1 = fake, 0 = real, one per frame.
 * @param interactions - {@link InteractionResult}s or the `I([N])` values.
 * @throws {@link MetricsInputError} as {@link rocAuc}.
 */
export function interactionAuc(
  labels: BinaryLabels,
  interactions: readonly InteractionResult[] | ArrayLike<number>,
): number {
  const values: number[] = [];
  for (let i = 0; i < interactions.length; i++) {
    const v = interactions[i];
    values.push(typeof v === 'number' ? v : v.interaction);
  }
  return rocAuc(labels, values);
}
