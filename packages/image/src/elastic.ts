/**
 * Elastic deformation as albumentations' `ElasticTransform` (the non-approximate variant
 * the reference uses): a random displacement field `U(-1, 1)` per pixel and axis, smoothed
 * by a Gaussian of `sigma` (scipy's `gaussian_filter`: truncate 4, `reflect` border),
 * scaled by `alpha`, then `remap` with bilinear sampling and a reflect-101 border.
 */
import ndarray from 'ndarray';
import { ImageArgumentError } from './errors.js';
import { imageSize, type Image, type ImageData } from './image.js';
import { sepFilter2D } from './filter.js';
import { createRng, type Rng } from './rng.js';
import { remap, type WarpOptions } from './warp.js';
import type { BorderMode } from './border.js';

/** Options of {@link elasticTransform} and {@link elasticDisplacement}. */
export interface ElasticOptions {
  /** Displacement scale in pixels (the reference draws 300..500). */
  alpha: number;
  /** Gaussian smoothing of the field in pixels (the reference: 8% of the image size). */
  sigma: number;
  /** Random source; or give `seed`. */
  rng?: Rng;
  /** Seed for a fresh {@link createRng} when `rng` is absent (default 0). */
  seed?: number;
}

/** Options of {@link elasticTransform} beyond the field's. */
export interface ElasticTransformOptions extends ElasticOptions {
  /** Sampling (default `bilinear`). */
  interpolation?: WarpOptions['interpolation'];
  /** Border of the remap (default `reflect101`, albumentations' default). */
  border?: BorderMode;
  /** Constant border value (default 0). */
  borderValue?: WarpOptions['borderValue'];
}

/** 1-D Gaussian with scipy's `gaussian_filter` support: radius `floor(4σ + 0.5)`. */
function scipyGaussian(sigma: number): Float64Array {
  const r = Math.floor(4 * sigma + 0.5);
  const k = new Float64Array(2 * r + 1);
  let sum = 0;
  for (let i = -r; i <= r; i++) {
    k[i + r] = Math.exp((-0.5 * i * i) / (sigma * sigma));
    sum += k[i + r];
  }
  for (let i = 0; i < k.length; i++) k[i] /= sum;
  return k;
}

/**
 * The displacement field of an elastic deformation: `dx`, `dy` (each `height*width`, float64),
 * `dx = alpha · G_σ * U(-1, 1)`.
 */
export function elasticDisplacement(height: number, width: number, opts: ElasticOptions): { dx: Float64Array; dy: Float64Array } {
  const { alpha, sigma } = opts;
  if (!Number.isFinite(alpha)) throw new ImageArgumentError(`elastic alpha must be finite, got ${alpha}`);
  if (!(sigma > 0) || !Number.isFinite(sigma)) throw new ImageArgumentError(`elastic sigma must be positive, got ${sigma}`);
  if (!Number.isInteger(height) || height <= 0 || !Number.isInteger(width) || width <= 0) {
    throw new ImageArgumentError(`elastic field size must be positive integers, got ${height}x${width}`);
  }
  const rng = opts.rng ?? createRng(opts.seed ?? 0);
  const k = scipyGaussian(sigma);
  const field = () => {
    const raw = ndarray(rng.fillUniform(new Float64Array(height * width), -1, 1), [height, width, 1]);
    const smooth = sepFilter2D(raw, k, k, { border: 'reflect' }).data as Float64Array;
    for (let i = 0; i < smooth.length; i++) smooth[i] *= alpha;
    return smooth;
  };
  const dx = field();
  const dy = field();
  return { dx, dy };
}

/**
 * Elastically deforms an image (mask or RGB): `dst(x, y) = src(x + dx(x, y), y + dy(x, y))`.
 * @param img - HWC image; the output has its shape and dtype
 * @param opts - alpha, sigma, random source, sampling
 */
export function elasticTransform<D extends ImageData>(img: Image<D>, opts: ElasticTransformOptions): Image<D> {
  const { height: h, width: w } = imageSize(img);
  const { dx, dy } = elasticDisplacement(h, w, opts);
  for (let y = 0, i = 0; y < h; y++) {
    for (let x = 0; x < w; x++, i++) {
      dx[i] += x;
      dy[i] += y;
    }
  }
  return remap(img, dx, dy, w, h, {
    interpolation: opts.interpolation ?? 'bilinear',
    border: opts.border ?? 'reflect101',
    borderValue: opts.borderValue,
  });
}
