/**
 * One training sample, the reference's `prepare_train_input` with its bugs fixed:
 * optional x2 downscale of the frame pair (30%), the same alignment jitter for the frame and
 * its source, Multi-scale Facial Swap for fakes (via `@caddm/mfs`: 80% global — half
 * fake-into-source... exactly as the reference's call order —, 20% partial with a window from
 * `[[40,80],[80,120],[120,160]]`), then flip + the reference's augmentations. Boxes are pixel
 * boxes `[x0, y0, x1, y1]` on the canvas; every fake carries the whole canvas, a partial swap
 * adds its window.
 *
 * With `synthesis: 'sbi'` the fakes are Self-Blended Images of real frames instead (SBI, the
 * paper's Table 6): the same alignment, downscale and augmentation, the blend done on the
 * aligned canvas (see `sbi-sample.ts`).
 */
import { resize, type ImageU8, type Rng } from '@caddm/image';
import { align5p, LandmarkError, sampleAlignJitter, type JitterConfig } from '@caddm/face';
import { globalSwap, partialSwap, swapRemovedManipulation, SwapWorkspace, type BlendKind } from '@caddm/mfs';
import type { SbiOptions } from '@caddm/sbi';
import { augment, type AugmentConfig } from '../augment/augment.js';
import type { PixelBox } from '../augment/ops.js';
import type { Label } from '../types.js';
import { DatasetError } from '../errors.js';
import { sbiFake, sbiReal } from './sbi-sample.js';

/** What one sample needs (all paths absolute). */
export interface SampleSpec {
  /** Video id. */
  id: string;
  /** Frame index. */
  frame: number;
  /** 0 real, 1 fake. */
  label: Label;
  /** The frame's PNG. */
  file: string;
  /** Its landmarks (68 or 81 points) in frame pixels. */
  landmarks: readonly number[];
  /** For fakes: the same-index source frame's PNG (MFS needs it; SBI does not), when known. */
  sourceFile?: string;
}

/** Options of {@link prepareSample}. */
export interface SampleOptions {
  /** Output canvas side (reference 224). */
  canvasSize: number;
  /** Face width on the canvas (reference 80, scaled with the canvas by default). */
  faceWidth?: number;
  /** Training mode: jitter, MFS, augmentation (default true). */
  training?: boolean;
  /**
   * Where the training fakes come from (default `'mfs'`): `'mfs'`, the fake videos with
   * Multi-scale Facial Swap (CADDM); `'sbi'`, Self-Blended Images of real frames (SBI, the
   * paper's Table 6): a label-1 sample is the self-blend of its (real) frame, a label-0 sample
   * the frame with SBI's target augmentation half the time. The blend is part of the data, so
   * it is done in evaluation mode too (as SBI's validation set does); `mfs` is then ignored.
   */
  synthesis?: Synthesis;
  /** `selfBlend` options for `synthesis: 'sbi'` (default: SBI's). */
  sbi?: SbiOptions;
  /** Apply MFS to fakes (default true; ignored with `synthesis: 'sbi'`). */
  mfs?: boolean;
  /** Augmentation switches (default: the reference's probabilities, working flip). */
  augment?: Partial<AugmentConfig>;
  /** Alignment jitter distributions (default: the reference's). */
  jitter?: JitterConfig;
  /** Probability of the x2 downscale of the frame pair before alignment (reference 0.3). */
  downscale?: number;
  /** Partial-swap probability among fakes (reference 0.2). */
  partialProbability?: number;
  /** Partial-swap windows `[h, w]` in 224-pixel units. */
  windows?: ReadonlyArray<readonly [number, number]>;
  /**
   * Keep the fake unchanged when pasting its genuine source face onto it gives back (mostly)
   * the genuine frame (default true). When the manipulation lies inside the landmark hull, the
   * reference's "source into fake" swap returns the real face on the fake frame, labelled fake,
   * and the two differ only by codec noise. The swap counts as genuine when fewer than 40% of
   * the channel values in which the fake deviates from its source by more than 8 levels (above
   * codec noise) still deviate after it (`swapRemovedManipulation` of `@caddm/mfs`). `false`
   * reproduces the reference.
   */
  rejectGenuineSwaps?: boolean;
}


/** Where training fakes come from: Multi-scale Facial Swap of fake videos, or Self-Blended Images of real ones. */
export type Synthesis = 'mfs' | 'sbi';

/** The accepted {@link Synthesis} values. */
export const SYNTHESES: readonly Synthesis[] = Object.freeze(['mfs', 'sbi'] as const);

