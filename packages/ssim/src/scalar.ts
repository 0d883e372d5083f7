/**
 * Scalar SSIM: the mean of the SSIM map, the way scikit-image reports it.
 */
import { ImageArgumentError, imageSize, rgbToGray, type Image } from '@caddm/image';
import { ssimMap, type SsimMapOptions } from './map.js';
import { resolveParams } from './options.js';

/** Options of {@link ssim}. */
export interface SsimOptions extends SsimMapOptions {
  /**
   * - `skimage` (default): like `skimage.metrics.structural_similarity(a, b, gaussian_weights=True,
   *   sigma=1.5, use_sample_covariance=False, data_range=255, channel_axis=2)`: the mean of the
   *   map after cropping `(windowSize-1)/2` pixels from every side (so the border mode does not matter).
   * - `full`: the mean of the whole map, with reflect-101 borders.
   */
  mode?: 'skimage' | 'full';
  /**
   * Convert RGB inputs to grey first with OpenCV's `COLOR_RGB2GRAY` (rounded for uint8),
   * which is what the reference's grey SSIM does (default false).
   */
  gray?: boolean;
}

/**
 * Mean SSIM of two same-sized HWC images, in [-1, 1] (1 for identical images).
 * @throws ImageArgumentError when an image is smaller than the window in `skimage` mode,
 *   or `gray` is asked for an image without 3 channels
 */
export function ssim(a: Image, b: Image, opts: SsimOptions = {}): number {
  const mode = opts.mode ?? 'skimage';
  if (mode !== 'skimage' && mode !== 'full') {
    throw new ImageArgumentError(`ssim mode must be 'skimage' or 'full', got ${JSON.stringify(mode)}`);
  }
  let x = a;
  let y = b;
  if (opts.gray) {
    x = rgbToGray(a);
    y = rgbToGray(b);
  }
  const { radius } = resolveParams(opts);
  const { height: h, width: w, channels: c } = imageSize(x);
  if (mode === 'skimage' && (h < 2 * radius + 1 || w < 2 * radius + 1)) {
    throw new ImageArgumentError(`images of ${h}x${w} are smaller than the ${2 * radius + 1}x${2 * radius + 1} window`);
  }
  const { out, scratch, ...params } = opts;
  const sameShape = !opts.gray;
  const map = ssimMap(x, y, { ...params, out: sameShape ? out : undefined, scratch: sameShape ? scratch : undefined });
  const d = map.data;
  const crop = mode === 'skimage' ? radius : 0;
  let sum = 0;
  for (let yy = crop; yy < h - crop; yy++) {
    const row = yy * w * c;
    for (let j = crop * c; j < (w - crop) * c; j++) sum += d[row + j];
  }
  return sum / ((h - 2 * crop) * (w - 2 * crop) * c);
}
