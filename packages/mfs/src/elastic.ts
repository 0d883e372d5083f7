/**
 * A fast elastic deformation of masks.
 *
 * The reference deforms its global-swap mask half the time with
 * `elastic_transform(mask, alpha ∈ [300, 500], sigma = 8% of the size)`: a
 * displacement field `alpha · G_σ * U(−1, 1)` per axis (scipy `gaussian_filter`),
 * sampled bilinearly with a zero (`constant`) border. With σ ≈ 18 px at 224 the
 * exact Gaussian (radius 72) costs ~30 M multiply-adds per field, too slow for
 * on-the-fly training samples, so `fast` mode approximates `G_σ` by three box
 * filters of width `w ≈ √(4σ² + 1)` (the same variance up to rounding of `w`,
 * reflect border), which costs O(1) per pixel. `exact` mode uses `@caddm/image`'s
 * `elasticTransform` (scipy-exact Gaussian).
 *
 * TODO(image): move the box-filter field into `@caddm/image` (`elasticDisplacement`
 * with a `fast` option) and use it from there.
 */
import { elasticTransform, imageSize, remap, type Image, type ImageU8, type Rng } from '@caddm/image';
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
  /** one line of the box filter */
  line = new Float32Array(0);

  /** Makes room for an `h x w` field. */
  ensure(h: number, w: number): void {
    if (this.dx.length < h * w) {
      this.dx = new Float32Array(h * w);
      this.dy = new Float32Array(h * w);
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
 * blending thresholds at 128).
 * @throws MfsArgumentError for a non-finite alpha or a non-positive sigma
 */
export function elasticMask(mask: ImageU8, options: ElasticMaskOptions, ws = new ElasticWorkspace()): ImageU8 {
  const { alpha, sigma, rng } = options;
  if (!Number.isFinite(alpha)) throw new MfsArgumentError(`elastic alpha must be finite, got ${alpha}`);
  if (!(sigma > 0) || !Number.isFinite(sigma)) throw new MfsArgumentError(`elastic sigma must be > 0, got ${sigma}`);
  if ((options.mode ?? 'fast') === 'exact') {
    return elasticTransform(mask, { alpha, sigma, rng, border: 'constant', borderValue: 0 });
  }
  const { height: h, width: w } = imageSize(mask);
  const { dx, dy } = elasticField(h, w, options, ws);
  for (let y = 0, i = 0; y < h; y++) {
    for (let x = 0; x < w; x++, i++) {
      dx[i] += x;
      dy[i] += y;
    }
  }
  return remap(mask, dx, dy, w, h, { interpolation: 'bilinear', border: 'constant', borderValue: 0 });
}

/**
 * The `fast` displacement field: `alpha · B³_σ * U(−1, 1)` per axis (views into the
 * workspace, valid until its next use), drawing x's noise then y's from `rng`.
 */
export function elasticField(
  h: number,
  w: number,
  options: Pick<ElasticMaskOptions, 'alpha' | 'sigma' | 'rng'>,
  ws = new ElasticWorkspace(),
): { dx: Float32Array; dy: Float32Array } {
  const { alpha, sigma, rng } = options;
  ws.ensure(h, w);
  const n = h * w;
  const dx = ws.dx.subarray(0, n);
  const dy = ws.dy.subarray(0, n);
  for (let i = 0; i < n; i++) dx[i] = 2 * rng.next() - 1;
  for (let i = 0; i < n; i++) dy[i] = 2 * rng.next() - 1;
  boxGauss(dx, h, w, sigma, ws.line);
  boxGauss(dy, h, w, sigma, ws.line);
  for (let i = 0; i < n; i++) {
    dx[i] *= alpha;
    dy[i] *= alpha;
  }
  return { dx, dy };
}