/** A prepared sample. */
export interface PreparedSample {
  /** The aligned, swapped, augmented canvas. */
  image: ImageU8;
  /** Label. */
  label: Label;
  /** Artifact boxes in canvas pixels (empty for reals). */
  boxes: PixelBox[];
  /** What was done (for statistics and debugging). */
  ops: string[];
}

/** The reference's partial-swap windows. */
export const REFERENCE_WINDOWS: ReadonlyArray<readonly [number, number]> = [[40, 80], [80, 120], [120, 160]];

function half(img: ImageU8): ImageU8 {
  const [h, w] = img.shape;
  return resize(img, Math.max(1, w >> 1), Math.max(1, h >> 1)) as ImageU8;
}

/**
 * Prepares one sample from decoded frames.
 * @param target - the frame
 * @param source - the same-index source frame of a fake (undefined for reals or when unknown)
 */
export async function prepareSample(
  spec: SampleSpec,
  target: ImageU8,
  source: ImageU8 | undefined,
  rng: Rng,
  opts: SampleOptions,
  ws: SwapWorkspace = new SwapWorkspace(),
): Promise<PreparedSample> {
  const training = opts.training ?? true;
  const S = opts.canvasSize;
  const faceWidth = opts.faceWidth ?? (80 * S) / 224;
  const ops: string[] = [];
  let lm = Float32Array.from(spec.landmarks);
  let src = source;
  if (src && (src.shape[0] !== target.shape[0] || src.shape[1] !== target.shape[1])) {
    src = resize(src, target.shape[1], target.shape[0]) as ImageU8;
    ops.push('source-resized');
  }
  let tgt = target;
  if (training && rng.next() < (opts.downscale ?? 0.3)) {
    tgt = half(tgt);
    if (src) src = half(src);
    lm = lm.map((v) => v / 2);
    ops.push('downscale');
  }
  const jitter = training ? sampleAlignJitter(rng, opts.jitter) : {};
  const al = { ...jitter, canvasSize: S, faceWidth };
  let a: ReturnType<typeof align5p<ImageU8>>;
  try {
    a = align5p(tgt, lm, al);
  } catch (e) {
    if (e instanceof LandmarkError) throw new DatasetError(`${spec.file} (video ${spec.id}): its cached ${e.message}; preprocess this video again`, spec.file);
    throw e;
  }
  let image = a.image as ImageU8;
  const pts = a.landmarks;
  let boxes: PixelBox[] = [];
  if (opts.synthesis === 'sbi') {
    const r = spec.label === 1 ? sbiFake(image, pts, rng.fork(), opts.sbi, spec) : sbiReal(image, rng.fork(), opts.sbi);
    image = r.image;
    boxes = r.boxes;
    ops.push(...r.ops);
  } else if (spec.label === 1) {
    boxes = [[0, 0, S, S]];
    const blend: BlendKind = rng.next() >= 0.5 ? 'poisson' : 'alpha';
    const gl = rng.next() >= (opts.partialProbability ?? 0.2);
    const r3 = rng.next();
    const r4 = rng.next();
    const elastic = rng.next() > 0.5;
    const alpha = rng.int(300, 501);
    const win = rng.choice(opts.windows ?? REFERENCE_WINDOWS);
    const mfsRng = rng.fork();
    if (training && (opts.mfs ?? true) && src) {
      const s = align5p(src, lm, al).image as ImageU8;
      if (gl) {
        const el = elastic ? { alpha, sigma: 0.08 * S, rng: mfsRng } : false;
        if (r3 > 0.5) {
          const swapped = globalSwap(image, s, pts, { blend, elastic: el }, ws).image;
          if ((opts.rejectGenuineSwaps ?? true) && swapRemovedManipulation(image, s, swapped)) {
            ops.push(`global:source-into-fake:${blend}:genuine-result-kept-fake`);
          } else {
            image = swapped;
            ops.push(`global:source-into-fake:${blend}`);
          }
        } else if (r4 >= 0.5) {
          image = globalSwap(s, image, pts, { blend, elastic: el }, ws).image;
          ops.push(`global:fake-into-source:${blend}`);
        } else ops.push('global:unchanged');
      } else {
        const r = partialSwap(s, image, pts, { window: win, blend }, ws);
        if (r.accepted) {
          image = r.image;
          boxes.push([r.box.x0, r.box.y0, r.box.x1, r.box.y1]);
          ops.push(`partial:${win[0]}x${win[1]}:${blend}`);
        } else ops.push('partial:rejected');
      }
    } else if (spec.label === 1) ops.push(src ? 'no-mfs' : 'no-source');
  }
  if (training) {
    const r = await augment(image, boxes, rng, opts.augment);
    image = r.image;
    boxes = r.boxes;
    ops.push(...r.applied);
  }
  return { image, label: spec.label, boxes, ops };
}
