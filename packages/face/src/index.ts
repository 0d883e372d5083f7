/**
 * `@caddm/face`: the 68-point landmark layout, an estimated forehead arc, the
 * reference's 5-point alignment (`align5p`, matching `golden/align.json`) and
 * its training jitter. Pure geometry on typed arrays: no tensors. Detection
 * (face-api on tfjs) is `@caddm/face-detect`.
 *
 * ```ts
 * const lm = await detectLandmarks(img, { source: 'photo.jpg' }); // from @caddm/face-detect
 * const { image, landmarks, matrix } = align5p(img, lm, sampleAlignJitter(createRng(1)));
 * ```
 *
 * @packageDocumentation
 */
export * from './errors.js';
export * from './landmarks.js';
export * from './mean-face.js';
export * from './geometry.js';
export * from './align.js';
export * from './jitter.js';
export * from './forehead.js';
export * from './template.js';
