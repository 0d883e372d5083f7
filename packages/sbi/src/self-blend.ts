/**
 * `selfBlend`: one Self-Blended Image (Shiohara & Yamasaki, CVPR 2022, `SBI_Dataset.self_blending`
 * with `dynamic_blend`) from one real face and its landmarks.
 */
import { foreheadArc } from '@caddm/face';
import { createRng, imageSize, contiguous, wrapImage, type ImageF32, type ImageU8, type Rng } from '@caddm/image';
import { applyAugment, sampleAugment, type AugmentParams } from './augment.js';
import { blendWarped, thresholdBox, type Box } from './blend.js';
import { SbiImageError, SbiLandmarkError, SbiMaskError } from './errors.js';
import { elasticField, FieldScratch } from './field.js';
import { assertFaceHull, hullMask } from './hull.js';
import { blendMask, deformMask, sampleBlendMask, type BlendMaskParams } from './mask.js';
import { resolveSbiOptions, type HullType, type ResolvedSbiOptions, type SbiOptions } from './options.js';
import { Scratch } from './scratch.js';
import { affineMatrices, sampleAffine, type AffineParams } from './stg.js';

// Per-sample working memory, reused across calls (selfBlend is synchronous).
const pool = new Scratch();
let fieldScratch: FieldScratch | undefined;

/** Everything {@link selfBlend} drew, for logging and reproduction. */
export interface SelfBlendParams {
  /** Whether the forehead points were added to the landmarks. */
  forehead: boolean;
  /** The initial mask shape. */
  hullType: HullType;
  /** Which copy was augmented: the `source` (blended in) or the `target` (the background, and the real counterpart). */
  augmented: 'source' | 'target';
  /** The augmentation applied to that copy. */
  augment: AugmentParams;
  /** The random affine of the source and the mask. */
  affine: AffineParams;
  /** Whether the mask was elastically deformed. */
  elastic: boolean;
  /** The mask blurring. */
  mask: BlendMaskParams;
  /** The blend ratio multiplying the blurred mask. */
  blendRatio: number;
}

/** The result of {@link selfBlend}. */
export interface SelfBlendResult {
  /** The self-blended pseudo-fake (`H x W x 3` `uint8`). */
  fake: ImageU8;
  /**
   * The target it was blended into, i.e. its real counterpart (SBI trains on the pair): the
   * input image, or its augmented copy when `params.augmented === 'target'`. `fake` equals
   * `target` wherever `mask` is 0.
   */
  target: ImageU8;
  /** The blend weight per pixel (`H x W x 1` float32 in `[0, blendRatio]`). */
  mask: ImageF32;
  /**
   * The artifact box: bounding box of the pixels where the blurred mask, before the blend
   * ratio, exceeds `boxThreshold` (default 0.5). Exclusive ends, pixels of the input image.
   */
  box: Box;
  /** The boxes a CADDM fake carries: `[box, whole image]`. */
  boxes: [Box, Box];
  /** The random draws. */
  params: SelfBlendParams;
}

/**
 * Checks the landmarks: 68 points (`136` numbers) or dlib's 81 (`162`, points 68..80 on the
 * forehead), finite, the first 68 inside the image (`0 <= x <= W-1`, `0 <= y <= H-1`).
 * @throws SbiLandmarkError naming the first bad value
 */
export function checkSbiLandmarks(landmarks: ArrayLike<number>, height: number, width: number): void {
  if (landmarks == null || (landmarks.length !== 136 && landmarks.length !== 162)) {
    throw new SbiLandmarkError(
      `landmarks must be flat [x0, y0, x1, y1, ...] with 68 points (136 numbers) or 81 (162), got ${landmarks?.length} numbers`,
    );
  }
  for (let i = 0; i < landmarks.length; i++) {
    if (!Number.isFinite(landmarks[i])) {
      throw new SbiLandmarkError(`landmark ${i >> 1} ${i % 2 ? 'y' : 'x'} is not finite: ${landmarks[i]}`);
    }
  }
  for (let i = 0; i < 68; i++) {
    const x = landmarks[2 * i];
    const y = landmarks[2 * i + 1];
    if (x < 0 || x > width - 1 || y < 0 || y > height - 1) {
      throw new SbiLandmarkError(
        `landmark ${i} (x=${x}, y=${y}) lies outside the ${width}x${height} image; crop the face with a margin first (SBI does)`,
      );
    }
  }
}

/** `out[i] = a[i] * k` (a helper: hot loops stay out of the long `selfBlend`, which V8 then optimises whole). */
function scaled(a: Float32Array, k: number, out: Float32Array): Float32Array {
  for (let i = 0; i < a.length; i++) out[i] = a[i] * k;
  return out;
}

