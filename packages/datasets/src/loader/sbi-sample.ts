/**
 * The Self-Blended Images step of a training sample (synthesis `'sbi'`, Table 6 of the paper):
 * a real frame, already aligned to the canvas, becomes either its real counterpart (label 0)
 * or a pseudo-fake blended from two copies of itself (label 1) by `selfBlend` of `@caddm/sbi`,
 * carrying the whole-canvas box and the blend's artifact box like an MFS fake.
 */
import { sourceTargetAugment, resolveSbiOptions, selfBlend, SbiMaskError, type SbiOptions } from '@caddm/sbi';
import type { ImageU8, Rng } from '@caddm/image';
import { DatasetError } from '../errors.js';
import type { PixelBox } from '../augment/ops.js';

/** Draws of `selfBlend` tried per fake before giving up (a mask can vanish for an unlucky draw). */
export const SBI_ATTEMPTS = 3;

/** What {@link sbiFake} and {@link sbiReal} return. */
export interface SbiStep {
  /** The canvas after the step. */
  image: ImageU8;
  /** Canvas-pixel boxes `[x0, y0, x1, y1]`: `[whole canvas, artifact box]` for a fake, none for a real. */
  boxes: PixelBox[];
  /** What was done, for the sample's `ops`. */
  ops: string[];
}

/**
 * Landmarks clamped into a `size x size` canvas. SBI needs every face point inside the image;
 * after a strong alignment jitter a jaw point can leave the canvas, where the face is not
 * visible anyway, so the hull is cut at the border.
 * @returns the clamped copy and how many coordinates moved
 */
function clampToCanvas(points: ArrayLike<number>, size: number): { points: Float32Array; moved: number } {
  const out = Float32Array.from(points);
  let moved = 0;
  for (let i = 0; i < out.length; i++) {
    const v = Math.min(Math.max(out[i], 0), size - 1);
    if (v !== out[i]) moved++;
    out[i] = v;
  }
  return { points: out, moved };
}

/**
 * Self-blends an aligned canvas into a pseudo-fake. The random draws come from `rng`; after a
 * {@link SbiMaskError} (a mask that vanished) the next draw is tried, up to {@link SBI_ATTEMPTS}.
 * @param image - the aligned real canvas, `S x S x 3` `uint8`
 * @param points - its landmarks (68 or 81 points, flat) in canvas pixels
 * @param where - `id` and `frame` for the error message, `file` for its path
 * @throws DatasetError when every attempt fails (degenerate landmarks, face far too small)
 */
export function sbiFake(image: ImageU8, points: ArrayLike<number>, rng: Rng, options: SbiOptions | undefined, where: { id: string; frame: number; file: string }): SbiStep {
  const S = image.shape[1];
  const { points: lm, moved } = clampToCanvas(points, S);
  const ops: string[] = moved > 0 ? [`sbi:landmarks-clamped:${moved}`] : [];
  let last: unknown;
  for (let attempt = 0; attempt < SBI_ATTEMPTS; attempt++) {
    try {
      const r = selfBlend(image, lm, rng, options);
      const { x0, y0, x1, y1 } = r.box;
      ops.push(`sbi:${r.params.hullType}:${r.params.blendRatio}:${r.params.augmented}`);
      return { image: r.fake, boxes: [[0, 0, S, image.shape[0]], [x0, y0, x1, y1]], ops };
    } catch (e) {
      last = e;
      if (!(e instanceof SbiMaskError)) break;
    }
  }
  const why = last instanceof Error ? `${last.name}: ${last.message}` : String(last);
  throw new DatasetError(`self-blending frame ${where.frame} of video ${where.id} failed (${why})`, where.file);
}

/**
 * The real counterpart of a self-blended pair: SBI augments the target of its blend (the real
 * image of the pair) with its source-target augmentation when it does not augment the source,
 * i.e. with probability `1 - augmentSourceProb` (0.5).
 * @param image - the aligned real canvas
 */
export function sbiReal(image: ImageU8, rng: Rng, options: SbiOptions | undefined): SbiStep {
  const o = resolveSbiOptions(options);
  if (rng.next() < o.augmentSourceProb) return { image, boxes: [], ops: ['sbi-real:as-is'] };
  return { image: sourceTargetAugment(image, rng, o.color, o.quality).image, boxes: [], ops: ['sbi-real:augmented'] };
}
