/**
 * Rasterisation with OpenCV's integer rules: 8-connected Bresenham lines (`cv2.line`,
 * thickness 1, `LINE_8`) with OpenCV's clipping, and rectangle outlines for debugging
 * (artifact boxes, landmarks).
 */
import { ImageArgumentError } from './errors.js';
import { contiguous, imageSize, type Image } from './image.js';

/** A colour: one value for every channel, or one value per channel. */
export type Color = number | ArrayLike<number>;

/** Expands a {@link Color} to one value per channel. */
export function colorValues(color: Color, channels: number): Float64Array {
  const out = new Float64Array(channels);
  if (typeof color === 'number') {
    if (!Number.isFinite(color)) throw new ImageArgumentError(`colour must be finite, got ${color}`);
    out.fill(color);
    return out;
  }
  if (color.length < channels) throw new ImageArgumentError(`colour has ${color.length} values, image has ${channels} channels`);
  for (let k = 0; k < channels; k++) {
    if (!Number.isFinite(color[k])) throw new ImageArgumentError(`colour value ${k} is not finite: ${color[k]}`);
    out[k] = color[k];
  }
  return out;
}

function dense(img: Image, op: string): void {
  if (contiguous(img) !== img) throw new ImageArgumentError(`${op} draws in place and needs a dense image (got a strided view)`);
}

function tdiv(a: number, b: number): number {
  return Math.trunc(a / b);
}

/** Clips a segment to the image rectangle like OpenCV's `clipLine`; returns null when outside. */
function clipLine(w: number, h: number, x1: number, y1: number, x2: number, y2: number): [number, number, number, number] | null {
  const right = w - 1;
  const bottom = h - 1;
  const code = (x: number, y: number) => (x < 0 ? 1 : 0) + (x > right ? 2 : 0) + (y < 0 ? 4 : 0) + (y > bottom ? 8 : 0);
  let c1 = code(x1, y1);
  let c2 = code(x2, y2);
  if ((c1 & c2) === 0 && (c1 | c2) !== 0) {
    if (c1 & 12) {
      const a = c1 < 8 ? 0 : bottom;
      x1 += tdiv((a - y1) * (x2 - x1), y2 - y1);
      y1 = a;
      c1 = (x1 < 0 ? 1 : 0) + (x1 > right ? 2 : 0);
    }
    if (c2 & 12) {
      const a = c2 < 8 ? 0 : bottom;
      x2 += tdiv((a - y2) * (x2 - x1), y2 - y1);
      y2 = a;
      c2 = (x2 < 0 ? 1 : 0) + (x2 > right ? 2 : 0);
    }
    if ((c1 & c2) === 0 && (c1 | c2) !== 0) {
      if (c1) {
        const a = c1 === 1 ? 0 : right;
        y1 += tdiv((a - x1) * (y2 - y1), x2 - x1);
        x1 = a;
        c1 = 0;
      }
      if (c2) {
        const a = c2 === 1 ? 0 : right;
        y2 += tdiv((a - x2) * (y2 - y1), x2 - x1);
        x2 = a;
        c2 = 0;
      }
    }
  }
  return (c1 | c2) === 0 ? [x1, y1, x2, y2] : null;
}

/** @internal Draws an 8-connected line with integer end points into dense data (no checks). */
export function rasterLine(
  data: { [i: number]: number },
  w: number,
  h: number,
  c: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  col: Float64Array,
): void {
  if (x0 < 0 || x0 >= w || x1 < 0 || x1 >= w || y0 < 0 || y0 >= h || y1 < 0 || y1 >= h) {
    const clipped = clipLine(w, h, x0, y0, x1, y1);
    if (!clipped) return;
    [x0, y0, x1, y1] = clipped;
  }
  if (x0 > x1) {
    let t = x0;
    x0 = x1;
    x1 = t;
    t = y0;
    y0 = y1;
    y1 = t;
  }
  let dx = x1 - x0;
  let dy = y1 - y0;
  const sy = dy < 0 ? -1 : 1;
  dy = Math.abs(dy);
  const steep = dy > dx;
  if (steep) {
    const t = dx;
    dx = dy;
    dy = t;
  }
  let err = dx - 2 * dy;
  let x = x0;
  let y = y0;
  for (let i = 0; i <= dx; i++) {
    const o = (y * w + x) * c;
    for (let k = 0; k < c; k++) data[o + k] = col[k];
    const minor = err < 0;
    err += -2 * dy + (minor ? 2 * dx : 0);
    if (steep) {
      y += sy;
      if (minor) x += 1;
    } else {
      x += 1;
      if (minor) y += sy;
    }
  }
}

