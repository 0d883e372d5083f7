/**
 * SBI's mask pipeline after the hull: the source's random affine applied to the mask
 * (nearest, zero border), the elastic deformation (nearest, reflect-101 border), then
 * `get_blend_mask`: resize to a random size, keep the interior the first Gaussian fully
 * covers, soften with the second Gaussian, normalise by the maximum, resize back.
 */
import { borderIndex, getGaussianKernel, linearTaps, type Rng } from '@caddm/image';
import { SbiMaskError } from './errors.js';
import { Scratch } from './scratch.js';
import type { MaskOptions } from './options.js';

/** The drawn blurring parameters. */
export interface BlendMaskParams {
  /** Intermediate mask size `[width, height]`. */
  size: [number, number];
  /** Odd size of the eroding Gaussian. */
  erodeKernel: number;
  /** Odd size of the softening Gaussian. */
  blurKernel: number;
  /** Sigma of the softening Gaussian. */
  blurSigma: number;
}

/** Draws the blurring parameters (numpy `randint` / `random.randrange(lo, hi + 1, 2)` semantics). */
export function sampleBlendMask(rng: Rng, o: MaskOptions): BlendMaskParams {
  const int = (r: readonly [number, number]): number => rng.int(r[0], r[1] + 1);
  const odd = (r: readonly [number, number]): number => r[0] + 2 * rng.int(0, (r[1] - r[0]) / 2 + 1);
  const sh = int(o.resize);
  const sw = int(o.resize);
  return { size: [sw, sh], erodeKernel: odd(o.erodeKernel), blurKernel: odd(o.blurKernel), blurSigma: int(o.blurSigma) };
}

/**
 * Deforms a 0/1 mask: `out(p) = hull(round(A⁻¹ · q))` with `q = round(p + d(p))` (reflected
 * into the image), i.e. a nearest-neighbour affine warp (zero outside) followed by a
 * nearest-neighbour elastic remap, without the intermediate image.
 * @param hull - `h*w` bytes of 0/1
 * @param inv - inverse affine `[a, b, c, d, e, f]` (destination to source)
 * @param field - displacement, or `null` for none
 */
export function deformMask(
  hull: Uint8Array,
  h: number,
  w: number,
  inv: ArrayLike<number>,
  field: { dx: Float32Array; dy: Float32Array } | null,
  out = new Uint8Array(h * w),
): Uint8Array {
  out.fill(0);
  const [a, b, c, d, e, f] = [inv[0], inv[1], inv[2], inv[3], inv[4], inv[5]];
  // only pixels within the largest displacement of the moved hull's box can be set
  const box = nonZeroBox(hull, w, [0, 0, w, h]);
  if (!box) return out;
  let reach = 2;
  if (field) {
    let m = 0;
    const { dx, dy } = field;
    for (let i = 0; i < dx.length; i++) {
      const v = Math.abs(dx[i]) + Math.abs(dy[i]);
      if (v > m) m = v;
    }
    reach += Math.ceil(m);
  }
  // forward map of the box corners: the inverse of inv
  const det = a * e - b * d;
  const fa = e / det;
  const fb = -b / det;
  const fd = -d / det;
  const fe = a / det;
  let [rx0, ry0, rx1, ry1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of [
    [box[0] - 1, box[1] - 1],
    [box[2], box[1] - 1],
    [box[0] - 1, box[3]],
    [box[2], box[3]],
  ]) {
    const u = fa * (x - c) + fb * (y - f);
    const v = fd * (x - c) + fe * (y - f);
    [rx0, ry0, rx1, ry1] = [Math.min(rx0, u), Math.min(ry0, v), Math.max(rx1, u), Math.max(ry1, v)];
  }
  const X0 = Math.max(0, Math.floor(rx0) - reach);
  const Y0 = Math.max(0, Math.floor(ry0) - reach);
  const X1 = Math.min(w, Math.ceil(rx1) + reach + 1);
  const Y1 = Math.min(h, Math.ceil(ry1) + reach + 1);
  for (let y = Y0; y < Y1; y++) {
    for (let x = X0, i = y * w + X0; x < X1; x++, i++) {
      let qx = x;
      let qy = y;
      if (field) {
        qx = Math.floor(x + field.dx[i] + 0.5);
        qy = Math.floor(y + field.dy[i] + 0.5);
        if (qx < 0 || qx >= w) qx = borderIndex(qx, w, 'reflect101');
        if (qy < 0 || qy >= h) qy = borderIndex(qy, h, 'reflect101');
      }
      const sx = Math.floor(a * qx + b * qy + c + 0.5);
      const sy = Math.floor(d * qx + e * qy + f + 0.5);
      out[i] = sx >= 0 && sx < w && sy >= 0 && sy < h ? hull[sy * w + sx] : 0;
    }
  }
  return out;
}

