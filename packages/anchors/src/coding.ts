import { type Box } from './box.js';
import { AnchorShapeError } from './errors.js';
import { asPriors, type PriorsLike } from './priors.js';

const f32 = Math.fround;

/** SSD box-coding variances `[centre, size]`; the reference uses `[0.1, 0.2]`. */
export type Variances = readonly [number, number];

/** The reference's variances. */
export const DEFAULT_VARIANCES: Variances = Object.freeze([0.1, 0.2]) as unknown as Variances;

/**
 * Checks variances: two positive finite numbers.
 *
 * @param v - the variances.
 * @throws {@link AnchorShapeError} otherwise.
 * @internal
 */
export function checkVariances(v: Variances): void {
  if (!v || v.length !== 2 || !(v[0] > 0) || !(v[1] > 0) || !Number.isFinite(v[0]) || !Number.isFinite(v[1])) {
    throw new AnchorShapeError(`variances must be two positive finite numbers, got ${JSON.stringify(v)}`);
  }
}

/**
 * SSD-encodes one point-form box against one centre-form prior into
 * `dst[o .. o+3]`, with float32 rounding at each step as the reference's
 * `encode` on float32 tensors:
 * `((x0 + x1)/2 - cx) / (v0 * w)`, `((y0 + y1)/2 - cy) / (v0 * h)`,
 * `log((x1 - x0) / w) / v1`, `log((y1 - y0) / h) / v1`.
 * `v0`, `v1` must already be float32-rounded.
 *
 * @internal
 */
export function encodeOne(
  dst: Float32Array,
  o: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  pcx: number,
  pcy: number,
  pw: number,
  ph: number,
  v0: number,
  v1: number,
): void {
  dst[o] = f32(f32(f32(x0 + x1) / 2 - pcx) / f32(v0 * pw));
  dst[o + 1] = f32(f32(f32(y0 + y1) / 2 - pcy) / f32(v0 * ph));
  dst[o + 2] = f32(f32(Math.log(f32(f32(x1 - x0) / pw))) / v1);
  dst[o + 3] = f32(f32(Math.log(f32(f32(y1 - y0) / ph))) / v1);
}

/**
 * SSD-encodes one box per prior: `boxes[i]` (point form) against prior `i`.
 * Boxes must have positive width and height (else the log gives -Infinity).
 *
 * @param boxes - point-form boxes, as a `count * 4` array or one {@link Box} per prior.
 * @param priors - anchors in centre form.
 * @param variances - `[centre, size]` variances (default `[0.1, 0.2]`).
 * @param out - optional output of length `count * 4`.
 * @returns the offsets, 4 per prior.
 * @throws {@link AnchorShapeError} when the sizes disagree.
 */
export function encodeBoxes(
  boxes: Float32Array | readonly Box[],
  priors: PriorsLike,
  variances: Variances = DEFAULT_VARIANCES,
  out?: Float32Array,
): Float32Array {
  const { data: p, count } = asPriors(priors);
  checkVariances(variances);
  const n = boxes instanceof Float32Array ? boxes.length / 4 : boxes.length;
  if (n !== count) throw new AnchorShapeError(`encodeBoxes: ${n} boxes for ${count} priors`);
  const dst = out ?? new Float32Array(count * 4);
  if (dst.length !== count * 4) throw new AnchorShapeError(`out has length ${dst.length}, expected ${count * 4}`);
  const v0 = f32(variances[0]);
  const v1 = f32(variances[1]);
  for (let i = 0; i < count; i++) {
    const o = 4 * i;
    let x0: number, y0: number, x1: number, y1: number;
    if (boxes instanceof Float32Array) {
      x0 = boxes[o];
      y0 = boxes[o + 1];
      x1 = boxes[o + 2];
      y1 = boxes[o + 3];
    } else {
      const b = (boxes as readonly Box[])[i];
      x0 = f32(b.x0);
      y0 = f32(b.y0);
      x1 = f32(b.x1);
      y1 = f32(b.y1);
    }
    encodeOne(dst, o, x0, y0, x1, y1, p[o], p[o + 1], p[o + 2], p[o + 3], v0, v1);
  }
  return dst;
}

/**
 * Decodes SSD offsets into point-form boxes `(x0, y0, x1, y1)`, as the
 * reference's `decode` on float32 tensors: centre `c + l * v0 * s`, size
 * `s * exp(l * v1)`, then `x0 = cx - w/2`, `x1 = x0 + w`.
 * Boxes are not clipped to [0, 1].
 *
 * @param loc - offsets, 4 per prior (e.g. one image's `loc` head output).
 * @param priors - anchors in centre form.
 * @param variances - `[centre, size]` variances (default `[0.1, 0.2]`).
 * @param out - optional output of length `count * 4`.
 * @returns point-form boxes, 4 values per prior.
 * @throws {@link AnchorShapeError} when `loc` is not 4 values per prior.
 */
export function decodeBoxes(
  loc: ArrayLike<number>,
  priors: PriorsLike,
  variances: Variances = DEFAULT_VARIANCES,
  out?: Float32Array,
): Float32Array {
  const { data: p, count } = asPriors(priors);
  checkVariances(variances);
  if (loc.length !== count * 4) {
    throw new AnchorShapeError(`decodeBoxes: loc has ${loc.length} values, expected ${count * 4} (4 per prior)`);
  }
  const dst = out ?? new Float32Array(count * 4);
  if (dst.length !== count * 4) throw new AnchorShapeError(`out has length ${dst.length}, expected ${count * 4}`);
  const v0 = f32(variances[0]);
  const v1 = f32(variances[1]);
  for (let i = 0; i < count; i++) {
    const o = 4 * i;
    const pw = p[o + 2];
    const ph = p[o + 3];
    const cx = f32(p[o] + f32(f32(f32(loc[o]) * v0) * pw));
    const cy = f32(p[o + 1] + f32(f32(f32(loc[o + 1]) * v0) * ph));
    const w = f32(pw * f32(Math.exp(f32(f32(loc[o + 2]) * v1))));
    const h = f32(ph * f32(Math.exp(f32(f32(loc[o + 3]) * v1))));
    const x0 = f32(cx - w / 2);
    const y0 = f32(cy - h / 2);
    dst[o] = x0;
    dst[o + 1] = y0;
    dst[o + 2] = f32(w + x0);
    dst[o + 3] = f32(h + y0);
  }
  return dst;
}
