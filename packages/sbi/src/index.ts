/**
 * `@caddm/sbi`: Self-Blended Images (Shiohara & Yamasaki, "Detecting Deepfakes with
 * Self-Blended Images", CVPR 2022; reference [58] of the CADDM paper, combined with the ADM in
 * its Table 6). A pseudo-fake is made from one real face: two copies, one augmented
 * (colour, quality), the source shifted and scaled, blended into the target through a
 * deformed, blurred landmark-hull mask. {@link selfBlend} also returns the artifact box
 * (and the whole-image box) that CADDM's Artifact Detection Module is trained on.
 *
 * ```ts
 * import { createRng } from '@caddm/image';
 * import { selfBlend } from '@caddm/sbi';
 * const { fake, target, mask, boxes } = selfBlend(face, landmarks68, createRng(7));
 * ```
 *
 * @packageDocumentation
 */
export * from './errors.js';
export * from './options.js';
export * from './hull.js';
export * from './color.js';
export * from './quality.js';
export * from './augment.js';
export * from './stg.js';
export * from './field.js';
export * from './mask.js';
export * from './blend.js';
export * from './self-blend.js';
export * from './pair.js';
