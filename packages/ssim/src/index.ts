/**
 * `@caddm/ssim`: per-pixel SSIM / DSSIM maps matching the reference's OpenCV implementation
 * (11x11 Gaussian window, σ 1.5, reflect-101 borders, float64) and scalar SSIM matching
 * scikit-image.
 *
 * ```ts
 * import { dssimMap, ssim } from '@caddm/ssim';
 * const d = dssimMap(fake, source);        // HWC float64, (1 - SSIM) / 2 per pixel and channel
 * const s = ssim(fake, source);            // scikit-image's mean SSIM
 * ```
 *
 * @packageDocumentation
 */
export { ssimMap, dssimMap, createSsimScratch, type SsimMapOptions, type SsimScratch } from './map.js';
export { ssim, type SsimOptions } from './scalar.js';
export { resolveParams, type SsimParams, type ResolvedParams } from './options.js';