/**
 * `@caddm/image`'s `INTER_LINEAR` taps with the weights stored as float32 (OpenCV's linear
 * resize of a float image keeps its coefficients in float).
 */
function taps(src: number, dst: number): { i0: Int32Array; i1: Int32Array; w1: Float32Array } {
  const t = linearTaps(src, dst);
  return { i0: t.i0, i1: t.i1, w1: Float32Array.from(t.frac) };
}

/** A box `[x0, y0, x1, y1)`. */
type Roi = [number, number, number, number];

/** The destination range `[d0, d1)` whose taps reach the source range `[s0, s1)`. */
function reach(t: { i0: Int32Array; i1: Int32Array }, s0: number, s1: number): [number, number] {
  let d0 = -1;
  let d1 = -1;
  for (let d = 0; d < t.i0.length; d++) {
    if (t.i1[d] >= s0 && t.i0[d] < s1) {
      if (d0 < 0) d0 = d;
      d1 = d + 1;
    }
  }
  return d0 < 0 ? [0, 0] : [d0, d1];
}

/**
 * Bilinear resize of a one-channel mask (`sh*sw` to `dh*dw`, OpenCV's pixel mapping) that is
 * zero outside `roi`: only the destination pixels the ROI reaches are computed, the rest are 0.
 * @returns the destination ROI
 */
function resizeMask(
  src: ArrayLike<number>,
  sh: number,
  sw: number,
  roi: Roi,
  dh: number,
  dw: number,
  out: Float32Array,
): Roi {
  out.fill(0);
  const tx = taps(sw, dw);
  const ty = taps(sh, dh);
  const [x0, x1] = reach(tx, roi[0], roi[2]);
  const [y0, y1] = reach(ty, roi[1], roi[3]);
  for (let y = y0; y < y1; y++) {
    const r0 = ty.i0[y] * sw;
    const r1 = ty.i1[y] * sw;
    const fy = ty.w1[y];
    const o = y * dw;
    for (let x = x0; x < x1; x++) {
      const a = tx.i0[x];
      const b = tx.i1[x];
      const fx = tx.w1[x];
      const top = src[r0 + a] + fx * (src[r0 + b] - src[r0 + a]);
      const bot = src[r1 + a] + fx * (src[r1 + b] - src[r1 + a]);
      out[o + x] = top + fy * (bot - top);
    }
  }
  return [x0, y0, x1, y1];
}

/** Bounding box of the non-zero entries inside `roi`, or `null`. */
function nonZeroBox(m: ArrayLike<number>, w: number, roi: Roi): Roi | null {
  let x0 = roi[2];
  let y0 = -1;
  let x1 = -1;
  let y1 = -1;
  for (let y = roi[1]; y < roi[3]; y++) {
    const rb = y * w;
    let first = -1;
    let last = -1;
    for (let x = roi[0]; x < roi[2]; x++) {
      if (m[rb + x] !== 0) {
        if (first < 0) first = x;
        last = x;
      }
    }
    if (first >= 0) {
      if (first < x0) x0 = first;
      if (last > x1) x1 = last;
      if (y0 < 0) y0 = y;
      y1 = y;
    }
  }
  return x1 < 0 ? null : [x0, y0, x1 + 1, y1 + 1];
}

