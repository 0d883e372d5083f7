/**
 * The initial blending masks: Face X-ray's four hull shapes (`DeepFakeMask.py`, used by SBI
 * through `random_get_hull`), drawn from integer-truncated landmarks as the reference does
 * (`landmark.astype('int32')`), each a union of filled convex hulls.
 */
import { convexHull, fillPolygon, wrapImage } from '@caddm/image';
import { SbiMaskError } from './errors.js';
import type { HullType } from './options.js';

const span = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i);

/** Landmark index groups of each shape; each group's convex hull is filled. */
const PARTS: Record<Exclude<HullType, 'facehull'>, readonly (readonly number[])[]> = {
  dfl_full: [
    [...span(0, 16), ...span(48, 67), 0, 8, 16], // jaw and mouth
    [...span(27, 30), 33], // nose ridge
    [...span(17, 26), 0, 27, 16, 33], // brows and eyes
  ],
  components: [
    [...span(0, 8), 17], // right jaw
    [...span(8, 16), 26], // left jaw
    [...span(17, 19), 8], // right cheek
    [...span(24, 26), 8], // left cheek
    [...span(19, 24), 8], // nose ridge
    [...span(17, 21), 27, ...span(31, 35), 8], // right eye
    [...span(22, 26), 27, ...span(31, 35), 8], // left eye
    [...span(27, 30), ...span(31, 35)], // nose
  ],
  extended: [], // components, on moved brows (see extendBrows)
};
PARTS.extended = PARTS.components;

/**
 * Moves the brow points (17..26) up by half their offset from the eye line below them,
 * with numpy's integer floor division, as Face X-ray's `extended` mask does.
 * @param p - integer landmarks, flat `[x, y] x 68`; modified in place
 */
function extendBrows(p: Int32Array): void {
  const half = (v: number): number => Math.floor(v / 2);
  const pt = (i: number): [number, number] => [p[2 * i], p[2 * i + 1]];
  const mid = (a: [number, number], b: [number, number]): [number, number] => [half(a[0] + b[0]), half(a[1] + b[1])];
  const ml = mid(pt(36), pt(0));
  const mr = mid(pt(16), pt(45));
  const ql = mid(pt(36), ml);
  const qr = mid(pt(45), mr);
  const botL = [ql, pt(36), pt(37), pt(38), pt(39)];
  const botR = [pt(42), pt(43), pt(44), pt(45), qr];
  for (let k = 0; k < 5; k++) {
    for (const [i, bot] of [
      [17 + k, botL[k]],
      [22 + k, botR[k]],
    ] as const) {
      p[2 * i] += half(p[2 * i] - bot[0]);
      p[2 * i + 1] += half(p[2 * i + 1] - bot[1]);
    }
  }
}

/** Twice the signed area of a polygon. */
function area2(poly: ReadonlyArray<readonly [number, number]>): number {
  let a = 0;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) a += poly[j][0] * poly[i][1] - poly[i][0] * poly[j][1];
  return a;
}

/**
 * Checks that the 68 face points span a proper polygon (convex hull area of at least one
 * square pixel).
 * @throws SbiMaskError for collinear or coincident points
 */
export function assertFaceHull(landmarks: ArrayLike<number>): void {
  const pts: Array<[number, number]> = [];
  for (let i = 0; i < 68; i++) pts.push([landmarks[2 * i], landmarks[2 * i + 1]]);
  const a = Math.abs(area2(convexHull(pts))) / 2;
  if (!(a >= 1)) {
    throw new SbiMaskError(`the 68 landmarks are degenerate: their convex hull has area ${a} px² (collinear or coincident points)`);
  }
}

/**
 * Draws one of the initial mask shapes as a 0/1 `uint8` mask.
 * @param height - mask height
 * @param width - mask width
 * @param landmarks - flat landmarks, 68 face points optionally followed by forehead points
 *   (only `facehull` uses the latter); truncated to integers like the reference
 * @param type - the shape
 * @param out - optional `height*width` buffer to draw into (cleared first)
 * @returns the mask data, `height*width` bytes of 0 or 1
 * @throws SbiMaskError when nothing of the shape lies inside the image
 */
export function hullMask(
  height: number,
  width: number,
  landmarks: ArrayLike<number>,
  type: HullType,
  out = new Uint8Array(height * width),
): Uint8Array {
  out.fill(0);
  const n = landmarks.length >> 1;
  const p = new Int32Array(n * 2);
  for (let i = 0; i < n * 2; i++) p[i] = Math.trunc(landmarks[i]);
  const img = wrapImage(out, height, width, 1);
  const fill = (idx: ArrayLike<number>): void => {
    const pts: Array<[number, number]> = [];
    for (let k = 0; k < idx.length; k++) pts.push([p[2 * idx[k]], p[2 * idx[k] + 1]]);
    fillPolygon(img, convexHull(pts), 1);
  };
  if (type === 'facehull') {
    fill(span(0, n - 1));
  } else {
    if (type === 'extended') extendBrows(p);
    for (const part of PARTS[type]) fill(part);
  }
  let any = 0;
  for (let i = 0; i < out.length && any === 0; i++) any = out[i];
  if (any === 0) throw new SbiMaskError(`the ${type} hull covers no pixel of the ${width}x${height} image`);
  return out;
}
