/**
 * `@caddm/face`: 68-point face landmarks, an estimated forehead arc, the reference's
 * 5-point alignment (`align5p`) and its training jitter.
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
export * from './detect.js';