/**
 * The reference's first blur step: `GaussianBlur(k, σ from k)`, divided by its maximum, values
 * below 1 zeroed. Gaussian weights are all positive, so a pixel reaches the maximum 1 exactly
 * when its whole `k x k` window (reflect-101, which only repeats pixels of the window) is 1:
 * an erosion by a `k x k` square, computed here with nearest-zero scans, O(1) per pixel.
 * When no window is full (a hull thinner than `k`) the reference keeps the pixels that reach
 * the (smaller) maximum; the caller then does the same with the actual blur.
 * @param m - `h*w` mask, zero outside `roi`, replaced by the 0/1 result there
 * @param roi - the box outside which `m` is zero
 * @param ones - `h*w` scratch bytes
 * @param last - `w` scratch ints
 * @returns the box of the surviving pixels, or `null` when none survived (`m` is then all zero)
 */
function erodeInterior(m: Float32Array, h: number, w: number, k: number, roi: Roi, ones: Uint8Array, last: Int32Array): Roi | null {
  const r = k >> 1;
  const [x0, y0, x1, y1] = roi;
  // m is zero outside roi: a roi edge inside the image acts as a zero just beyond it, an edge on
  // the image border does not (positions outside the image do not count)
  const zl = x0 === 0 ? -(r + 1) : x0 - 1;
  const zr = x1 === w ? w + r + 1 : x1;
  const zt = y0 === 0 ? -(r + 1) : y0 - 1;
  const zb = y1 === h ? h + r + 1 : y1;
  // horizontal: no zero within r on either side
  for (let y = y0; y < y1; y++) {
    const rb = y * w;
    let z = zl;
    for (let x = x0; x < x1; x++) {
      if (!(m[rb + x] >= 1 - 1e-6)) z = x;
      ones[rb + x] = x - z > r ? 1 : 0;
    }
    z = zr;
    for (let x = x1 - 1; x >= x0; x--) {
      if (!(m[rb + x] >= 1 - 1e-6)) z = x;
      if (z - x <= r) ones[rb + x] = 0;
    }
  }
  // vertical: the same down the columns, all columns at once; results go to m
  last.fill(zt);
  for (let y = y0; y < y1; y++) {
    const rb = y * w;
    for (let x = x0; x < x1; x++) {
      if (ones[rb + x] === 0) last[x] = y;
      m[rb + x] = y - last[x] > r ? 1 : 0;
    }
  }
  last.fill(zb);
  let [bx0, by0, bx1, by1] = [x1, y1, x0 - 1, y0 - 1];
  for (let y = y1 - 1; y >= y0; y--) {
    const rb = y * w;
    for (let x = x0; x < x1; x++) {
      if (ones[rb + x] === 0) last[x] = y;
      if (last[x] - y <= r) m[rb + x] = 0;
      else if (m[rb + x] === 1) {
        if (x < bx0) bx0 = x;
        if (x > bx1) bx1 = x;
        if (y < by0) by0 = y;
        if (y > by1) by1 = y;
      }
    }
  }
  return bx1 < bx0 ? null : [bx0, by0, bx1 + 1, by1 + 1];
}

/**
 * Separable Gaussian (`kern`, odd, symmetric; reflect-101) of a mask that is zero outside
 * `box`: only the rows and columns the kernel can reach from the box are computed.
 * @param tmp - `h*w` scratch
 * @param out - `h*w` result (cleared here)
 * @returns the ROI of the result
 */
