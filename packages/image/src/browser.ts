/**
 * `@caddm/image` for browsers (the `browser` export condition): everything but file
 * and codec IO (`readImage`, `writeImage`, `decodeImage`, `encodeImage`), which needs
 * Node's file system and jimp. In a page, decode with `createImageBitmap` and a canvas,
 * then {@link fromRGBA}.
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
