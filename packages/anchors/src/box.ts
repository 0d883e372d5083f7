import { InvalidBoxError } from './errors.js';

/** An axis-aligned box in point form, normalised to [0, 1] (x right, y down). */
export interface Box {
  /** Left edge. */
  readonly x0: number;
  /** Top edge. */
  readonly y0: number;
  /** Right edge (`> x0`). */
  readonly x1: number;
  /** Bottom edge (`> y0`). */
  readonly y1: number;
}

/** A box in centre form: centre `(cx, cy)`, width `w`, height `h`. */
export interface CentreBox {
  /** Centre x. */
  readonly cx: number;
  /** Centre y. */
  readonly cy: number;
  /** Width. */
  readonly w: number;
  /** Height. */
  readonly h: number;
}

/**
 * What to do with a box that reaches outside [0, 1]:
 * `'error'` throws {@link InvalidBoxError}; `'clamp'` clips each coordinate
 * to [0, 1] first (the box must still have positive area afterwards).
 */
export type OutOfRangePolicy = 'error' | 'clamp';

/** Tolerance allowed beyond [0, 1] before `'error'` rejects a box (float noise in pixel/224 maths). */
export const RANGE_TOLERANCE = 1e-6;

const fmt = (b: Box): string => `[${b.x0}, ${b.y0}, ${b.x1}, ${b.y1}]`;

/**
 * Checks one ground-truth box and writes its (possibly clamped) coordinates,
 * rounded to float32, into `dst[o .. o+3]` without allocating.
 * See {@link checkBox} for the rules.
 *
 * @internal
 */
export function checkBoxInto(
  box: Box,
  where: string | (() => string),
  outOfRange: OutOfRangePolicy,
  dst: Float32Array,
  o: number,
): void {
  const name = (): string => (typeof where === 'string' ? where : where());
  if (box === null || typeof box !== 'object') {
    throw new InvalidBoxError(name(), 'non-finite', `expected a box {x0, y0, x1, y1}, got ${String(box)}`);
  }
  const { x0, y0, x1, y1 } = box;
  if (!Number.isFinite(x0) || !Number.isFinite(y0) || !Number.isFinite(x1) || !Number.isFinite(y1)) {
    throw new InvalidBoxError(name(), 'non-finite', `box ${fmt(box)} has a non-finite coordinate`);
  }
  if (x1 < x0 || y1 < y0) {
    throw new InvalidBoxError(name(), 'inverted', `box ${fmt(box)} is inverted (needs x1 > x0 and y1 > y0)`);
  }
  const lo = -RANGE_TOLERANCE;
  const hi = 1 + RANGE_TOLERANCE;
  const inRange = x0 >= lo && y0 >= lo && x1 <= hi && y1 <= hi;
  if (!inRange && outOfRange !== 'clamp') {
    throw new InvalidBoxError(name(), 'out-of-range', `box ${fmt(box)} reaches outside [0, 1]`);
  }
  dst[o] = x0 < 0 ? 0 : x0 > 1 ? 1 : x0;
  dst[o + 1] = y0 < 0 ? 0 : y0 > 1 ? 1 : y0;
  dst[o + 2] = x1 < 0 ? 0 : x1 > 1 ? 1 : x1;
  dst[o + 3] = y1 < 0 ? 0 : y1 > 1 ? 1 : y1;
  if (!(dst[o + 2] > dst[o]) || !(dst[o + 3] > dst[o + 1])) {
    throw new InvalidBoxError(
      name(),
      'zero-area',
      inRange ? `box ${fmt(box)} has zero area` : `box ${fmt(box)} has zero area inside [0, 1]`,
    );
  }
}

/**
 * Checks one ground-truth box and returns it, clamped to [0, 1] under the
 * `'clamp'` policy (values within {@link RANGE_TOLERANCE} outside the unit
 * square are clamped under either policy) and rounded to float32, the
 * precision the matcher works in.
 *
 * @param box - the box.
 * @param where - a name for error messages, e.g. `"truths[0]"`.
 * @param outOfRange - policy for coordinates outside [0, 1] (default `'error'`).
 * @throws {@link InvalidBoxError} for NaN/infinite coordinates, inverted or
 *   zero-area boxes (also zero area after float32 rounding or clamping), or
 *   out-of-range boxes under `'error'`.
 */
export function checkBox(box: Box, where: string, outOfRange: OutOfRangePolicy = 'error'): Box {
  const t = new Float32Array(4);
  checkBoxInto(box, where, outOfRange, t, 0);
  return { x0: t[0], y0: t[1], x1: t[2], y1: t[3] };
}

/**
 * Point form to centre form.
 *
 * @param b - a point-form box.
 */
export function toCentre(b: Box): CentreBox {
  return { cx: (b.x0 + b.x1) / 2, cy: (b.y0 + b.y1) / 2, w: b.x1 - b.x0, h: b.y1 - b.y0 };
}

/**
 * Centre form to point form.
 *
 * @param c - a centre-form box.
 */
export function toPoint(c: CentreBox): Box {
  return { x0: c.cx - c.w / 2, y0: c.cy - c.h / 2, x1: c.cx + c.w / 2, y1: c.cy + c.h / 2 };
}

/**
 * Converts `[x0, y0, x1, y1]` tuples (the reference's truth layout) to boxes.
 *
 * @param rows - arrays of four numbers.
 */
export function boxesFromArrays(rows: ReadonlyArray<ArrayLike<number>>): Box[] {
  return rows.map((r) => ({ x0: r[0], y0: r[1], x1: r[2], y1: r[3] }));
}

/**
 * Intersection over union of two point-form boxes, in float64. Returns 0 when
 * the union is empty (both boxes degenerate), and NaN when a coordinate is
 * NaN (rather than a plausible 0). Symmetric and within [0, 1].
 *
 * @param a - first box.
 * @param b - second box.
 */
export function iou(a: Box, b: Box): number {
  const iw = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
  const ih = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
  // Every coordinate goes through Math.min/max, which return NaN when any argument is NaN.
  if (Number.isNaN(iw) || Number.isNaN(ih)) return Number.NaN;
  if (iw <= 0 || ih <= 0) return 0;
  const inter = iw * ih;
  const union = (a.x1 - a.x0) * (a.y1 - a.y0) + (b.x1 - b.x0) * (b.y1 - b.y0) - inter;
  return union > 0 ? Math.min(1, inter / union) : 0;
}