function gaussianRoi(
  m: Float32Array,
  h: number,
  w: number,
  kern: Float64Array,
  box: Roi,
  tmp: Float32Array,
  out: Float32Array,
  row: Float32Array,
): Roi {
  const r = kern.length >> 1;
  const [bx0, by0, bx1, by1] = box;
  const ox0 = Math.max(0, bx0 - r);
  const ox1 = Math.min(w, bx1 + r);
  const oy0 = Math.max(0, by0 - r);
  const oy1 = Math.min(h, by1 + r);
  const kc = kern[r];
  // horizontal pass over the box's rows (other rows are zero), on a reflected padded row
  for (let y = by0; y < by1; y++) {
    const rb = y * w;
    for (let x = ox0 - r, i = 0; x < ox1 + r; x++, i++) row[i] = m[rb + borderIndex(x, w, 'reflect101')];
    for (let x = ox0, c = r; x < ox1; x++, c++) {
      let acc = kc * row[c];
      for (let t = 1; t <= r; t++) acc += kern[r + t] * (row[c - t] + row[c + t]);
      tmp[rb + x] = acc;
    }
  }
  out.fill(0);
  for (let y = oy0; y < oy1; y++) {
    const ob = y * w;
    for (let t = -r; t <= r; t++) {
      const sy = borderIndex(y + t, h, 'reflect101');
      if (sy < by0 || sy >= by1) continue;
      const kt = kern[r + t];
      const sb = sy * w;
      for (let x = ox0; x < ox1; x++) out[ob + x] += kt * tmp[sb + x];
    }
  }
  return [ox0, oy0, ox1, oy1];
}

const pool = new Scratch();

/**
 * SBI's `get_blend_mask` on a deformed 0/1 mask: resize to `size`, erode (first Gaussian),
 * blur (second Gaussian), divide by the maximum, resize back.
 * @param mask - `h*w` bytes of 0/1
 * @param p - drawn parameters
 * @param out - `h*w` floats for the result in `[0, 1]` (maximum 1 at the intermediate size)
 * @throws SbiMaskError when the mask vanishes on resizing
 */
export function blendMask(mask: Uint8Array, h: number, w: number, p: BlendMaskParams, out = new Float32Array(h * w)): Float32Array {
  const [sw, sh] = p.size;
  const n = sh * sw;
  let roi: Roi | null = nonZeroBox(mask, w, [0, 0, w, h]);
  if (!roi) throw new SbiMaskError('the deformed mask is empty');
  const small = pool.f32('small', n);
  roi = nonZeroBox(small, sw, resizeMask(mask, h, w, roi, sh, sw, small));
  if (!roi) {
    throw new SbiMaskError(`the mask vanished when resized from ${w}x${h} to ${sw}x${sh}: the face hull is too small for its image`);
  }
  const tmp = pool.f32('tmp', n);
  const row = pool.f32('row', Math.max(sw, sh) + 2 * Math.max(p.erodeKernel, p.blurKernel));
  let eroded = erodeInterior(small, sh, sw, p.erodeKernel, roi, pool.u8('ones', n), new Int32Array(sw));
  if (!eroded) {
    // no full window: rebuild the resized mask, blur it with the first kernel, keep its maximum
    resizeMask(mask, h, w, [0, 0, w, h], sh, sw, small);
    const blurred = pool.f32('blurred', n);
    gaussianRoi(small, sh, sw, getGaussianKernel(p.erodeKernel, 0), [0, 0, sw, sh], tmp, blurred, row);
    let max = 0;
    for (let i = 0; i < n; i++) if (blurred[i] > max) max = blurred[i];
    const t = max * (1 - 1e-6);
    for (let i = 0; i < n; i++) small[i] = max > 0 && blurred[i] >= t ? 1 : 0;
    eroded = nonZeroBox(small, sw, [0, 0, sw, sh]);
    if (!eroded) throw new SbiMaskError('the mask vanished in the erosion step');
  }
  const blurred = pool.f32('blurred', n);
  roi = gaussianRoi(small, sh, sw, getGaussianKernel(p.blurKernel, p.blurSigma), eroded, tmp, blurred, row);
  let max = 0;
  for (let y = roi[1]; y < roi[3]; y++) for (let x = roi[0], i = y * sw + x; x < roi[2]; x++, i++) if (blurred[i] > max) max = blurred[i];
  const inv = 1 / max;
  for (let y = roi[1]; y < roi[3]; y++) for (let x = roi[0], i = y * sw + x; x < roi[2]; x++, i++) blurred[i] *= inv;
  resizeMask(blurred, sh, sw, roi, h, w, out);
  return out;
}
