/**
 * `@caddm/perturb`: the seven DeeperForensics-1.0 perturbations used for the robustness
 * evaluation of the paper's Table 4 (colour saturation, colour contrast, block-wise,
 * Gaussian noise in colour components, Gaussian blur, pixelation, H.264 video compression),
 * each at five levels, on HWC `uint8` frames from `@caddm/image`. Apply them to whole
 * frames, before face cropping.
 *
 * ```ts
 * import { createRng } from '@caddm/image';
 * import { perturb, compressFrames, PERTURBATIONS } from '@caddm/perturb';
 * const noisy = perturb(frame, { type: 'GNC', level: 3 }, createRng(0));
 * const compressed = await compressFrames(frames, PERTURBATIONS.VC.params[4]); // CRF 40
 * ```
 *
 * @packageDocumentation
 */
export * from './errors.js';
export * from './table.js';
export { perturb } from './perturb.js';
export { perturbFrames } from './frames.js';
export { colorSaturation, gaussianNoiseColor, NOISE_LUMA_SCALE, NOISE_CHROMA_SCALE } from './color.js';
export { colorContrast } from './contrast.js';
export { blockWise, blockCount, blockPositions, BLOCK_SIZE, BLOCK_VALUE, type BlockPosition } from './block.js';
export { blurPerturbation, pixelate } from './resample.js';
export { compressVideo, compressFrames, type CompressOptions } from './video/compress.js';
export { findFfmpeg, requireFfmpeg } from '@caddm/ffmpeg';
