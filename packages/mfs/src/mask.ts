/**
 * Swap masks: the convex hull of the landmarks (global swap), the face crop the
 * partial swap measures DSSIM in, and the Gaussian blur that softens masks for
 * alpha blending.
 */
import { convexHull, createImage, fillPolygon, gaussianBlur, type ImageU8 } from '@caddm/image';
import { type Box } from './box.js';
import { MaskError, MfsArgumentError } from './errors.js';

function checkPoints(points: ArrayLike<number>, what: string): void {
  if (points.length % 2 !== 0 || points.length < 6) {
    throw new MaskError(`${what} needs at least 3 (x, y) points, got ${points.length / 2}`);
  }
  for (let i = 0; i < points.length; i++) {
    if (!Number.isFinite(points[i])) throw new MfsArgumentError(`${what}: coordinate ${i} is not finite (${points[i]})`);
  }
}

/**
 * A `height x width x 1` `uint8` mask with the convex hull of the points filled with 255,
 * as the reference builds it: hull of the float points (`cv2.convexHull`), vertices
 * truncated to integers (`astype(int32)`), then `cv2.fillPoly`. Points outside the
 * image are allowed; the hull is clipped to it.
 * @param points - flat `[x0, y0, x1, y1, ...]` in pixels (e.g. aligned 68 landmarks + forehead arc)
 * @throws MaskError when the hull is degenerate (fewer than 3 distinct points, or all
 *   collinear) or lies entirely outside the image; MfsArgumentError for non-finite points
 */
export function hullMask(height: number, width: number, points: ArrayLike<number>): ImageU8 {
  checkPoints(points, 'hullMask');
  const pts: Array<[number, number]> = [];
  for (let i = 0; i < points.length; i += 2) pts.push([Math.fround(points[i]), Math.fround(points[i + 1])]);
  const hull = convexHull(pts).map(([x, y]) => [Math.trunc(x), Math.trunc(y)] as [number, number]);
  let area2 = 0;
  for (let i = 0; i < hull.length; i++) {
    const [x0, y0] = hull[i];
    const [x1, y1] = hull[(i + 1) % hull.length];
    area2 += x0 * y1 - x1 * y0;
  }
  if (hull.length < 3 || area2 === 0) {
    throw new MaskError(`the landmarks' convex hull is degenerate (${hull.length} vertices, zero area): collinear or coincident points`);
  }
  const mask = createImage(height, width, 1);
  fillPolygon(mask, hull, 255);
  const d = mask.data;
  let any = false;
  for (let i = 0; i < d.length; i++) {
    if (d[i] !== 0) {
      any = true;
      break;
    }
  }
  if (!any) throw new MaskError(`the landmarks' convex hull lies outside the ${height}x${width} image`);
  return mask;
}

/**
 * The reference's face crop (`cut_face`): the landmark box with integer-truncated
 * corners, grown to `trunc(size · scale)` per axis with its top-left corner moved
 * up-left by `floor(size · (scale − 1) / 2)`, clipped to the image. Exclusive ends.
 * @throws MaskError when the crop is empty after clipping
 */
export function faceCrop(points: ArrayLike<number>, height: number, width: number, scale = 1.2): Box {
  checkPoints(points, 'faceCrop');
  if (!(scale >= 1) || !Number.isFinite(scale)) throw new MfsArgumentError(`crop scale must be >= 1, got ${scale}`);
  let xmin = Infinity;
  let ymin = Infinity;
  let xmax = -Infinity;
  let ymax = -Infinity;
  for (let i = 0; i < points.length; i += 2) {
    xmin = Math.min(xmin, points[i]);
    xmax = Math.max(xmax, points[i]);
    ymin = Math.min(ymin, points[i + 1]);
    ymax = Math.max(ymax, points[i + 1]);
  }
  const bx0 = Math.trunc(xmin);
  const by0 = Math.trunc(ymin);
  const bx1 = Math.trunc(xmax);
  const by1 = Math.trunc(ymax);
  const w = Math.trunc((bx1 - bx0) * scale);
  const h = Math.trunc((by1 - by0) * scale);
  const x0 = bx0 - Math.floor(((bx1 - bx0) * (scale - 1)) / 2);
  const y0 = by0 - Math.floor(((by1 - by0) * (scale - 1)) / 2);
  const box = { x0: Math.max(x0, 0), y0: Math.max(y0, 0), x1: Math.min(x0 + w, width), y1: Math.min(y0 + h, height) };
  if (box.x1 <= box.x0 || box.y1 <= box.y0) {
    throw new MaskError(`the face crop ${JSON.stringify(box)} is empty inside the ${height}x${width} image`);
  }
  return box;
}

/** A `height x width x 1` `uint8` mask with the box filled with 255 (clipped). */
export function boxMask(height: number, width: number, box: Box): ImageU8 {
  const mask = createImage(height, width, 1);
  const x0 = Math.max(0, box.x0);
  const x1 = Math.min(width, box.x1);
  for (let y = Math.max(0, box.y0); y < Math.min(height, box.y1); y++) mask.data.fill(255, y * width + x0, y * width + x1);
  return mask;
}

/** Options of {@link softenMask}. */
export interface BlurOptions {
  /** Kernel size (default 5, the reference's). */
  ksize?: number;
  /** Gaussian sigma (default 3). */
  sigma?: number;
}

/**
 * `cv2.GaussianBlur(mask, (5, 5), 3)` on a `uint8` mask (rounded `uint8` result, as
 * OpenCV), via `@caddm/image`'s `gaussianBlur` (which computes only the mask's support
 * grown by the kernel radius).
 */
export function softenMask(mask: ImageU8, options: BlurOptions = {}): ImageU8 {
  return gaussianBlur(mask, options.ksize ?? 5, options.sigma ?? 3) as ImageU8;
}
