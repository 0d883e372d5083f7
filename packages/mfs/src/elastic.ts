/**
 * A fast elastic deformation of masks.
 *
 * The reference deforms its global-swap mask half the time with
 * `elastic_transform(mask, alpha ∈ [300, 500], sigma = 8% of the size)`: a
 * displacement field `alpha · G_σ * U(−1, 1)` per axis (scipy `gaussian_filter`),
 * sampled bilinearly with a zero (`constant`) border. With σ ≈ 18 px at 224 the
 * exact Gaussian (radius 72) costs ~30 M multiply-adds per field, too slow for
 * on-the-fly training samples, so `fast` mode computes the (very smooth) field on a
 * grid `⌊σ/4⌋` times coarser and approximates `G_σ` by three box filters of width
 * `≈ √(4σ² + 1)` (same variance up to rounding; reflect border), then upsamples it
 * bilinearly: O(1) per pixel, same statistics (tested against the exact field's
 * standard deviation and correlation length). `exact` mode uses `@caddm/image`'s
 * `elasticTransform` (scipy-exact Gaussian).
 *
 * TODO(image): move the box-filter field into `@caddm/image` (`elasticDisplacement`
 * with a `fast` option) and use it from there.
 */
import { borderIndex, createImage, elasticTransform, imageSize, nonZeroBox, saturateU8, type ImageU8, type Rng } from '@caddm/image';
import type { Box } from './box.js';
import { MfsArgumentError } from './errors.js';

/** Options of {@link elasticMask}. */
export interface ElasticMaskOptions {
  /** Displacement scale in pixels (the reference draws an integer in 300..500). */
  alpha: number;
  /** Smoothing of the field in pixels (the reference: 8% of the mask height). */
  sigma: number;
  /** Random source. */
  rng: Rng;
  /** `fast` (default: three box filters) or `exact` (scipy Gaussian via `@caddm/image`). */
  mode?: 'fast' | 'exact';
}

/** Scratch of {@link elasticMask} (reused between calls of one worker). */
export class ElasticWorkspace {
  /** field x */
  dx = new Float32Array(0);
  /** field y */
  dy = new Float32Array(0);
  /** coarse fields */
  lowX = new Float32Array(0);
  /** coarse fields */
  lowY = new Float32Array(0);
  /** one line of the box filter */
  line = new Float32Array(0);
  /** upsampling tables: coarse columns and weight per column, coarse rows and weight per row */
  cx0 = new Int32Array(0);
  cx1 = new Int32Array(0);
  ctx = new Float64Array(0);
  ry0 = new Int32Array(0);
  ry1 = new Int32Array(0);
  rty = new Float64Array(0);
  /** coarse rows interpolated along x */
  rowX = new Float64Array(0);
  rowY = new Float64Array(0);

  /** per-row runs of the mask and per-segment field ranges (see {@link elasticMask}) */
  runLo = new Int32Array(0);
  runHi = new Int32Array(0);
  runFull = new Uint8Array(0);
  rangeX: Float64Array<ArrayBuffer> = new Float64Array(0);
  rangeY: Float64Array<ArrayBuffer> = new Float64Array(0);

  /** Makes room for an `h x w` field and a coarse one of `low` cells. */
  ensure(h: number, w: number, low = 0): void {
    if (h * w > 0 && this.dx.length < h * w) {
      this.dx = new Float32Array(h * w);
      this.dy = new Float32Array(h * w);
    }
    if (this.lowX.length < low) {
      this.lowX = new Float32Array(low);
      this.lowY = new Float32Array(low);
    }
    if (this.line.length < Math.max(h, w)) this.line = new Float32Array(Math.max(h, w));
  }
}

