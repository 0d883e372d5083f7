/**
 * Gaussian blur (DeeperForensics' `gaussian_blur`) and pixelation (its `jpeg_compression`,
 * which down- and up-samples rather than JPEG-encodes).
 */
import { gaussianBlur as blur, imageSize, resize, type Image, type ImageU8 } from '@caddm/image';
import { PerturbArgumentError } from './errors.js';
import { denseU8 } from './u8.js';

/**
 * Gaussian blur with a `kernel × kernel` window and σ = kernel / 6, like the reference's
 * `cv2.GaussianBlur(img, (k, k), k / 6)` (reflect-101 border; `@caddm/image`'s float64
 * filter rounded to `uint8`, which may differ from OpenCV's fixed-point path by one level).
 * @param img - `uint8` image with any number of channels (not modified)
 * @param kernel - odd kernel size (7, 9, 13, 17, 21 for the five levels)
 * @throws PerturbArgumentError for a non-`uint8` image or an even or non-positive kernel
 */
export function blurPerturbation(img: Image, kernel: number): ImageU8 {
  if (!Number.isInteger(kernel) || kernel <= 0 || kernel % 2 === 0) throw new PerturbArgumentError(`blur kernel size must be a positive odd integer, got ${kernel}`);
  const src = denseU8(img, 'blurPerturbation');
  return blur(src, kernel, kernel / 6) as ImageU8;
}

/**
 * Pixelation: bilinear resize to `(W // factor) × (H // factor)` and bilinear resize back,
 * like the reference's two `cv2.resize` calls with the default `INTER_LINEAR` (so the result
 * is blurred and blocky, not made of constant blocks).
 * @param img - `uint8` image with any number of channels (not modified)
 * @param factor - integer down-sampling factor (2..6 for the five levels)
 * @throws PerturbArgumentError for a non-`uint8` image, a factor < 1, or an image smaller than `factor`
 */
export function pixelate(img: Image, factor: number): ImageU8 {
  if (!Number.isInteger(factor) || factor < 1) throw new PerturbArgumentError(`pixelation factor must be a positive integer, got ${factor}`);
  const src = denseU8(img, 'pixelate');
  const { height: h, width: w } = imageSize(src);
  const sw = Math.floor(w / factor);
  const sh = Math.floor(h / factor);
  if (sw === 0 || sh === 0) throw new PerturbArgumentError(`pixelation by ${factor} needs an image at least ${factor}x${factor}, got ${w}x${h}`);
  return resize(resize(src, sw, sh), w, h);
}
