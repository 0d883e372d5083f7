/**
 * `@caddm/image`: HWC images over typed arrays (`ndarray` views of shape `[H, W, C]`), with
 * OpenCV-compatible warps, resize, filters and colour conversions, PNG/JPEG IO (jimp, loaded
 * on first use), polygon / convex-hull fill, elastic deformation, drawing helpers and a seeded RNG.
 *
 * ```ts
 * import { createImage, warpAffine } from '@caddm/image';
 * const img = createImage(224, 224, 3);           // uint8, zero-filled
 * const out = warpAffine(img, [1, 0, 10, 0, 1, 5], 224, 224); // shift by (10, 5)
 * ```
 *
 * @packageDocumentation
 */
export * from './browser.js';
export * from './io.js';
