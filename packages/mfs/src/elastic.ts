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
import { createImage, elasticTransform, imageSize, saturateU8, type ImageU8, type Rng } from '@caddm/image';
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

  /** Makes room for an `h x w` field and a coarse one of `low` cells. */
  ensure(h: number, w: number, low = 0): void {
    if (this.dx.length < h * w) {
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

/** Reflect (`abcd|dcba`, scipy's `reflect`) index into `[0, n)`. */
function reflect(i: number, n: number): number {
  const period = 2 * n;
  i %= period;
  if (i < 0) i += period;
  return i < n ? i : period - 1 - i;
}

/** Box-averages `n` values of `a` starting at `off` with stride `step` (radius r, reflect border). */
function boxLine(a: Float32Array, off: number, step: number, n: number, r: number, line: Float32Array): void {
  for (let i = 0; i < n; i++) line[i] = a[off + i * step];
  const inv = 1 / (2 * r + 1);
  let s = 0;
  for (let j = -r; j <= r; j++) s += line[reflect(j, n)];
  for (let i = 0; i < n; i++) {
    a[off + i * step] = s * inv;
    s += line[reflect(i + r + 1, n)] - line[reflect(i - r, n)];
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
 * displacement is resampled (the rest stays 0).
 * @throws MfsArgumentError for a non-finite alpha or a non-positive sigma
 */
export function elasticMask(mask: ImageU8, options: ElasticMaskOptions, ws = new ElasticWorkspace()): ImageU8 {
  const { alpha, sigma, rng } = options;
  if (!Number.isFinite(alpha)) throw new MfsArgumentError(`elastic alpha must be finite, got ${alpha}`);
  if (!(sigma > 0) || !Number.isFinite(sigma)) throw new MfsArgumentError(`elastic sigma must be > 0, got ${sigma}`);
  const { height: h, width: w, channels: c } = imageSize(mask);
  if (c !== 1) throw new MfsArgumentError(`elasticMask needs a one-channel mask, got ${c} channels`);
  if ((options.mode ?? 'fast') === 'exact') {
    return elasticTransform(mask, { alpha, sigma, rng, border: 'constant', borderValue: 0 });
  }
  const { dx, dy } = elasticField(h, w, options, ws);
  let reach = 0;
  for (let i = 0; i < h * w; i++) reach = Math.max(reach, Math.abs(dx[i]), Math.abs(dy[i]));
  const src = mask.data;
  let x0 = w;
  let x1 = -1;
  let y0 = h;
  let y1 = -1;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (src[y * w + x] !== 0) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        y1 = y;
      }
    }
  }
  const out = createImage(h, w, 1);
  if (x1 < 0) return out;
  const g = Math.ceil(reach) + 1;
  const d = out.data;
  for (let y = Math.max(0, y0 - g); y <= Math.min(h - 1, y1 + g); y++) {
    for (let x = Math.max(0, x0 - g); x <= Math.min(w - 1, x1 + g); x++) {
      const i = y * w + x;
      const sx = x + dx[i];
      const sy = y + dy[i];
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
      d[i] = saturateU8(v);
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
  const { alpha, sigma, rng } = options;
  const f = Math.max(1, Math.floor(sigma / 4));
  const lh = Math.ceil(h / f);
  const lw = Math.ceil(w / f);
  ws.ensure(h, w, lh * lw);
  const n = h * w;
  const dx = ws.dx.subarray(0, n);
  const dy = ws.dy.subarray(0, n);
  const std = Math.sqrt(1 / (3 * f * f));
  for (const [full, low] of [[dx, ws.lowX], [dy, ws.lowY]] as const) {
    for (let i = 0; i < lh * lw; i++) low[i] = rng.normal(0, std);
    boxGauss(low, lh, lw, sigma / f, ws.line);
    // Bilinear upsampling: low-res sample j sits at full-res (j + 0.5) f − 0.5.
    for (let y = 0; y < h; y++) {
      let v = (y + 0.5) / f - 0.5;
      v = v < 0 ? 0 : v > lh - 1 ? lh - 1 : v;
      const y0 = Math.min(Math.floor(v), lh - 1);
      const y1 = Math.min(y0 + 1, lh - 1);
      const ty = v - y0;
      for (let x = 0; x < w; x++) {
        let u = (x + 0.5) / f - 0.5;
        u = u < 0 ? 0 : u > lw - 1 ? lw - 1 : u;
        const x0 = Math.min(Math.floor(u), lw - 1);
        const x1 = Math.min(x0 + 1, lw - 1);
        const tx = u - x0;
        const top = low[y0 * lw + x0] * (1 - tx) + low[y0 * lw + x1] * tx;
        const bot = low[y1 * lw + x0] * (1 - tx) + low[y1 * lw + x1] * tx;
        full[y * w + x] = alpha * (top * (1 - ty) + bot * ty);
      }
    }
  }
  return { dx, dy };
}
