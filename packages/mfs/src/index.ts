/**
 * `@caddm/mfs`: Multi-scale Facial Swap (paper Sec. 4.2).
 *
 * @packageDocumentation
 */
export * from './errors.js';
export * from './box.js';
export * from './window.js';
export * from './poisson.js';
export * from './alpha.js';
export * from './elastic.js';
export * from './mask.js';
export * from './swap.js';
export * from './sample.js';
