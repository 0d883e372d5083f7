/**
 * SSIM parameters and their validation.
 */
import { ImageArgumentError, getGaussianKernel } from '@caddm/image';

/** Parameters of the SSIM window and constants (defaults: the reference's). */
export interface SsimParams {
  /** Side of the Gaussian window, odd (default 11). */
  windowSize?: number;
  /** Standard deviation of the Gaussian window in pixels (default 1.5). */
  sigma?: number;
  /** `C1 = (k1 · dataRange)²` (default k1 = 0.01). */
  k1?: number;
  /** `C2 = (k2 · dataRange)²` (default k2 = 0.03). */
  k2?: number;
  /** Dynamic range of the pixel values (default 255). */
  dataRange?: number;
}

/** Validated parameters: the 1-D window and the two constants. */
export interface ResolvedParams {
  /** 1-D Gaussian window (the 2-D window is its outer product). */
  kernel: Float64Array;
  /** Window radius, `(windowSize - 1) / 2`. */
  radius: number;
  /** Luminance stabiliser. */
  c1: number;
  /** Contrast stabiliser. */
  c2: number;
}

/** Checks SSIM parameters and derives the window and constants. */
export function resolveParams(p: SsimParams = {}): ResolvedParams {
  const windowSize = p.windowSize ?? 11;
  const sigma = p.sigma ?? 1.5;
  const k1 = p.k1 ?? 0.01;
  const k2 = p.k2 ?? 0.03;
  const dataRange = p.dataRange ?? 255;
  if (!Number.isInteger(windowSize) || windowSize < 1 || windowSize % 2 === 0) {
    throw new ImageArgumentError(`windowSize must be a positive odd integer, got ${windowSize}`);
  }
  if (!(sigma > 0) || !Number.isFinite(sigma)) throw new ImageArgumentError(`sigma must be positive, got ${sigma}`);
  for (const [name, v] of [['k1', k1], ['k2', k2], ['dataRange', dataRange]] as const) {
    if (!(v > 0) || !Number.isFinite(v)) throw new ImageArgumentError(`${name} must be positive, got ${v}`);
  }
  return {
    kernel: getGaussianKernel(windowSize, sigma),
    radius: (windowSize - 1) / 2,
    c1: (k1 * dataRange) ** 2,
    c2: (k2 * dataRange) ** 2,
  };
}
