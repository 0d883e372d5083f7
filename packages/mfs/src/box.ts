/**
 * Pixel boxes. Our boxes are `{ x0, y0, x1, y1 }` with x = column, y = row, and
 * exclusive ends (`x1 = x0 + width`). The reference writes window boxes as
 * `[row0, col0, row1, col1]` and then matches them as `[x0, y0, x1, y1]`
 * (REFERENCE.md bug 3: transposed).
 */

/** A box in pixels, x = column, y = row, `x1`/`y1` exclusive. */
export interface Box {
  /** left column */
  x0: number;
  /** top row */
  y0: number;
  /** right column (exclusive) */
  x1: number;
  /** bottom row (exclusive) */
  y1: number;
}

/** The box from a reference `[row0, col0, row1, col1]` array. */
export function boxFromRowCol(rc: readonly number[]): Box {
  return { x0: rc[1], y0: rc[0], x1: rc[3], y1: rc[2] };
}

/** The reference's `[row0, col0, row1, col1]` array of a box. */
export function boxToRowCol(b: Box): [number, number, number, number] {
  return [b.y0, b.x0, b.y1, b.x1];
}

/** `[x0, y0, x1, y1]`, the order the detector's matcher expects. */
export function boxToXyxy(b: Box): [number, number, number, number] {
  return [b.x0, b.y0, b.x1, b.y1];
}

/**
 * The box the reference hands to its matcher: `[row0, col0, row1, col1]` read as
 * `[x0, y0, x1, y1]`, i.e. the box mirrored about the main diagonal. Only for
 * reproducing the reference (`referenceBoxes: true`).
 */
export function transposeBox(b: Box): Box {
  return { x0: b.y0, y0: b.x0, x1: b.y1, y1: b.x1 };
}

/** Box width and height. */
export function boxSize(b: Box): { width: number; height: number } {
  return { width: b.x1 - b.x0, height: b.y1 - b.y0 };
}
