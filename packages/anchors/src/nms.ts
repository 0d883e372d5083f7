import { AnchorShapeError, InvalidBoxError } from './errors.js';

const f32 = Math.fround;

/** Options of {@link nms}. */
export interface NmsOptions {
  /** A box is suppressed when its IoU with a kept box is above this (default 0.5; IoU equal to it is kept). */
  readonly iouThreshold?: number;
  /** Only the `topK` highest-scoring boxes are considered (default 200). */
  readonly topK?: number;
}

/**
 * Greedy non-maximum suppression, as the reference's `nms`: take the `topK`
 * highest scores, then repeatedly keep the best remaining box and drop every
 * remaining box whose IoU with it exceeds `iouThreshold`. IoUs are computed
 * with float32 rounding like the reference. Equal scores are visited
 * highest index first (the reference sorts ascending and pops from the end).
 * A pair of zero-area boxes has IoU 0 (the reference gets NaN and drops the box).
 *
 * @param boxes - point-form boxes `(x0, y0, x1, y1)`, 4 values per box.
 * @param scores - one score per box.
 * @param opts - IoU threshold and top-k.
 * @returns indices of the kept boxes, best score first.
 * @throws {@link AnchorShapeError} for mismatched lengths or bad options;
 *   {@link InvalidBoxError} for a NaN score or coordinate, or an inverted box.
 */
export function nms(boxes: ArrayLike<number>, scores: ArrayLike<number>, opts: NmsOptions = {}): Int32Array {
  const iouThreshold = opts.iouThreshold ?? 0.5;
  const topK = opts.topK ?? 200;
  const n = scores.length;
  if (boxes.length !== 4 * n) {
    throw new AnchorShapeError(`nms: ${boxes.length} box values for ${n} scores (need 4 per score)`);
  }
  if (!(iouThreshold >= 0 && iouThreshold <= 1)) {
    throw new AnchorShapeError(`nms: iouThreshold must be in [0, 1], got ${String(iouThreshold)}`);
  }
  if (!Number.isInteger(topK) || topK < 0) throw new AnchorShapeError(`nms: topK must be a non-negative integer, got ${topK}`);
  const area = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const x0 = f32(boxes[4 * i]);
    const y0 = f32(boxes[4 * i + 1]);
    const x1 = f32(boxes[4 * i + 2]);
    const y1 = f32(boxes[4 * i + 3]);
    if (!Number.isFinite(scores[i])) {
      throw new InvalidBoxError(`scores[${i}]`, 'non-finite', `score ${scores[i]} is not finite`);
    }
    if (!Number.isFinite(x0 + y0 + x1 + y1)) {
      throw new InvalidBoxError(`boxes[${i}]`, 'non-finite', `box [${x0}, ${y0}, ${x1}, ${y1}] has a non-finite coordinate`);
    }
    if (x1 < x0 || y1 < y0) {
      throw new InvalidBoxError(`boxes[${i}]`, 'inverted', `box [${x0}, ${y0}, ${x1}, ${y1}] is inverted`);
    }
    area[i] = f32(f32(x1 - x0) * f32(y1 - y0));
  }
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => scores[b] - scores[a] || b - a);
  const cand = order.slice(0, Math.min(topK, n));
  const alive = new Uint8Array(cand.length).fill(1);
  const keep: number[] = [];
  const thr = f32(iouThreshold);
  for (let c = 0; c < cand.length; c++) {
    if (!alive[c]) continue;
    const i = cand[c];
    keep.push(i);
    const ix0 = f32(boxes[4 * i]);
    const iy0 = f32(boxes[4 * i + 1]);
    const ix1 = f32(boxes[4 * i + 2]);
    const iy1 = f32(boxes[4 * i + 3]);
    for (let d = c + 1; d < cand.length; d++) {
      if (!alive[d]) continue;
      const j = cand[d];
      const jx0 = f32(boxes[4 * j]);
      const jy0 = f32(boxes[4 * j + 1]);
      const jx1 = f32(boxes[4 * j + 2]);
      const jy1 = f32(boxes[4 * j + 3]);
      let w = f32((jx1 < ix1 ? jx1 : ix1) - (jx0 > ix0 ? jx0 : ix0));
      let h = f32((jy1 < iy1 ? jy1 : iy1) - (jy0 > iy0 ? jy0 : iy0));
      if (w < 0) w = 0;
      if (h < 0) h = 0;
      const inter = f32(w * h);
      const union = f32(f32(area[j] - inter) + area[i]);
      const v = union > 0 ? f32(inter / union) : 0;
      if (v > thr) alive[d] = 0;
    }
  }
  return Int32Array.from(keep);
}