/** Box-averages `n` values of `a` starting at `off` with stride `step` (radius r, reflect border). */
function boxLine(a: Float32Array, off: number, step: number, n: number, r: number, line: Float32Array): void {
  for (let i = 0; i < n; i++) line[i] = a[off + i * step];
  const inv = 1 / (2 * r + 1);
  let s = 0;
  for (let j = -r; j <= r; j++) s += line[borderIndex(j, n, 'reflect')];
  for (let i = 0; i < n; i++) {
    a[off + i * step] = s * inv;
    const add = i + r + 1;
    const sub = i - r;
    // Reflect only near the ends (the same values, added in the same order).
    s += (add < n ? line[add] : line[borderIndex(add, n, 'reflect')]) - (sub >= 0 ? line[sub] : line[borderIndex(sub, n, 'reflect')]);
  }
}

/** Smooths an `h x w` field in place with three box passes per axis approximating `G_σ`. */
function boxGauss(a: Float32Array, h: number, w: number, sigma: number, line: Float32Array): void {
  const r = Math.max(1, Math.round((Math.sqrt(4 * sigma * sigma + 1) - 1) / 2));
  for (let pass = 0; pass < 3; pass++) {
    for (let y = 0; y < h; y++) boxLine(a, y * w, 1, w, r, line);
    for (let x = 0; x < w; x++) boxLine(a, x, w, h, r, line);
  }
}

/**
 * Elastically deforms a one-channel `uint8` mask: `dst(x, y) = mask(x + dx, y + dy)`,
 * bilinear, zero outside (the reference's `map_coordinates(order=1, mode='constant')`),
 * rounded back to `uint8` (so soft edges survive for alpha blending; Poisson
 * blending thresholds at 128). Only the mask's support grown by the largest
 * displacement is resampled (the rest stays 0), and the field ({@link elasticField}'s,
 * value for value) is evaluated only there.
 * @throws MfsArgumentError for a non-finite alpha or a non-positive sigma
 */
export function elasticMask(mask: ImageU8, options: ElasticMaskOptions, ws = new ElasticWorkspace()): ImageU8 {
  const { alpha, sigma } = options;
  if (!Number.isFinite(alpha)) throw new MfsArgumentError(`elastic alpha must be finite, got ${alpha}`);
  if (!(sigma > 0) || !Number.isFinite(sigma)) throw new MfsArgumentError(`elastic sigma must be > 0, got ${sigma}`);
  const { height: h, width: w, channels: c } = imageSize(mask);
  if (c !== 1) throw new MfsArgumentError(`elasticMask needs a one-channel mask, got ${c} channels`);
  if ((options.mode ?? 'fast') === 'exact') {
    return elasticTransform(mask, { alpha, sigma, rng: options.rng, border: 'constant', borderValue: 0 });
  }
  const low = lowFields(h, w, options, ws);
  const out = createImage(h, w, 1);
  const box = nonZeroBox(mask);
  if (box == null) return out;
  // The field interpolates the coarse values: |d| <= alpha · max |coarse| bounds the reach.
  let peak = 0;
  for (let i = 0; i < low.n; i++) peak = Math.max(peak, Math.abs(ws.lowX[i]), Math.abs(ws.lowY[i]));
  // (the margin covers the field's float32 rounding)
  const g = Math.ceil(Math.abs(alpha) * peak * (1 + 1e-6)) + 1;
  const X0 = Math.max(0, box.x0 - g);
  const X1 = Math.min(w - 1, box.x1 - 1 + g);
  const Y0 = Math.max(0, box.y0 - g);
  const Y1 = Math.min(h - 1, box.y1 - 1 + g);
  const { x0: cx0, x1: cx1, t: ctx, y0: ry0, y1: ry1, ty: rty } = upsampleTables(h, w, low, ws);
  const lw = low.lw;
  const src = mask.data;
  const d = out.data;
  // Rows of each coarse field interpolated along x at every column (as elasticField does).
  const RX = rowInterp(ws.lowX, low.lh, lw, w, cx0, cx1, ctx, ws.rowX);
  const RY = rowInterp(ws.lowY, low.lh, lw, w, cx0, cx1, ctx, ws.rowY);
  ws.rowX = RX;
  ws.rowY = RY;
  const rows = rowRuns(src, h, w, box, ws);
  // Per coarse row and segment of SEG columns: the range of each interpolated field row.
  const nSeg = Math.ceil(w / SEG);
  const rangeX = segmentRanges(RX, low.lh, w, nSeg, ws.rangeX);
  const rangeY = segmentRanges(RY, low.lh, w, nSeg, ws.rangeY);
  ws.rangeX = rangeX;
  ws.rangeY = rangeY;
  for (let y = Y0; y <= Y1; y++) {
    const ja = ry0[y];
    const jb = ry1[y];
    const a = ja * w;
    const b = jb * w;
    const ty = rty[y];
    for (let xs = X0; xs <= X1; ) {
      const seg = Math.floor(xs / SEG);
      const xe = Math.min(X1, seg * SEG + SEG - 1);
      // The segment's taps lie within rows y + [⌊dy⌋, ⌈dy⌉ + 1], columns [xs + ⌊dx⌋, xe + ⌈dx⌉ + 1]
      // over the field's range (a convex combination of two coarse rows' values; ±1 covers rounding).
      const ka = (ja * nSeg + seg) * 2;
      const kb = (jb * nSeg + seg) * 2;
      const fx0 = alpha * Math.min(rangeX[ka], rangeX[kb]);
      const fx1 = alpha * Math.max(rangeX[ka + 1], rangeX[kb + 1]);
      const fy0 = alpha * Math.min(rangeY[ka], rangeY[kb]);
      const fy1 = alpha * Math.max(rangeY[ka + 1], rangeY[kb + 1]);
      const fill = blockValue(
        rows,
        h,
        y + Math.floor(Math.min(fy0, fy1)) - 1,
        y + Math.ceil(Math.max(fy0, fy1)) + 2,
        xs + Math.floor(Math.min(fx0, fx1)) - 1,
        xe + Math.ceil(Math.max(fx0, fx1)) + 2,
      );
      if (fill === 255) for (let i = y * w + xs, e = y * w + xe; i <= e; i++) d[i] = 255;
      else if (fill !== 0) warpRun(src, d, h, w, alpha, RX, RY, a, b, ty, y, xs, xe);
      xs = xe + 1;
    }
  }
  return out;
}

