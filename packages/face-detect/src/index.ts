/**
 * `@caddm/face-detect`: faces and their 68 landmarks in photos, with
 * `@vladmandic/face-api` (MIT) running on the shared tfjs instance of
 * `@caddm/tf`. Alignment and the rest of the landmark geometry are in
 * `@caddm/face`, which needs no tensors.
 *
 * ```ts
 * import { detectLandmarks } from '@caddm/face-detect';
 * import { align5p } from '@caddm/face';
 * const lm = await detectLandmarks(img, { source: 'photo.jpg' });
 * const { image } = align5p(img, lm);
 * ```
 *
 * @packageDocumentation
 */
export * from './detect.js';
