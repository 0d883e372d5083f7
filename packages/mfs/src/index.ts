/**
 * `@caddm/mfs`: Multi-scale Facial Swap (paper Sec. 4.2): global and partial swaps on
 * aligned canvases, sliding windows over DSSIM (paper Eq. 2, and the reference's 5x5
 * grid), alpha and Poisson blending (a real solver with its residual), artifact boxes,
 * and the reference's sample policy, all seeded.
 *
 * ```ts
 * const sampler = new MfsSampler();
 * const s = sampler.sample({ frame: fake, source, landmarks, label: 1 }, createRng(7));
 * if (s.accepted) use(s.image, s.boxes);
 * ```
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
export * from './genuine.js';