function withForehead(landmarks: ArrayLike<number>, o: ResolvedSbiOptions): Float32Array {
  const out = new Float32Array(landmarks.length === 162 ? 162 : 136 + 2 * (o.forehead.points ?? 13));
  for (let i = 0; i < 136; i++) out[i] = landmarks[i];
  if (landmarks.length === 162) {
    for (let i = 136; i < 162; i++) out[i] = landmarks[i];
    return out;
  }
  try {
    out.set(foreheadArc(out.subarray(0, 136), o.forehead), 136);
  } catch (e) {
    throw new SbiLandmarkError(`cannot estimate the forehead: ${e instanceof Error ? e.message : String(e)}`);
  }
  return out;
}

/**
 * Makes one Self-Blended Image. Following SBI: two copies of the face; one of them (source or
 * target, equally likely) gets the colour and quality augmentation; a mask is drawn from the
 * landmarks (one of Face X-ray's four hull shapes, with estimated forehead points 3 times in 4);
 * the source and the mask get a random translation and scale, the mask an elastic
 * deformation; the mask is eroded, blurred and scaled by a random blend ratio; the source is
 * blended into the target through it. Deterministic for a given seed.
 *
 * @param image - the real face, HWC RGB `uint8` (SBI: a face crop with a margin)
 * @param landmarks68 - flat `[x0, y0, ..., x67, y67]` in pixels (or 81 points with dlib's forehead)
 * @param rng - random source, or an integer seed
 * @param options - any of SBI's parameters (defaults: SBI's, see `SBI_DEFAULTS`)
 * @throws SbiImageError for a non-RGB or non-`uint8` image
 * @throws SbiLandmarkError for malformed landmarks or landmarks outside the image
 * @throws SbiMaskError for a degenerate hull or a mask that vanishes (face far too small)
 * @throws SbiArgumentError for bad options
 */
export function selfBlend(image: ImageU8, landmarks68: ArrayLike<number>, rng: Rng | number, options: SbiOptions = {}): SelfBlendResult {
  const { height: h, width: w, channels } = imageSize(image);
  if (channels !== 3 || !(image.data instanceof Uint8Array)) {
    throw new SbiImageError(`selfBlend needs an RGB uint8 image (HxWx3), got ${h}x${w}x${channels} ${image.data?.constructor?.name}`);
  }
  checkSbiLandmarks(landmarks68, h, w);
  assertFaceHull(landmarks68);
  const o = resolveSbiOptions(options);
  const r = typeof rng === 'number' ? createRng(rng) : rng;
  if (r == null || typeof r.next !== 'function') throw new SbiImageError('rng must be an Rng from createRng or an integer seed');
  const real = contiguous(image).data;

  // landmarks and the initial hull
  const forehead = r.next() < o.foreheadProb;
  const points = forehead ? withForehead(landmarks68, o) : landmarks68;
  const hullType = r.choice(o.hullTypes);
  const n = h * w;
  const hull = hullMask(h, w, points, hullType, pool.u8('hull', n));

  // source-target augmentation of one copy
  const augmentSource = r.next() < o.augmentSourceProb;
  const augment = sampleAugment(r, o.color, o.quality);
  const augmented = applyAugment(real, h, w, augment, augmentSource ? pool.u8('source', n * 3) : new Uint8Array(n * 3), pool.u8('tmp', n * 3));
  const source = augmentSource ? augmented : real;
  const target = augmentSource ? real.slice() : augmented;

  // random affine of source and mask, elastic deformation of the mask
  const affine = sampleAffine(r, w, h, o.stg);
  const { inverse } = affineMatrices(affine, w, h);
  const elastic = o.stg.elasticAlpha > 0;
  let field: { dx: Float32Array; dy: Float32Array } | null = null;
  if (elastic) {
    const out = { dx: pool.f32('dx', n), dy: pool.f32('dy', n), scratch: fieldScratch };
    field = elasticField(h, w, o.stg.elasticAlpha, o.stg.elasticSigma, r, out);
    fieldScratch = out.scratch;
  }
  const deformed = deformMask(hull, h, w, inverse, field, pool.u8('deformed', n));

  // blurred blend mask, ratio, blend
  const maskParams = sampleBlendMask(r, o.mask);
  const norm = blendMask(deformed, h, w, maskParams, pool.f32('norm', n));
  const blendRatio = r.choice(o.blendRatios);
  const alpha = scaled(norm, blendRatio, new Float32Array(n));
  const fake = blendWarped(target, source, h, w, inverse, alpha, new Uint8Array(n * 3));

  const box = thresholdBox(norm, h, w, o.boxThreshold);
  if (!box) throw new SbiMaskError(`no pixel of the blurred mask exceeds boxThreshold ${o.boxThreshold}`);
  return {
    fake: wrapImage(fake, h, w, 3),
    target: wrapImage(target, h, w, 3),
    mask: wrapImage(alpha, h, w, 1),
    box,
    boxes: [box, { x0: 0, y0: 0, x1: w, y1: h }],
    params: {
      forehead,
      hullType,
      augmented: augmentSource ? 'source' : 'target',
      augment,
      affine,
      elastic,
      mask: maskParams,
      blendRatio,
    },
  };
}
