/**
 * Perturbing a whole video's frames.
 */
import type { Image, ImageU8, Rng } from '@caddm/image';
import { perturb } from './perturb.js';
import { PERTURBATIONS, checkLevel, resolveType, type PerturbSpec } from './table.js';
import { compressFrames, type CompressOptions } from './video/compress.js';

/**
 * Applies a perturbation to every frame of one video: `VC` compresses the sequence with
 * {@link compressFrames}; the other types run {@link perturb} on each frame in order,
 * drawing from the one `rng` (so `BW` blocks and `GNC` noise differ between frames, as in
 * the reference). Frames should be whole frames, before face cropping.
 * @param frames - `uint8` frames of one video, in display order
 * @param spec - type and level 1..5
 * @param rng - seeded random source (required by `BW` and `GNC`)
 * @param options - encoder options for `VC`
 */
export async function perturbFrames(frames: readonly Image[], spec: PerturbSpec, rng?: Rng, options: CompressOptions = {}): Promise<ImageU8[]> {
  const code = resolveType(spec.type);
  const level = checkLevel(spec.level, code);
  if (code === 'VC') return compressFrames(frames, PERTURBATIONS.VC.params[level - 1], options);
  return frames.map((f) => perturb(f, { type: code, level }, rng));
}
