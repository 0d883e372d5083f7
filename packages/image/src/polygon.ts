/**
 * Polygon filling (`cv2.fillPoly`'s exact rasterisation for integer vertices: fixed-point
 * scanlines, even-odd rule, plus the 8-connected outline) and convex hulls (monotone chain).
 */
import { ImageArgumentError } from './errors.js';
import { contiguous, createImage, imageSize, type Image, type ImageU8 } from './image.js';
import { colorValues, rasterLine, type Color } from './draw.js';

/** A point as `[x, y]`. */
export type Point = readonly [number, number] | ArrayLike<number>;

const ONE = 65536; // OpenCV's XY_SHIFT = 16 fixed point

function toIntPoints(points: ArrayLike<Point>, what: string): Int32Array {
  const out = new Int32Array(points.length * 2);
  for (let i = 0; i < points.length; i++) {
    const p = points[i];
    if (p == null || p.length < 2 || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) {
      throw new ImageArgumentError(`${what} point ${i} must be a finite [x, y], got ${JSON.stringify(p)}`);
    }
    out[2 * i] = Math.round(p[0]);
    out[2 * i + 1] = Math.round(p[1]);
  }
  return out;
}

function isPointList(p: unknown): p is ArrayLike<Point> {
  const first = (p as ArrayLike<unknown>)[0];
  return first != null && typeof first !== 'number' && typeof (first as ArrayLike<unknown>)[0] === 'number';
}

/**
 * Fills one polygon or several (even-odd rule across all of them) in place, reproducing
 * `cv2.fillPoly(img, polys, color)` for integer vertices (non-integer vertices are rounded).
 * @param img - dense HWC image to draw into
 * @param polygons - `[[x, y], ...]` or a list of such polygons
 * @param color - one value for all channels or one per channel (default 255)
 * @returns `img`
 */
export function fillPolygon(img: Image, polygons: ArrayLike<Point> | ArrayLike<ArrayLike<Point>>, color: Color = 255): Image {
  const { height: h, width: w, channels: c } = imageSize(img);
  if (contiguous(img) !== img) throw new ImageArgumentError('fillPolygon draws in place and needs a dense image (got a strided view)');
  const col = colorValues(color, c);
  const polys: Int32Array[] = [];
  if (polygons.length > 0 && isPointList(polygons)) polys.push(toIntPoints(polygons, 'polygon'));
  else for (let i = 0; i < polygons.length; i++) polys.push(toIntPoints(polygons[i] as ArrayLike<Point>, `polygon ${i}`));
  // edges: y range [y0, y1), x at y0 in fixed point, dx truncated like OpenCV's int64 division
  const ey0: number[] = [];
  const ey1: number[] = [];
  const ex: number[] = [];
  const edx: number[] = [];
  const d = img.data;
  for (const v of polys) {
    const n = v.length / 2;
    if (n === 0) continue;
    let px = v[2 * (n - 1)];
    let py = v[2 * (n - 1) + 1];
    for (let i = 0; i < n; i++) {
      const qx = v[2 * i];
      const qy = v[2 * i + 1];
      rasterLine(d, w, h, c, px, py, qx, qy, col);
      if (py !== qy) {
        const top = py < qy;
        ey0.push(top ? py : qy);
        ey1.push(top ? qy : py);
        ex.push((top ? px : qx) * ONE);
        edx.push(Math.trunc(((qx - px) * ONE) / (qy - py)));
      }
      px = qx;
      py = qy;
    }
  }
  const m = ey0.length;
  if (m < 2) return img;
  let ymin = Infinity;
  let ymax = -Infinity;
  for (let i = 0; i < m; i++) {
    ymin = Math.min(ymin, ey0[i]);
    ymax = Math.max(ymax, ey1[i]);
  }
  const xs = new Float64Array(m);
  for (let y = Math.max(0, ymin); y < Math.min(h, ymax); y++) {
    let k = 0;
    for (let i = 0; i < m; i++) if (ey0[i] <= y && y < ey1[i]) xs[k++] = ex[i] + edx[i] * (y - ey0[i]);
    // Insertion sort: a handful of crossings per row.
    for (let i = 1; i < k; i++) {
      const v = xs[i];
      let j = i - 1;
      for (; j >= 0 && xs[j] > v; j--) xs[j + 1] = xs[j];
      xs[j + 1] = v;
    }
    const row = y * w;
    for (let i = 0; i + 1 < k; i += 2) {
      let x1 = Math.floor((xs[i] + ONE - 1) / ONE);
      let x2 = Math.floor(xs[i + 1] / ONE);
      if (x1 >= w || x2 < 0) continue;
      if (x1 < 0) x1 = 0;
      if (x2 >= w) x2 = w - 1;
      if (c === 1) {
        d.fill(col[0], row + x1, row + x2 + 1);
        continue;
      }
      for (let x = x1; x <= x2; x++) {
        const o = (row + x) * c;
        for (let ch = 0; ch < c; ch++) d[o + ch] = col[ch];
      }
    }
  }
  return img;
}

/**
 * Convex hull of a point set by Andrew's monotone chain: the hull vertices in
 * counter-clockwise order (in x-right, y-up axes; clockwise on screen), starting from the
 * lowest-x point, without repeated or collinear points.
 * @throws ImageArgumentError for non-finite coordinates
 */
export function convexHull(points: ArrayLike<Point>): Array<[number, number]> {
  const pts: Array<[number, number]> = [];
  for (let i = 0; i < points.length; i++) {
    const p = points[i];
    if (p == null || p.length < 2 || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) {
      throw new ImageArgumentError(`hull point ${i} must be a finite [x, y], got ${JSON.stringify(p)}`);
    }
    pts.push([p[0], p[1]]);
  }
  pts.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const uniq = pts.filter((p, i) => i === 0 || p[0] !== pts[i - 1][0] || p[1] !== pts[i - 1][1]);
  if (uniq.length < 3) return uniq;
  const cross = (o: [number, number], a: [number, number], b: [number, number]) =>
    (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: Array<[number, number]> = [];
  for (const p of uniq) {
    while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Array<[number, number]> = [];
  for (let i = uniq.length - 1; i >= 0; i--) {
    const p = uniq[i];
    while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], p) <= 0) upper.pop();
    upper.push(p);
  }
  lower.pop();
  upper.pop();
  return lower.concat(upper);
}

/**
 * A one-channel `uint8` mask with the convex hull of `points` filled with `value`
 * (what the reference builds with `cv2.convexHull` + `cv2.fillPoly`).
 * @param height - mask height
 * @param width - mask width
 * @param points - landmarks `[[x, y], ...]` (at least one)
 * @param value - fill value (default 255)
 */
export function convexHullMask(height: number, width: number, points: ArrayLike<Point>, value = 255): ImageU8 {
  if (points.length === 0) throw new ImageArgumentError('convexHullMask needs at least one point');
  const mask = createImage(height, width, 1);
  fillPolygon(mask, convexHull(points), value);
  return mask;
}

/**
 * A one-channel `uint8` mask with a polygon filled with `value`.
 * @param height - mask height
 * @param width - mask width
 * @param polygon - vertices `[[x, y], ...]`
 * @param value - fill value (default 255)
 */
export function polygonMask(height: number, width: number, polygon: ArrayLike<Point>, value = 255): ImageU8 {
  const mask = createImage(height, width, 1);
  fillPolygon(mask, polygon, value);
  return mask;
}