/**
 * Draws a one-pixel line in place, like `cv2.line(img, p0, p1, color, 1, cv2.LINE_8)`.
 * End points are rounded to integers.
 */
export function drawLine(img: Image, x0: number, y0: number, x1: number, y1: number, color: Color): Image {
  const { height: h, width: w, channels: c } = imageSize(img);
  dense(img, 'drawLine');
  for (const v of [x0, y0, x1, y1]) if (!Number.isFinite(v)) throw new ImageArgumentError(`line end point must be finite, got ${v}`);
  rasterLine(img.data, w, h, c, Math.round(x0), Math.round(y0), Math.round(x1), Math.round(y1), colorValues(color, c));
  return img;
}

/** An axis-aligned box in pixel coordinates (corners inclusive, like `cv2.rectangle`). */
export interface Rect {
  /** left column */
  x0: number;
  /** top row */
  y0: number;
  /** right column */
  x1: number;
  /** bottom row */
  y1: number;
}

/** Fills an axis-aligned box clipped to the image. */
function fillBox(d: { [i: number]: number }, w: number, h: number, c: number, x0: number, y0: number, x1: number, y1: number, col: Float64Array): void {
  const X0 = Math.max(0, x0);
  const X1 = Math.min(w - 1, x1);
  const Y0 = Math.max(0, y0);
  const Y1 = Math.min(h - 1, y1);
  for (let y = Y0; y <= Y1; y++) {
    for (let x = X0; x <= X1; x++) {
      const o = (y * w + x) * c;
      for (let k = 0; k < c; k++) d[o + k] = col[k];
    }
  }
}

/** A filled disc by OpenCV's integer midpoint algorithm (`cv2.circle(..., -1)`, `LINE_8`). */
function fillDisc(d: { [i: number]: number }, w: number, h: number, c: number, cx: number, cy: number, radius: number, col: Float64Array): void {
  let err = 0;
  let dx = radius;
  let dy = 0;
  let plus = 1;
  let minus = (radius << 1) - 1;
  while (dx >= dy) {
    fillBox(d, w, h, c, cx - dx, cy - dy, cx + dx, cy - dy, col);
    fillBox(d, w, h, c, cx - dx, cy + dy, cx + dx, cy + dy, col);
    fillBox(d, w, h, c, cx - dy, cy - dx, cx + dy, cy - dx, col);
    fillBox(d, w, h, c, cx - dy, cy + dx, cx + dy, cy + dx, col);
    dy++;
    err += plus;
    plus += 2;
    if (err > 0) {
      err -= minus;
      dx--;
      minus -= 2;
    }
  }
}

/**
 * Draws a rectangle outline in place, like `cv2.rectangle(img, (x0, y0), (x1, y1), color, thickness)`
 * (`LINE_8`): one-pixel edges for thickness 1; for thicker outlines, bands of half-width
 * `floor((thickness + 1) / 2)` around each edge with OpenCV's rounded outer corners.
 * Clipped to the image; coordinates are rounded to integers.
 * @param thickness - line width in pixels (default 1)
 */
export function drawRect(img: Image, rect: Rect, color: Color, thickness = 1): Image {
  const { height: h, width: w, channels: c } = imageSize(img);
  dense(img, 'drawRect');
  if (!Number.isInteger(thickness) || thickness < 1) throw new ImageArgumentError(`thickness must be a positive integer, got ${thickness}`);
  for (const v of [rect.x0, rect.y0, rect.x1, rect.y1]) if (!Number.isFinite(v)) throw new ImageArgumentError(`rectangle corner must be finite, got ${v}`);
  const col = colorValues(color, c);
  const d = img.data;
  const xa = Math.round(Math.min(rect.x0, rect.x1));
  const xb = Math.round(Math.max(rect.x0, rect.x1));
  const ya = Math.round(Math.min(rect.y0, rect.y1));
  const yb = Math.round(Math.max(rect.y0, rect.y1));
  const r = thickness === 1 ? 0 : (thickness + 1) >> 1;
  fillBox(d, w, h, c, xa, ya - r, xb, ya + r, col); // top
  fillBox(d, w, h, c, xa, yb - r, xb, yb + r, col); // bottom
  fillBox(d, w, h, c, xa - r, ya, xa + r, yb, col); // left
  fillBox(d, w, h, c, xb - r, ya, xb + r, yb, col); // right
  if (r > 0) {
    fillDisc(d, w, h, c, xa, ya, r, col);
    fillDisc(d, w, h, c, xb, ya, r, col);
    fillDisc(d, w, h, c, xa, yb, r, col);
    fillDisc(d, w, h, c, xb, yb, r, col);
  }
  return img;
}
