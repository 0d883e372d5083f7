/**
 * One entry point for the six frame-wise perturbations.
 */
import type { Image, ImageU8, Rng } from '@caddm/image';
import { blockWise } from './block.js';
import { colorSaturation, gaussianNoiseColor } from './color.js';
import { colorContrast } from './contrast.js';
import { PerturbArgumentError } from './errors.js';
import { blurPerturbation, pixelate } from './resample.js';
import { PERTURBATIONS, checkLevel, resolveType, type PerturbSpec } from './table.js';

/**
 * Applies one perturbation at one level to a frame and returns a new `uint8` image of the
 * same size (the input is never modified). Apply it to the WHOLE frame, before face
 * detection and cropping, as DeeperForensics and the paper do (the block count depends
 * on the frame size).
 *
 * `BW` and `GNC` draw from `rng`; give one `Rng` per video and pass it to every frame in
 * order, as the reference's global random state runs on from frame to frame.
 * `VC` acts on whole videos: use {@link compressFrames}, {@link compressVideo} or {@link perturbFrames}.
 *
 * ```ts
 * const out = perturb(frame, { type: 'GNC', level: 3 }, createRng(0));
 * ```
 * @param image - HWC `uint8` frame, RGB for `CS` and `GNC`, any channel count otherwise
 * @param spec - type (code or alias, see {@link resolveType}) and level 1..5
 * @param rng - seeded random source, required by `BW` and `GNC`
 * @throws PerturbArgumentError for an unknown type, a level outside 1..5, a missing rng,
 *   a wrong image, or `VC`
 */
export function perturb(image: Image, spec: PerturbSpec, rng?: Rng): ImageU8 {
  if (spec == null || typeof spec !== 'object') throw new PerturbArgumentError(`perturb needs a { type, level } spec, got ${JSON.stringify(spec)}`);
  const code = resolveType(spec.type);
  const info = PERTURBATIONS[code];
  const param = info.params[checkLevel(spec.level, code) - 1];
  if (info.random && rng == null) {
    throw new PerturbArgumentError(`${code} (${info.name}) is random: pass an rng, e.g. createRng(seed) from @caddm/image`);
  }
  switch (code) {
    case 'CS':
      return colorSaturation(image, param);
    case 'CC':
      return colorContrast(image, param);
    case 'BW':
      return blockWise(image, param, rng!);
    case 'GNC':
      return gaussianNoiseColor(image, param, rng!);
    case 'GB':
      return blurPerturbation(image, param);
    case 'JPEG':
      return pixelate(image, param);
    case 'VC':
      throw new PerturbArgumentError('VC (video compression) acts on a whole video: use compressFrames(frames, crf), compressVideo(input, output, crf) or perturbFrames(frames, spec)');
  }
}
