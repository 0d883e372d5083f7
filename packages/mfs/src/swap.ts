/**
 * Global and partial facial swaps on aligned, same-sized canvases (paper Sec. 4.2).
 *
 * Both paste `foreground` content into `background` inside a mask and blend
 * (Poisson or alpha). The global mask is the landmarks' convex hull (optionally
 * elastically deformed), the partial mask the rectangle of the window with the
 * largest DSSIM between the two images inside the face crop (paper Eq. 2).
 */
import { dssimMap } from '@caddm/ssim';
import { imageSize, wrapImage, type Image, type ImageU8, type Rng } from '@caddm/image';
import { alphaBlend } from './alpha.js';
import { type Box } from './box.js';
import { ElasticWorkspace, elasticMask } from './elastic.js';
import { MfsArgumentError, MfsShapeError } from './errors.js';
import { boxMask, faceCrop, hullMask, softenMask, type BlurOptions } from './mask.js';
import { PoissonSolver, type PoissonOptions, type PoissonStats } from './poisson.js';
import { slidingWindow, WindowWorkspace, type WindowMode } from './window.js';

/** How the masked content is blended. */
export type BlendKind = 'poisson' | 'alpha';

/** Reusable buffers for the swaps of one worker. */
export class SwapWorkspace {
  /** Poisson solver (keeps its grids). */
  readonly poisson = new PoissonSolver();
  /** sliding-window buffers */
  readonly window = new WindowWorkspace();
  /** elastic field buffers */
  readonly elastic = new ElasticWorkspace();
  /** canvas-sized DSSIM plane for windows that do not fit the crop */
  plane = new Float64Array(0);
  /** the crop's masked DSSIM map (see {@link hullDssim}) */
  cropMap = new Float64Array(0);
  /** DSSIM over the hull's box, before masking */
  boxMap = new Float64Array(0);
}

/** A zeroed view of `n` values of a workspace buffer, grown when too small. */
function scratch(ws: SwapWorkspace, key: 'cropMap' | 'boxMap', n: number, zero: boolean): Float64Array {
  if (ws[key].length < n) ws[key] = new Float64Array(n);
  const v = ws[key].subarray(0, n);
  if (zero) v.fill(0);
  return v;
}

/** Result of a swap. */
export interface SwapResult {
  /** The blended image (the background's size and dtype). */
  image: ImageU8;
  /** The binary swap mask (`uint8` 0/255, possibly with soft elastic edges). */
  mask: ImageU8;
  /** The artifact box in canvas pixels (x = column, exclusive ends). */
  box: Box;
  /** How it was blended. */
  blend: BlendKind;
  /** Poisson solver statistics (Poisson blending only). */
  poisson?: PoissonStats;
}

function checkPair(background: ImageU8, foreground: ImageU8): { height: number; width: number } {
  const b = imageSize(background);
  const f = imageSize(foreground);
  if (b.height !== f.height || b.width !== f.width || b.channels !== f.channels) {
    throw new MfsShapeError(
      `background is ${b.height}x${b.width}x${b.channels}, foreground is ${f.height}x${f.width}x${f.channels}; align both to the same canvas first`,
    );
  }
  if (!(background.data instanceof Uint8Array) || !(foreground.data instanceof Uint8Array)) {
    throw new MfsShapeError('swaps take uint8 images');
  }
  return b;
}

function doBlend(
  background: ImageU8,
  foreground: ImageU8,
  mask: ImageU8,
  blend: BlendKind,
  blur: BlurOptions,
  poisson: PoissonOptions,
  ws: SwapWorkspace,
): { image: ImageU8; poisson?: PoissonStats } {
  if (blend === 'poisson') {
    const r = ws.poisson.blend(background, foreground, mask, poisson);
    const { image, ...stats } = r;
    return { image, poisson: stats };
  }
  if (blend !== 'alpha') throw new MfsArgumentError(`blend must be 'poisson' or 'alpha', got ${JSON.stringify(blend)}`);
  return { image: alphaBlend(background, foreground, softenMask(mask, blur)) };
}

/** Options of {@link globalSwap}. */
export interface GlobalSwapOptions {
  /** Blending (default `poisson`). */
  blend?: BlendKind;
  /**
   * Elastic deformation of the hull mask: `{ alpha, sigma, rng }` (see `elasticMask`),
   * or `false` (default).
   */
  elastic?: false | { alpha: number; sigma: number; rng: Rng; mode?: 'fast' | 'exact' };
  /** Blur of the mask for alpha blending (default 5x5, sigma 3). */
  blur?: BlurOptions;
  /** Poisson solver options. */
  poisson?: PoissonOptions;
  /**
   * The swap mask, when already made by {@link globalSwapMask} with the same points and
   * `elastic` (which is then ignored: its random draws were made with the mask).
   */
  mask?: ImageU8;
}

/**
 * The mask of a global swap: the convex hull of `points`, elastically deformed when
 * `elastic` is given (drawing from its `rng`).
 * @throws MaskError for a degenerate or off-image hull
 */