/** Column segment of {@link elasticMask}'s block test. */
const SEG = 16;

/** Per row of a mask: first and last nonzero column (−1, −1 when none) and whether every value between them is 255. */
interface RowRuns {
  lo: Int32Array;
  hi: Int32Array;
  full: Uint8Array;
}

/** {@link RowRuns} of a mask whose nonzero values lie in `box`. */
function rowRuns(src: Uint8Array, h: number, w: number, box: Box, ws: ElasticWorkspace): RowRuns {
  if (ws.runLo.length < h) {
    ws.runLo = new Int32Array(h);
    ws.runHi = new Int32Array(h);
    ws.runFull = new Uint8Array(h);
  }
  const { runLo: lo, runHi: hi, runFull: full } = ws;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    let a = box.x0;
    if (y >= box.y0 && y < box.y1) while (a < box.x1 && src[row + a] === 0) a++;
    else a = box.x1;
    if (a === box.x1) {
      lo[y] = hi[y] = -1;
      full[y] = 0;
      continue;
    }
    let e = box.x1 - 1;
    while (src[row + e] === 0) e--;
    let f = 1;
    for (let x = a; x <= e; x++) {
      if (src[row + x] !== 255) {
        f = 0;
        break;
      }
    }
    lo[y] = a;
    hi[y] = e;
    full[y] = f;
  }
  return { lo, hi, full };
}

