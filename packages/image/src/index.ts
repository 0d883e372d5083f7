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
export * from './errors.js';
export * from './image.js';
export * from './matrix.js';
export * from './border.js';
export * from './warp.js';
export * from './rng.js';
export * from './filter.js';
export * from './color.js';
export * from './resize.js';
export * from './draw.js';
export * from './polygon.js';
export * from './elastic.js';
export * from './io.js';
