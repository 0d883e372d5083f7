import { checkBox, type Box, type OutOfRangePolicy } from './box.js';
import { asPriors, priorsToPointForm, type PriorsLike } from './priors.js';

const f32 = Math.fround;

/**
 * IoU of two point-form boxes with float32 rounding after every arithmetic
 * step, in the same order as the reference's `jaccard` on float32 tensors:
 * `inter = clamp(min(x1) - max(x0), 0) * clamp(min(y1) - max(y0), 0)`,
 * `union = (area_a + area_b) - inter`, `iou = inter / union`. Inputs must
 * already be float32 values (e.g. read from a Float32Array) for the result to
 * be bit-identical to the reference.
 *
 * `areaA` and `areaB` are the float32 areas `(x1 - x0) * (y1 - y0)`.
 * A zero union gives 0 (the reference would give NaN, which never matches).
 *
 * @internal
 */
export function iouF32(
  ax0: number,
  ay0: number,
  ax1: number,
  ay1: number,
  areaA: number,
  bx0: number,
  by0: number,
  bx1: number,
  by1: number,
  areaB: number,
): number {
  let iw = f32((ax1 < bx1 ? ax1 : bx1) - (ax0 > bx0 ? ax0 : bx0));
  let ih = f32((ay1 < by1 ? ay1 : by1) - (ay0 > by0 ? ay0 : by0));
  if (iw < 0) iw = 0;
  if (ih < 0) ih = 0;
  const inter = f32(iw * ih);
  const union = f32(f32(areaA + areaB) - inter);
  return union > 0 ? f32(inter / union) : 0;
}

/**
 * Float32 area `(x1 - x0) * (y1 - y0)` of a point-form box, rounded as the reference does.
 *
 * @internal
 */
export function areaF32(x0: number, y0: number, x1: number, y1: number): number {
  return f32(f32(x1 - x0) * f32(y1 - y0));
}

/**
 * The truth-by-prior IoU matrix the matcher uses, computed in float32 exactly
 * as the reference (`jaccard(truths, point_form(priors))`).
 *
 * @param truths - ground-truth boxes in point form (validated as in {@link matchAnchors}).
 * @param priors - anchors in centre form.
 * @param outOfRange - policy for truths outside [0, 1] (default `'error'`).
 * @returns `truths.length * count` IoUs, row `t` for truth `t`.
 */
export function overlapMatrix(
  truths: readonly Box[],
  priors: PriorsLike,
  outOfRange: OutOfRangePolicy = 'error',
): Float32Array {
  const p = asPriors(priors);
  const pt = priorsToPointForm(p);
  const out = new Float32Array(truths.length * p.count);
  truths.forEach((raw, t) => {
    const b = checkBox(raw, `truths[${t}]`, outOfRange);
    const x0 = f32(b.x0);
    const y0 = f32(b.y0);
    const x1 = f32(b.x1);
    const y1 = f32(b.y1);
    const a = areaF32(x0, y0, x1, y1);
    for (let i = 0; i < p.count; i++) {
      const o = 4 * i;
      const px0 = pt[o];
      const py0 = pt[o + 1];
      const px1 = pt[o + 2];
      const py1 = pt[o + 3];
      out[t * p.count + i] = iouF32(x0, y0, x1, y1, a, px0, py0, px1, py1, areaF32(px0, py0, px1, py1));
    }
  });
  return out;
}