export function globalSwapMask(
  height: number,
  width: number,
  points: ArrayLike<number>,
  elastic: GlobalSwapOptions['elastic'],
  ws = new SwapWorkspace(),
): ImageU8 {
  const mask = hullMask(height, width, points);
  return elastic ? elasticMask(mask, elastic, ws.elastic) : mask;
}

/**
 * Global swap: `foreground` replaces `background` inside the convex hull of `points`
 * (the aligned landmarks, plus a forehead arc when wanted). The artifact box is the
 * whole canvas, as in the reference.
 * @param points - flat hull points in canvas pixels
 * @throws MfsShapeError for mismatched images; MaskError for a degenerate or off-image hull
 */
export function globalSwap(
  background: ImageU8,
  foreground: ImageU8,
  points: ArrayLike<number>,
  options: GlobalSwapOptions = {},
  ws = new SwapWorkspace(),
): SwapResult {
  const { height, width } = checkPair(background, foreground);
  const mask = options.mask ?? globalSwapMask(height, width, points, options.elastic, ws);
  if (mask.shape[0] !== height || mask.shape[1] !== width) {
    throw new MfsShapeError(`mask is ${mask.shape.join('x')}, images are ${height}x${width}`);
  }
  const blend = options.blend ?? 'poisson';
  const out = doBlend(background, foreground, mask, blend, options.blur ?? {}, options.poisson ?? {}, ws);
  return { ...out, mask, box: { x0: 0, y0: 0, x1: width, y1: height }, blend };
}

/**
 * DSSIM between two canvases over a crop, zeroed outside a hull mask: the map the
 * partial swap slides its window over (HWC float64, crop-sized). Computed over the
 * hull's box grown by the SSIM window radius (5) only: every kept value sees the same
 * 11x11 neighbourhood (and the same reflected border where the crop meets the canvas
 * edge) as over the whole crop, so the result equals `dssimMap` of the crop with the
 * outside zeroed (tested). With a workspace, the maps live in its buffers (the result
 * is valid until its next use) instead of being allocated per call.
 */
export function hullDssim(
  foreground: ImageU8,
  background: ImageU8,
  hull: ImageU8,
  crop: Box,
  ws?: SwapWorkspace,
): { data: Float64Array; shape: [number, number, number] } {
  const { width, height } = imageSize(hull);
  const ch = crop.y1 - crop.y0;
  const cw = crop.x1 - crop.x0;
  const hd = hull.data;
  let hx0 = width;
  let hx1 = -1;
  let hy0 = height;
  let hy1 = -1;
  for (let y = crop.y0; y < crop.y1; y++) {
    for (let x = crop.x0; x < crop.x1; x++) {
      if (hd[y * width + x] !== 0) {
        if (x < hx0) hx0 = x;
        if (x > hx1) hx1 = x;
        if (y < hy0) hy0 = y;
        hy1 = y;
      }
    }
  }
  const n = ch * cw * 3;
  const dd = ws ? scratch(ws, 'cropMap', n, true) : new Float64Array(n);
  const d = { data: dd, shape: [ch, cw, 3] as [number, number, number] };
  if (hx1 >= 0) {
    const R = 5;
    const rx0 = Math.max(crop.x0, hx0 - R);
    const ry0 = Math.max(crop.y0, hy0 - R);
    const rx1 = Math.min(crop.x1, hx1 + 1 + R);
    const ry1 = Math.min(crop.y1, hy1 + 1 + R);
    const rw = rx1 - rx0;
    const rh = ry1 - ry0;
    const sub = (img: Image): Image => img.hi(ry1, rx1, 3).lo(ry0, rx0, 0);
    const out = ws ? wrapImage(scratch(ws, 'boxMap', rh * rw * 3, false), rh, rw, 3) : undefined;
    const rd = dssimMap(sub(foreground), sub(background), { out }).data;
    for (let y = ry0; y < ry1; y++) {
      for (let x = rx0; x < rx1; x++) {
        if (hd[y * width + x] === 0) continue;
        const o = ((y - crop.y0) * cw + x - crop.x0) * 3;
        const q = ((y - ry0) * rw + x - rx0) * 3;
        dd[o] = rd[q];
        dd[o + 1] = rd[q + 1];
        dd[o + 2] = rd[q + 2];
      }
    }
  }
  return d;
}

/** Options of {@link partialSwap}. */
export interface PartialSwapOptions {
  /** Window `[h, w]` in 224-pixel units (the reference's `[[40, 80], [80, 120], [120, 160]]`). */
  window: readonly [number, number];
  /** Blending (default `poisson`). */
  blend?: BlendKind;
  /** `exact` (default, paper Eq. 2) or `reference` (5x5 grid, REFERENCE.md bug 2). */
  windowMode?: WindowMode;
  /** Growth of the landmark box for the DSSIM crop (default 1.2). */
  cropScale?: number;
  /** A DSSIM value counts as changed above this (default 1e-3). */
  changedThreshold?: number;
  /**
   * Accept only when more than this many DSSIM values (pixels x channels) inside the
   * window exceed `changedThreshold` (default `40·40·3`, scaled by `(canvas/224)²`).
   */
  minChanged?: number;
  /** Blur of the mask for alpha blending (default 5x5, sigma 3). */
  blur?: BlurOptions;
  /** Poisson solver options. */
  poisson?: PoissonOptions;
}