/** Min and max of each field row over each segment: `[min, max]` per (coarse row, segment). */
function segmentRanges(R: Float64Array, lh: number, w: number, nSeg: number, buf: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> {
  const out = buf.length >= lh * nSeg * 2 ? buf : new Float64Array(lh * nSeg * 2);
  for (let j = 0; j < lh; j++) {
    for (let sg = 0; sg < nSeg; sg++) {
      let mn = Infinity;
      let mx = -Infinity;
      for (let x = sg * SEG, e = Math.min(w, x + SEG); x < e; x++) {
        const v = R[j * w + x];
        if (v < mn) mn = v;
        if (v > mx) mx = v;
      }
      out[(j * nSeg + sg) * 2] = mn;
      out[(j * nSeg + sg) * 2 + 1] = mx;
    }
  }
  return out;
}

/**
 * 0 when every mask value in rows `y0..y1`, columns `x0..x1` is 0 (outside the image
 * counts as 0), 255 when every one is 255 (all inside the image), else −1.
 */
function blockValue(r: RowRuns, h: number, y0: number, y1: number, x0: number, x1: number): number {
  let zero = true;
  let full = y0 >= 0 && y1 < h;
  for (let y = Math.max(0, y0), e = Math.min(h - 1, y1); y <= e; y++) {
    const lo = r.lo[y];
    const hi = r.hi[y];
    if (lo >= 0 && lo <= x1 && hi >= x0) zero = false;
    if (!(r.full[y] === 1 && lo <= x0 && hi >= x1)) full = false;
    if (!zero && !full) return -1;
  }
  return zero ? 0 : full ? 255 : -1;
}

/** Resamples columns `xs..xe` of row y (see {@link elasticMask}). */
function warpRun(
  src: Uint8Array,
  d: Uint8Array,
  h: number,
  w: number,
  alpha: number,
  RX: Float64Array,
  RY: Float64Array,
  a: number,
  b: number,
  ty: number,
  y: number,
  xs: number,
  xe: number,
): void {
  for (let x = xs; x <= xe; x++) {
    // Float32, like the stored field.
    const sx = x + Math.fround(alpha * (RX[a + x] * (1 - ty) + RX[b + x] * ty));
    const sy = y + Math.fround(alpha * (RY[a + x] * (1 - ty) + RY[b + x] * ty));
    const xi = Math.floor(sx);
    const yi = Math.floor(sy);
    const fx = sx - xi;
    const fy = sy - yi;
    const inX0 = xi >= 0 && xi < w;
    const inX1 = xi + 1 >= 0 && xi + 1 < w;
    const inY0 = yi >= 0 && yi < h;
    const inY1 = yi + 1 >= 0 && yi + 1 < h;
    const p = yi * w + xi;
    const v00 = inY0 && inX0 ? src[p] : 0;
    const v01 = inY0 && inX1 ? src[p + 1] : 0;
    const v10 = inY1 && inX0 ? src[p + w] : 0;
    const v11 = inY1 && inX1 ? src[p + w + 1] : 0;
    if (v00 === 0 && v01 === 0 && v10 === 0 && v11 === 0) continue;
    const v = (1 - fx) * (1 - fy) * v00 + fx * (1 - fy) * v01 + (1 - fx) * fy * v10 + fx * fy * v11;
    d[y * w + x] = saturateU8(v);
  }
}

/** Coarse grid of the fast field: `f` times coarser, `lh x lw` cells, `n` of them. */
interface LowGrid {
  f: number;
  lh: number;
  lw: number;
  n: number;
}

/**
 * Draws and smooths the coarse fields of {@link elasticField} into `ws.lowX`, `ws.lowY`
 * (x's noise first, then y's).
 */
function lowFields(h: number, w: number, options: Pick<ElasticMaskOptions, 'alpha' | 'sigma' | 'rng'>, ws: ElasticWorkspace): LowGrid {
  const { sigma, rng } = options;
  const f = Math.max(1, Math.floor(sigma / 4));
  const lh = Math.ceil(h / f);
  const lw = Math.ceil(w / f);
  const n = lh * lw;
  ws.ensure(0, Math.max(h, w), n);
  const std = Math.sqrt(1 / (3 * f * f));
  for (const low of [ws.lowX, ws.lowY]) {
    for (let i = 0; i < n; i++) low[i] = rng.normal(0, std);
    boxGauss(low, lh, lw, sigma / f, ws.line);
  }
  return { f, lh, lw, n };
}

/**
 * Bilinear upsampling tables: low-res sample j sits at full-res `(j + 0.5) f − 0.5`;
 * per column the two coarse columns and the weight, per row the same for rows.
 */
function upsampleTables(
  h: number,
  w: number,
  { f, lh, lw }: LowGrid,
  ws: ElasticWorkspace,
): { x0: Int32Array; x1: Int32Array; t: Float64Array; y0: Int32Array; y1: Int32Array; ty: Float64Array } {
  if (ws.cx0.length < w) {
    ws.cx0 = new Int32Array(w);
    ws.cx1 = new Int32Array(w);
    ws.ctx = new Float64Array(w);
  }
  if (ws.ry0.length < h) {
    ws.ry0 = new Int32Array(h);
    ws.ry1 = new Int32Array(h);
    ws.rty = new Float64Array(h);
  }
  const { cx0, cx1, ctx, ry0, ry1, rty } = ws;
  for (let x = 0; x < w; x++) {
    let u = (x + 0.5) / f - 0.5;
    u = u < 0 ? 0 : u > lw - 1 ? lw - 1 : u;
    const x0 = Math.min(Math.floor(u), lw - 1);
    cx0[x] = x0;
    cx1[x] = Math.min(x0 + 1, lw - 1);
    ctx[x] = u - x0;
  }
  for (let y = 0; y < h; y++) {
    let v = (y + 0.5) / f - 0.5;
    v = v < 0 ? 0 : v > lh - 1 ? lh - 1 : v;
    const y0 = Math.min(Math.floor(v), lh - 1);
    ry0[y] = y0;
    ry1[y] = Math.min(y0 + 1, lh - 1);
    rty[y] = v - y0;
  }
  return { x0: cx0, x1: cx1, t: ctx, y0: ry0, y1: ry1, ty: rty };
}

/** Every coarse row interpolated along x at each of `w` columns (`lh x w`, float64). */
function rowInterp(
  low: Float32Array,
  lh: number,
  lw: number,
  w: number,
  cx0: Int32Array,
  cx1: Int32Array,
  ctx: Float64Array,
  buf: Float64Array<ArrayBuffer>,
): Float64Array<ArrayBuffer> {
  const out = buf.length >= lh * w ? buf : new Float64Array(lh * w);
  for (let j = 0; j < lh; j++) {
    const base = j * lw;
    const o = j * w;
    for (let x = 0; x < w; x++) {
      const tx = ctx[x];
      out[o + x] = low[base + cx0[x]] * (1 - tx) + low[base + cx1[x]] * tx;
    }
  }
  return out;
}

/**
 * The `fast` displacement field, `alpha · G_σ * U(−1, 1)` per axis, approximated on a
 * grid `f = max(1, floor(σ / 4))` times coarser: the block means of the noise (drawn
 * as normals of the same variance, `1 / (3 f²)`), three box passes of `σ / f`, and a
 * bilinear upsampling. Returns views into the workspace (valid until its next use);
 * draws x's field, then y's, from `rng`.
 */
export function elasticField(
  h: number,
  w: number,
  options: Pick<ElasticMaskOptions, 'alpha' | 'sigma' | 'rng'>,
  ws = new ElasticWorkspace(),
): { dx: Float32Array; dy: Float32Array } {
  const { alpha } = options;
  const low = lowFields(h, w, options, ws);
  ws.ensure(h, w, low.n);
  const n = h * w;
  const dx = ws.dx.subarray(0, n);
  const dy = ws.dy.subarray(0, n);
  const { x0: cx0, x1: cx1, t: ctx, y0: ry0, y1: ry1, ty: rty } = upsampleTables(h, w, low, ws);
  for (const [full, lowF] of [[dx, ws.lowX], [dy, ws.lowY]] as const) {
    const R = rowInterp(lowF, low.lh, low.lw, w, cx0, cx1, ctx, ws.rowX);
    ws.rowX = R;
    for (let y = 0; y < h; y++) {
      const a = ry0[y] * w;
      const b = ry1[y] * w;
      const ty = rty[y];
      for (let x = 0; x < w; x++) full[y * w + x] = alpha * (R[a + x] * (1 - ty) + R[b + x] * ty);
    }
  }
  return { dx, dy };
}
