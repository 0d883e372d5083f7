/**
 * Anti-aliased polygon coverage, value noise and small float-image helpers for the
 * procedural face renderer. Hot loops run on typed arrays with no per-pixel allocation.
 */

/** A float RGB canvas (HWC, 0..255 scale). */
export interface Canvas {
  /** Width. */
  w: number;
  /** Height. */
  h: number;
  /** `w*h*3` samples. */
  data: Float32Array;
}

/** A new canvas. */
export function makeCanvas(w: number, h: number): Canvas {
  return { w, h, data: new Float32Array(w * h * 3) };
}

/** A copy of a canvas. */
export function cloneCanvas(c: Canvas): Canvas {
  return { w: c.w, h: c.h, data: c.data.slice() };
}

const SUB = 4;

/**
 * Adds the coverage (0..1) of a closed polygon (flat `[x, y, ...]`, pixel units, pixel
 * centres at integer + 0.5) to `cov` (length `w*h`, values clamped to 1 by the caller's use),
 * with 4 sub-scanlines per row and exact horizontal span coverage. Returns the touched
 * row range `[y0, y1)` (empty when outside).
 */
export function polygonCoverage(pts: ArrayLike<number>, w: number, h: number, cov: Float32Array): [number, number] {
  const n = pts.length >> 1;
  if (n < 3) return [0, 0];
  let minY = Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    const y = pts[2 * i + 1];
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  const y0 = Math.max(0, Math.floor(minY));
  const y1 = Math.min(h, Math.ceil(maxY) + 1);
  const xs = new Float64Array(n);
  for (let y = y0; y < y1; y++) {
    for (let s = 0; s < SUB; s++) {
      const sy = y + (s + 0.5) / SUB;
      let k = 0;
      for (let i = 0, j = n - 1; i < n; j = i++) {
        const ay = pts[2 * i + 1];
        const by = pts[2 * j + 1];
        if (ay > sy !== by > sy) {
          const ax = pts[2 * i];
          const bx = pts[2 * j];
          xs[k++] = ax + ((sy - ay) / (by - ay)) * (bx - ax);
        }
      }
      if (k < 2) continue;
      // insertion sort (k is small)
      for (let a = 1; a < k; a++) {
        const v = xs[a];
        let b = a - 1;
        while (b >= 0 && xs[b] > v) {
          xs[b + 1] = xs[b];
          b--;
        }
        xs[b + 1] = v;
      }
      const row = y * w;
      for (let a = 0; a + 1 < k; a += 2) {
        const xa = Math.max(0, xs[a]);
        const xb = Math.min(w, xs[a + 1]);
        if (xb <= xa) continue;
        const ia = Math.floor(xa);
        const ib = Math.floor(xb);
        const wgt = 1 / SUB;
        if (ia === ib) {
          cov[row + ia] += (xb - xa) * wgt;
          continue;
        }
        cov[row + ia] += (ia + 1 - xa) * wgt;
        for (let x = ia + 1; x < ib; x++) cov[row + x] += wgt;
        if (ib < w) cov[row + ib] += (xb - ib) * wgt;
      }
    }
  }
  return [y0, y1];
}

/**
 * Blends a flat colour into the canvas through a polygon's coverage times `alpha`.
 * @param scratch - a reusable `w*h` buffer (cleared on the touched rows)
 */
export function fillPolygonAA(c: Canvas, pts: ArrayLike<number>, rgb: readonly number[], alpha: number, scratch: Float32Array): void {
  const [y0, y1] = polygonCoverage(pts, c.w, c.h, scratch);
  const d = c.data;
  for (let i = y0 * c.w; i < y1 * c.w; i++) {
    const a = Math.min(1, scratch[i]) * alpha;
    scratch[i] = 0;
    if (a <= 0) continue;
    const o = i * 3;
    d[o] += (rgb[0] - d[o]) * a;
    d[o + 1] += (rgb[1] - d[o + 1]) * a;
    d[o + 2] += (rgb[2] - d[o + 2]) * a;
  }
}

