/**
 * Sliding windows over a DSSIM map: the window with the largest sum (paper Eq. 2),
 * exactly over every position in O(HW) with an integral image, or the reference's
 * 5x5 grid (REFERENCE.md bug 2).
 */
import { type Box } from './box.js';
import { MfsArgumentError, MfsShapeError, WindowError } from './errors.js';

/** A 2-D (`[H, W]`) or HWC (`[H, W, C]`) array of numbers: an `ndarray` or a plain description. */
export interface MapLike {
  /** element storage */
  readonly data: ArrayLike<number>;
  /** `[H, W]` or `[H, W, C]` */
  readonly shape: readonly number[];
  /** strides per dimension (default: dense row-major) */
  readonly stride?: readonly number[];
  /** index of element `[0, 0(, 0)]` (default 0) */
  readonly offset?: number;
}

/** How window positions are searched. */
export type WindowMode = 'exact' | 'reference';

/** Options of {@link slidingWindow}. */
export interface WindowOptions {
  /**
   * `exact` (default): every top-left corner, paper Eq. 2. `reference`: only top-left
   * corners on a grid of step `(max(1, H // 5), max(1, W // 5))` as CADDM's
   * `_sliding_bbox` (whose step is 0, a crash, for maps under 5 pixels).
   */
  mode?: WindowMode;
}

/** Result of {@link slidingWindow}: the window's box in the map's pixels, and its sum. */
export interface WindowResult extends Box {
  /** Sum of the map (all channels) over the window. */
  sum: number;
}

/**
 * Reusable buffers for {@link slidingWindow}; allocate one per worker to keep the
 * hot path allocation-free. Grows on demand.
 */
export class WindowWorkspace {
  /** channel-summed plane, H*W */
  plane = new Float64Array(0);
  /** integral image, (H+1)*(W+1) */
  integral = new Float64Array(0);

  /** Makes sure the buffers hold an `h x w` map. */
  ensure(h: number, w: number): void {
    if (this.plane.length < h * w) this.plane = new Float64Array(h * w);
    if (this.integral.length < (h + 1) * (w + 1)) this.integral = new Float64Array((h + 1) * (w + 1));
  }
}

const shared = new WindowWorkspace();

/**
 * Sums the map over its channels into `ws.plane` (H*W, row-major) and returns `[H, W]`.
 * @throws MfsShapeError for a map that is not 2-D or 3-D or has an empty dimension
 */
export function sumChannels(map: MapLike, ws: WindowWorkspace = shared): [number, number] {
  const shape = map.shape;
  if (shape.length !== 2 && shape.length !== 3) {
    throw new MfsShapeError(`the map must be HW or HWC, got shape ${JSON.stringify(shape)}`);
  }
  const [h, w] = shape;
  const c = shape.length === 3 ? shape[2] : 1;
  if (!(h > 0 && w > 0 && c > 0)) throw new MfsShapeError(`the map is empty: shape ${JSON.stringify(shape)}`);
  ws.ensure(h, w);
  const d = map.data;
  const off = map.offset ?? 0;
  const st = map.stride ?? (shape.length === 3 ? [w * c, c, 1] : [w, 1]);
  const s0 = st[0];
  const s1 = st[1];
  const s2 = shape.length === 3 ? st[2] : 0;
  // The first and last element the shape and strides reach must lie in the data.
  const span = [(h - 1) * s0, (w - 1) * s1, (c - 1) * s2];
  const lo = off + span.reduce((a, v) => a + Math.min(0, v), 0);
  const hi = off + span.reduce((a, v) => a + Math.max(0, v), 0);
  if (lo < 0 || hi >= d.length) {
    throw new MfsShapeError(`the map's shape ${JSON.stringify(shape)} reaches element ${lo < 0 ? lo : hi} but its data holds ${d.length} values`);
  }
  const plane = ws.plane;
  if (c === 3 && s2 === 1 && s1 === 3) {
    for (let y = 0; y < h; y++) {
      let i = off + y * s0;
      let o = y * w;
      for (let x = 0; x < w; x++, i += 3) plane[o++] = d[i] + d[i + 1] + d[i + 2];
    }
  } else {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const base = off + y * s0 + x * s1;
        let s = 0;
        for (let k = 0; k < c; k++) s += d[base + k * s2];
        plane[y * w + x] = s;
      }
    }
  }
  return [h, w];
}