/** Result of {@link partialSwap}. */
export type PartialSwapResult =
  | (SwapResult & {
      accepted: true;
      /** DSSIM values (pixels x channels) in the window above the threshold. */
      changed: number;
      /** The DSSIM crop in canvas pixels. */
      crop: Box;
    })
  | { accepted: false; reason: string; changed: number; crop: Box; box: Box };

/**
 * Partial swap: measures DSSIM between `foreground` and `background` over the face
 * crop (landmark box x `cropScale`), zeroes it outside the landmarks' hull, finds the
 * window (scaled from 224-pixel units to this canvas) with the largest DSSIM sum,
 * and pastes `foreground` into `background` inside that rectangle. The box is in
 * canvas pixels (the reference places it relative to the landmark box instead of the
 * crop, REFERENCE.md bug 3). A window larger than the crop slides over the whole
 * canvas (DSSIM zero outside the crop). Rejected, like the reference, when too few
 * DSSIM values in the window exceed `changedThreshold`.
 * @param points - flat hull points in canvas pixels
 * @throws MfsShapeError for mismatched images; WindowError when the window exceeds the canvas;
 *   MaskError for a degenerate hull or an empty crop
 */
export function partialSwap(
  background: ImageU8,
  foreground: ImageU8,
  points: ArrayLike<number>,
  options: PartialSwapOptions,
  ws = new SwapWorkspace(),
): PartialSwapResult {
  const { height, width } = checkPair(background, foreground);
  if (imageSize(background).channels !== 3) throw new MfsShapeError('partialSwap needs RGB (3-channel) images');
  const [wh0, ww0] = options.window ?? [];
  if (!(wh0 > 0 && ww0 > 0)) throw new MfsArgumentError(`window must be [h, w] > 0, got ${JSON.stringify(options.window)}`);
  const unit = width / 224;
  const wh = Math.max(1, Math.round(wh0 * (height / 224)));
  const ww = Math.max(1, Math.round(ww0 * unit));
  const hull = hullMask(height, width, points);
  const crop = faceCrop(points, height, width, options.cropScale ?? 1.2);
  const ch = crop.y1 - crop.y0;
  const cw = crop.x1 - crop.x0;
  const d = hullDssim(foreground, background, hull, crop, ws);
  const dd = d.data;
  let box: Box;
  if (wh <= ch && ww <= cw) {
    const r = slidingWindow(d, [wh, ww], { mode: options.windowMode ?? 'exact' }, ws.window);
    box = { x0: r.x0 + crop.x0, y0: r.y0 + crop.y0, x1: r.x1 + crop.x0, y1: r.y1 + crop.y0 };
  } else {
    // The window does not fit the crop: slide over the canvas, DSSIM zero outside the crop.
    if (ws.plane.length < height * width) ws.plane = new Float64Array(height * width);
    const plane = ws.plane.subarray(0, height * width);
    plane.fill(0);
    for (let y = 0; y < ch; y++) {
      for (let x = 0; x < cw; x++) {
        const o = (y * cw + x) * 3;
        plane[(y + crop.y0) * width + x + crop.x0] = dd[o] + dd[o + 1] + dd[o + 2];
      }
    }
    const r = slidingWindow({ data: plane, shape: [height, width] }, [wh, ww], { mode: options.windowMode ?? 'exact' }, ws.window);
    box = { x0: r.x0, y0: r.y0, x1: r.x1, y1: r.y1 };
  }
  // Acceptance: DSSIM values above the threshold inside the window (within the crop).
  const thr = options.changedThreshold ?? 1e-3;
  const minChanged = options.minChanged ?? Math.round(40 * 40 * 3 * unit * (height / 224));
  let changed = 0;
  for (let y = Math.max(box.y0, crop.y0); y < Math.min(box.y1, crop.y1); y++) {
    for (let x = Math.max(box.x0, crop.x0); x < Math.min(box.x1, crop.x1); x++) {
      const o = ((y - crop.y0) * cw + x - crop.x0) * 3;
      if (dd[o] > thr) changed++;
      if (dd[o + 1] > thr) changed++;
      if (dd[o + 2] > thr) changed++;
    }
  }
  if (box.x1 <= box.x0 || changed <= minChanged) {
    return { accepted: false, reason: `partial swap err.: ${changed} DSSIM values > ${thr} in the window, need more than ${minChanged}`, changed, crop, box };
  }
  const mask = boxMask(height, width, box);
  const blend = options.blend ?? 'poisson';
  const out = doBlend(background, foreground, mask, blend, options.blur ?? {}, options.poisson ?? {}, ws);
  return { ...out, mask, box, blend, accepted: true, changed, crop };
}
