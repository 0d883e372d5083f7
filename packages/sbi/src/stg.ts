/**
 * The geometric part of SBI's source-target generator (`randaffine`): albumentations
 * `Affine(translate_percent, scale)` about the image centre `((W-1)/2, (H-1)/2)`,
 * i.e. `p' = S·(p − c) + t + c`, applied to the source (bilinear) and the mask (nearest),
 * zero border.
 */
import type { Rng } from '@caddm/image';
import type { StgOptions } from './options.js';

/** The drawn affine: per-axis scale and translation in pixels. */
export interface AffineParams {
  /** horizontal scale */
  scaleX: number;
  /** vertical scale */
  scaleY: number;
  /** horizontal translation in pixels */
  tx: number;
  /** vertical translation in pixels */
  ty: number;
}

/** Draws the affine for a `w x h` image. */
export function sampleAffine(rng: Rng, w: number, h: number, o: StgOptions): AffineParams {
  const tx = rng.uniform(o.translateX[0], o.translateX[1]) * w;
  const ty = rng.uniform(o.translateY[0], o.translateY[1]) * h;
  const scaleX = rng.uniform(o.scale[0], o.scale[1]);
  const scaleY = o.keepRatio ? scaleX : rng.uniform(o.scale[0], o.scale[1]);
  return { scaleX, scaleY, tx, ty };
}

/**
 * The 2x3 matrices of the affine, forward (source to destination) and inverse.
 * @returns `{ forward, inverse }`, each `[a, b, c, d, e, f]` mapping `(x, y)` to `(a·x + b·y + c, d·x + e·y + f)`
 */
export function affineMatrices(p: AffineParams, w: number, h: number): { forward: Float64Array; inverse: Float64Array } {
  const cx = w / 2 - 0.5;
  const cy = h / 2 - 0.5;
  const forward = Float64Array.of(p.scaleX, 0, cx + p.tx - p.scaleX * cx, 0, p.scaleY, cy + p.ty - p.scaleY * cy);
  const inverse = Float64Array.of(1 / p.scaleX, 0, cx - (cx + p.tx) / p.scaleX, 0, 1 / p.scaleY, cy - (cy + p.ty) / p.scaleY);
  return { forward, inverse };
}