function checkWindow(h: number, w: number, wh: number, ww: number): void {
  if (!Number.isInteger(wh) || !Number.isInteger(ww) || wh <= 0 || ww <= 0) {
    throw new MfsArgumentError(`window must be positive integers [h, w], got [${wh}, ${ww}]`);
  }
  if (wh > h || ww > w) throw new WindowError(`window [${wh}, ${ww}] does not fit in the ${h}x${w} map`);
}

/**
 * The `[h, w]` window with the largest sum over a map (channels summed), as a box
 * `{ x0, y0, x1, y1 }` (x = column, exclusive ends) with its `sum`.
 *
 * `exact`: every top-left corner; ties go to the first maximum in row-major order
 * (like `numpy.argmax`). Window sums come from an integral image. `reference`:
 * CADDM's grid (see {@link WindowOptions.mode}), first strict maximum, sums taken
 * directly. An all-zero (or all-equal) map has no unique maximum: `exact` then
 * returns the top-left window; `reference` returns the reference's answer for a
 * map whose every window sums to 0 or less, the empty box `{0, 0, 0, 0}` (sum 0).
 * @param map - HW or HWC map (e.g. a DSSIM map), values finite
 * @param window - `[h, w]` in pixels (rows, columns)
 * @throws MfsShapeError for a bad map; WindowError when the window is larger than the map;
 *   MfsArgumentError for a non-positive window or a non-finite map value
 */
export function slidingWindow(
  map: MapLike,
  window: readonly [number, number],
  options: WindowOptions = {},
  ws: WindowWorkspace = shared,
): WindowResult {
  const mode = options.mode ?? 'exact';
  if (mode !== 'exact' && mode !== 'reference') {
    throw new MfsArgumentError(`mode must be 'exact' or 'reference', got ${JSON.stringify(mode)}`);
  }
  const [h, w] = sumChannels(map, ws);
  const [wh, ww] = window;
  checkWindow(h, w, wh, ww);
  const plane = ws.plane;
  const ii = ws.integral;
  const W1 = w + 1;
  for (let x = 0; x <= w; x++) ii[x] = 0;
  for (let y = 0; y < h; y++) {
    let row = 0;
    const o = (y + 1) * W1;
    const p = y * w;
    ii[o] = 0;
    for (let x = 0; x < w; x++) {
      row += plane[p + x];
      ii[o + x + 1] = ii[o - W1 + x + 1] + row;
    }
  }
  if (!Number.isFinite(ii[h * W1 + w])) throw new MfsArgumentError('the map holds a NaN or infinite value');
  if (mode === 'reference') return referenceGrid(plane, h, w, wh, ww);
  let best = -Infinity;
  let bi = 0;
  let bj = 0;
  for (let i = 0; i + wh <= h; i++) {
    const top = i * W1;
    const bot = (i + wh) * W1;
    for (let j = 0; j + ww <= w; j++) {
      const s = ii[bot + j + ww] - ii[top + j + ww] - ii[bot + j] + ii[top + j];
      if (s > best) {
        best = s;
        bi = i;
        bj = j;
      }
    }
  }
  return { x0: bj, y0: bi, x1: bj + ww, y1: bi + wh, sum: directSum(plane, w, bi, bj, wh, ww) };
}

function directSum(plane: Float64Array, w: number, i: number, j: number, wh: number, ww: number): number {
  let s = 0;
  for (let y = i; y < i + wh; y++) for (let x = j; x < j + ww; x++) s += plane[y * w + x];
  return s;
}

function referenceGrid(plane: Float64Array, h: number, w: number, wh: number, ww: number): WindowResult {
  const si = Math.max(1, Math.floor(h / 5));
  const sj = Math.max(1, Math.floor(w / 5));
  let best = 0;
  let box: WindowResult = { x0: 0, y0: 0, x1: 0, y1: 0, sum: 0 };
  for (let i = 0; i < h; i += si) {
    for (let j = 0; j < w; j += sj) {
      if (i + wh <= h && j + ww <= w) {
        const s = directSum(plane, w, i, j, wh, ww);
        if (s > best) {
          best = s;
          box = { x0: j, y0: i, x1: j + ww, y1: i + wh, sum: s };
        }
      }
    }
  }
  return box;
}