/** A deterministic 2-D hash in [0, 1). */
export function hash2(x: number, y: number, seed: number): number {
  let h = Math.imul(x | 0, 374761393) ^ Math.imul(y | 0, 668265263) ^ Math.imul(seed | 0, 2246822519);
  h = Math.imul(h ^ (h >>> 13), 1274126177);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

/** Smooth value noise in [0, 1) at real coordinates (bilinear with smoothstep). */
export function valueNoise(x: number, y: number, seed: number): number {
  const xi = Math.floor(x);
  const yi = Math.floor(y);
  let fx = x - xi;
  let fy = y - yi;
  fx = fx * fx * (3 - 2 * fx);
  fy = fy * fy * (3 - 2 * fy);
  const a = hash2(xi, yi, seed);
  const b = hash2(xi + 1, yi, seed);
  const c = hash2(xi, yi + 1, seed);
  const d = hash2(xi + 1, yi + 1, seed);
  return a + (b - a) * fx + (c - a) * fy + (a - b - c + d) * fx * fy;
}

/** Two-octave value noise in [-1, 1). */
export function fbm(x: number, y: number, seed: number): number {
  return (valueNoise(x, y, seed) * 0.65 + valueNoise(2.03 * x + 17.1, 2.03 * y - 9.7, seed + 101) * 0.35) * 2 - 1;
}

/** Separable box blur of a one-channel float map, `radius` pixels, `passes` times (≈ Gaussian). */
export function blurMap(m: Float32Array, w: number, h: number, radius: number, passes = 2): Float32Array {
  const r = Math.max(0, Math.round(radius));
  if (r === 0) return m;
  let src = m;
  let tmp = new Float32Array(w * h);
  const norm = 1 / (2 * r + 1);
  for (let p = 0; p < passes; p++) {
    for (let y = 0; y < h; y++) {
      const row = y * w;
      for (let x = 0; x < w; x++) {
        let s = 0;
        for (let k = -r; k <= r; k++) s += src[row + Math.min(w - 1, Math.max(0, x + k))];
        tmp[row + x] = s * norm;
      }
    }
    const out = src === m ? new Float32Array(w * h) : src;
    for (let x = 0; x < w; x++) {
      for (let y = 0; y < h; y++) {
        let s = 0;
        for (let k = -r; k <= r; k++) s += tmp[Math.min(h - 1, Math.max(0, y + k)) * w + x];
        out[y * w + x] = s * norm;
      }
    }
    src = out;
    if (p === 0) tmp = new Float32Array(w * h);
  }
  return src;
}

/** Separable box blur of an RGB canvas (in a new canvas). */
export function blurCanvas(c: Canvas, radius: number, passes = 2): Canvas {
  const out = makeCanvas(c.w, c.h);
  const ch = new Float32Array(c.w * c.h);
  for (let k = 0; k < 3; k++) {
    for (let i = 0; i < ch.length; i++) ch[i] = c.data[i * 3 + k];
    const b = blurMap(ch, c.w, c.h, radius, passes);
    for (let i = 0; i < ch.length; i++) out.data[i * 3 + k] = b[i];
  }
  return out;
}

/** Bilinear sample of channel `k` at (x, y), clamped to the border. */
export function sample(c: Canvas, x: number, y: number, k: number): number {
  const xc = Math.min(c.w - 1, Math.max(0, x));
  const yc = Math.min(c.h - 1, Math.max(0, y));
  const x0 = Math.floor(xc);
  const y0 = Math.floor(yc);
  const x1 = Math.min(c.w - 1, x0 + 1);
  const y1 = Math.min(c.h - 1, y0 + 1);
  const fx = xc - x0;
  const fy = yc - y0;
  const d = c.data;
  const a = d[(y0 * c.w + x0) * 3 + k];
  const b = d[(y0 * c.w + x1) * 3 + k];
  const e = d[(y1 * c.w + x0) * 3 + k];
  const f = d[(y1 * c.w + x1) * 3 + k];
  return a + (b - a) * fx + (e - a) * fy + (a - b - e + f) * fx * fy;
}

/** Resamples a canvas to a new size (bilinear; area-averaged first when shrinking a lot). */
export function resample(c: Canvas, w: number, h: number): Canvas {
  let src = c;
  const shrink = Math.max(c.w / w, c.h / h);
  if (shrink > 1.5) src = blurCanvas(c, (shrink - 1) / 2, 1);
  const out = makeCanvas(w, h);
  const sx = src.w / w;
  const sy = src.h / h;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const o = (y * w + x) * 3;
      const fx = (x + 0.5) * sx - 0.5;
      const fy = (y + 0.5) * sy - 0.5;
      out.data[o] = sample(src, fx, fy, 0);
      out.data[o + 1] = sample(src, fx, fy, 1);
      out.data[o + 2] = sample(src, fx, fy, 2);
    }
  }
  return out;
}
