/**
 * One MFS training sample, as the reference's `prepare_train_input` makes it
 * (without the later pixel augmentations): align the fake frame and its source
 * with the same (jittered) 5-point alignment, then for a fake frame
 *
 * - 80%: global swap: half the time the source's face is pasted into the fake frame,
 *   a quarter the fake's face into the source frame, a quarter the fake is kept as is;
 * - 20%: partial swap: the fake's content in the window of largest DSSIM is pasted
 *   into the source frame, window size drawn from `[[40, 80], [80, 120], [120, 160]]`;
 *
 * blending Poisson or alpha with equal odds. Every fake carries the whole-canvas
 * box; a partial swap adds its window box. A genuine frame is only aligned.
 *
 * Unlike the reference (by default; `rejectGenuineSwaps: false` restores it), a
 * "source on fake" swap that gives back the genuine face (the manipulation lay inside
 * the pasted hull) is dropped and the aligned fake kept, flagged `genuineSwapRejected`.
 *
 * Differences from the reference, on purpose: the swap runs on the aligned canvases
 * (the reference swaps in frame pixels, then aligns), so masks, windows and boxes are
 * in canvas pixels; the partial window comes from DSSIM between the fake and the
 * source inside the crop (the reference re-measures DSSIM after blending and
 * aligning); Poisson blending never silently falls back to alpha (bug 4); boxes are
 * `{x0, y0, x1, y1}` with x = column unless `referenceBoxes` (bug 3).
 */
import {
  alignMatrix,
  foreheadArc,
  mapPoints,
  sampleAlignJitter,
  type AlignParams,
  type ForeheadOptions,
  type JitterConfig,
} from '@caddm/face';
import { cloneImage, createImage, imageSize, resize, warpPerspective, warpPerspectivePair, type ImageU8, type Rng } from '@caddm/image';
import { transposeBox, type Box } from './box.js';
import { MfsArgumentError, MfsShapeError } from './errors.js';
import type { BlurOptions } from './mask.js';
import type { PoissonOptions, PoissonStats } from './poisson.js';
import { poissonSwapRemovesManipulation, swapRemovedManipulation } from './genuine.js';
import { globalSwap, globalSwapMask, partialSwap, SwapWorkspace, type BlendKind } from './swap.js';
import type { WindowMode } from './window.js';

/** Which global swap was made: what is pasted onto what. */
export type GlobalDirection = 'source-on-fake' | 'fake-on-source' | 'unchanged';

/** Configuration of {@link MfsSampler}; every default is the reference's. */
export interface MfsConfig {
  /** Canvas side (default 224). */
  canvasSize?: number;
  /** Face width in canvas pixels (default 80). */
  faceWidth?: number;
  /** Alignment scale without jitter (default 0.9). */
  scale?: number;
  /** Jitter the alignment (training; default true). */
  jitter?: boolean;
  /** Jitter distributions (default the reference's). */
  jitterConfig?: JitterConfig;
  /** Landmark mapping, see `@caddm/face` (default `projective`). */
  landmarkMode?: 'projective' | 'reference';
  /** P(partial swap) for a fake (default 0.2). */
  partialProbability?: number;
  /** P(Poisson blending) (default 0.5; the rest alpha). */
  poissonProbability?: number;
  /** P(source pasted onto the fake) among global swaps (default 0.5). */
  sourceOnFakeProbability?: number;
  /** P(fake pasted onto the source) among the remaining global swaps (default 0.5, i.e. 1/4 overall). */
  fakeOnSourceProbability?: number;
  /** Partial windows `[h, w]` in 224-pixel units (default `[[40, 80], [80, 120], [120, 160]]`). */
  windows?: ReadonlyArray<readonly [number, number]>;
  /** Window search (default `exact`). */
  windowMode?: WindowMode;
  /** P(elastic deformation of a global mask) (default 0.5). */
  elasticProbability?: number;
  /** Elastic alpha drawn as an integer in `[lo, hi]` (default `[300, 500]`). */
  elasticAlpha?: readonly [number, number];
  /** Elastic sigma as a fraction of the canvas (default 0.08). */
  elasticSigma?: number;
  /** Elastic field smoothing (default `fast`). */
  elasticMode?: 'fast' | 'exact';
  /** Mask blur for alpha blending (default 5x5, sigma 3). */
  blur?: BlurOptions;
  /** Hull points: the 68 landmarks plus a forehead arc (default `{ points: 13 }`), or `false` for 68 only. */
  forehead?: ForeheadOptions | false;
  /** DSSIM crop growth (default 1.2). */
  cropScale?: number;
  /**
   * Poisson options (default tolerance 3e-3 here, 1e-3 in `poissonBlend`: on face hulls
   * and windows both leave every uint8 value within 1 of the converged solution, and
   * 3e-3 saves ~15% of the iterations).
   */
  poisson?: PoissonOptions;
  /** Transpose partial-swap boxes like the reference (bug 3; default false). */
  referenceBoxes?: boolean;
  /** Resize a source of another size to the fake's (the reference's `cv2.resize`); default false: throw. */
  resizeSource?: boolean;
  /**
   * Keep the fake unchanged when pasting its genuine source face onto it gives back (mostly)
   * the genuine frame (default true). When the manipulation lies inside the landmark hull, the
   * reference's "source on fake" swap returns the real face on the fake frame, labelled fake,
   * and the two differ only by codec noise. The swap counts as genuine when fewer than 40% of
   * the channel values in which the fake deviates from its source by more than 8 levels (above
   * codec noise) still deviate after it ({@link swapRemovedManipulation}); the sample is then
   * the aligned fake, `direction: 'unchanged'` with `genuineSwapRejected: true`. The random
   * draws are the same either way. `false` reproduces the reference. Same rule as the
   * `rejectGenuineSwaps` option of `@caddm/datasets`' loader.
   */
  rejectGenuineSwaps?: boolean;
}

/** Input of {@link MfsSampler.sample}. */
export interface MfsInput {
  /** The frame to detect (a fake, or a genuine frame), HWC RGB `uint8`. */
  frame: ImageU8;
  /** Its source frame (fakes only): the original the fake was made from, same size. */
  source?: ImageU8;
  /** 68 landmarks of `frame` (flat, pixels). */
  landmarks: ArrayLike<number>;
  /** 1 for a fake frame, 0 for a genuine one. */
  label: 0 | 1;
}

/** An accepted sample. */
export interface MfsSample {
  /** accepted */
  accepted: true;
  /** The canvas image, `canvasSize²x3` `uint8`. */
  image: ImageU8;
  /** 1 fake, 0 genuine. */
  label: 0 | 1;
  /** What was done. */
  kind: 'real' | 'global' | 'partial';
  /** Global swaps: what was pasted onto what (`unchanged` also when a genuine swap was rejected). */
  direction?: GlobalDirection;
  /**
   * True when a "source on fake" swap was drawn but gave back the genuine face, so the aligned
   * fake was kept instead (see {@link MfsConfig.rejectGenuineSwaps}); absent otherwise.
   */
  genuineSwapRejected?: true;
  /** Blending used (absent when nothing was pasted). */
  blend?: BlendKind;
  /** Partial swaps: the window in 224-pixel units. */
  window?: readonly [number, number];
  /** Artifact boxes in canvas pixels (none for genuine frames; whole canvas first for fakes). */
  boxes: Box[];
  /** Hull points on the canvas (68 landmarks, then the forehead arc if used). */
  landmarks: Float32Array;
  /** The alignment (frame pixels -> canvas). */
  matrix: Float64Array;
  /** The alignment parameters used. */
  params: AlignParams;
  /** Poisson statistics when Poisson blending ran. */
  poisson?: PoissonStats;
}

/** A sample the reference would drop (its partial-swap acceptance rule), with why. */
export interface MfsRejection {
  /** rejected */
  accepted: false;
  /** always `partial` */
  kind: 'partial';
  /** why */
  reason: string;
}

const DEFAULT_WINDOWS: ReadonlyArray<readonly [number, number]> = [
  [40, 80],
  [80, 120],
  [120, 160],
];

function probability(name: string, p: number): number {
  if (!(p >= 0 && p <= 1)) throw new MfsArgumentError(`${name} must be in [0, 1], got ${p}`);
  return p;
}

/** The random decisions of one fake sample. */
export interface MfsPolicy {
  /** Poisson or alpha blending. */
  blend: BlendKind;
  /** Global or partial swap. */
  level: 'global' | 'partial';
  /** Global swaps: what is pasted onto what. */
  direction?: GlobalDirection;
  /** Global swaps with elastic deformation: its alpha (integer). */
  elasticAlpha?: number;
  /** Partial swaps: the window in 224-pixel units. */
  window?: readonly [number, number];
}

/**
 * Draws the decisions of one fake sample with the reference's probabilities (or the
 * config's): blending (Poisson with `poissonProbability`), level (partial with
 * `partialProbability`), then for a global swap the direction (source on fake 1/2,
 * fake on source 1/4, unchanged 1/4) and, when something is pasted, the elastic
 * deformation (`elasticProbability`, alpha an integer in `elasticAlpha`); for a
 * partial swap the window, uniformly.
 */
export function drawPolicy(rng: Rng, config: MfsConfig = {}): MfsPolicy {
  const blend: BlendKind = rng.next() < (config.poissonProbability ?? 0.5) ? 'poisson' : 'alpha';
  if (rng.next() < (config.partialProbability ?? 0.2)) {
    return { blend, level: 'partial', window: rng.choice(config.windows ?? DEFAULT_WINDOWS) };
  }
  let direction: GlobalDirection;
  if (rng.next() < (config.sourceOnFakeProbability ?? 0.5)) direction = 'source-on-fake';
  else if (rng.next() < (config.fakeOnSourceProbability ?? 0.5)) direction = 'fake-on-source';
  else return { blend, level: 'global', direction: 'unchanged' };
  const [lo, hi] = config.elasticAlpha ?? [300, 500];
  const elasticAlpha = rng.next() < (config.elasticProbability ?? 0.5) ? rng.int(lo, hi + 1) : undefined;
  return { blend, level: 'global', direction, elasticAlpha };
}

/**
 * Makes MFS samples; holds the reusable buffers of one worker (not re-entrant).
 *
 * ```ts
 * const sampler = new MfsSampler();
 * const s = sampler.sample({ frame: fake, source, landmarks, label: 1 }, createRng(7));
 * if (s.accepted) train(s.image, s.boxes);
 * ```
 */
export class MfsSampler {
  private readonly ws = new SwapWorkspace();
  private readonly cfg: MfsConfig;
  private canvases?: [ImageU8, ImageU8];
  private readonly poisson: PoissonOptions;

  /** @param config - overrides of the reference's defaults */
  constructor(config: MfsConfig = {}) {
    this.cfg = { ...config };
    this.poisson = { tolerance: 3e-3, ...config.poisson };
    probability('partialProbability', config.partialProbability ?? 0.2);
    probability('poissonProbability', config.poissonProbability ?? 0.5);
    probability('sourceOnFakeProbability', config.sourceOnFakeProbability ?? 0.5);
    probability('fakeOnSourceProbability', config.fakeOnSourceProbability ?? 0.5);
    probability('elasticProbability', config.elasticProbability ?? 0.5);
    const windows = config.windows ?? DEFAULT_WINDOWS;
    if (windows.length === 0 || windows.some((w) => !(w[0] > 0 && w[1] > 0))) {
      throw new MfsArgumentError(`windows must be non-empty [h, w] pairs > 0, got ${JSON.stringify(windows)}`);
    }
  }

  /**
   * One sample (see the module notes). Draws from `rng` in a fixed order, so a seed
   * reproduces it.
   * @throws MfsShapeError when a fake has no source or sizes differ (unless `resizeSource`);
   *   LandmarkError / MaskError for unusable landmarks
   */
  sample(input: MfsInput, rng: Rng): MfsSample | MfsRejection {
    const c = this.cfg;
    const size = c.canvasSize ?? 224;
    const frame = input.frame;
    const fs = imageSize(frame);
    if (fs.channels !== 3 || !(frame.data instanceof Uint8Array)) throw new MfsShapeError('frame must be an RGB uint8 image');
    const params: AlignParams = (c.jitter ?? true)
      ? sampleAlignJitter(rng, c.jitterConfig)
      : { scale: c.scale ?? 0.9, translation: [0, 0], rotation: 0, sa: 1, sb: 1 };
    const alignOpts = { ...params, canvasSize: size, faceWidth: c.faceWidth ?? 80, landmarkMode: c.landmarkMode ?? 'projective' };
    const matrix = alignMatrix(input.landmarks, alignOpts);
    const lm68 = mapPoints(matrix, input.landmarks, alignOpts.landmarkMode).subarray(0, 136);
    const points = c.forehead === false ? Float32Array.from(lm68) : concat(lm68, foreheadArc(lm68, c.forehead ?? {}));
    const base = { label: input.label, matrix, params, landmarks: points };
    if (input.label === 0) return { accepted: true, kind: 'real', boxes: [], image: warpPerspective(frame, matrix, size, size), ...base };

    let source = input.source;
    if (source == null) throw new MfsShapeError('a fake frame needs its source frame');
    const ss = imageSize(source);
    if (ss.height !== fs.height || ss.width !== fs.width || ss.channels !== 3) {
      if (!c.resizeSource || ss.channels !== 3) {
        throw new MfsShapeError(`source is ${ss.height}x${ss.width}x${ss.channels}, frame is ${fs.height}x${fs.width}x3`);
      }
      source = resize(source, fs.width, fs.height) as ImageU8;
    }
    const whole: Box = { x0: 0, y0: 0, x1: size, y1: size };
    const policy = drawPolicy(rng, c);
    const { blend } = policy;
    const unchanged = policy.level === 'global' && policy.direction === 'unchanged';
    if (unchanged) {
      const image = warpPerspective(frame, matrix, size, size);
      return { accepted: true, kind: 'global', direction: 'unchanged', boxes: [whole], image, ...base };
    }
    // The two aligned canvases are temporaries (the blend allocates the result): reuse them.
    if (this.canvases == null || this.canvases[0].shape[0] !== size) {
      this.canvases = [createImage(size, size, 3), createImage(size, size, 3)];
    }
    const [fake, src] = warpPerspectivePair(frame, source, matrix, size, size, { out: this.canvases[0], outB: this.canvases[1] });
    if (policy.level === 'global') {
      const direction = policy.direction as GlobalDirection;
      const [bg, fg] = direction === 'source-on-fake' ? [fake, src] : [src, fake];
      const elastic =
        policy.elasticAlpha != null
          ? { alpha: policy.elasticAlpha, sigma: (c.elasticSigma ?? 0.08) * size, rng, mode: c.elasticMode ?? 'fast' }
          : (false as const);
      const checkGenuine = direction === 'source-on-fake' && (c.rejectGenuineSwaps ?? true);
      const mask = globalSwapMask(size, size, points, elastic, this.ws);
      // With Poisson blending the verdict is mostly known before solving (maximum principle).
      let genuine = checkGenuine && blend === 'poisson' ? poissonSwapRemovesManipulation(fake, src, mask, this.poisson.threshold) : undefined;
      const rejected = () => ({
        accepted: true as const,
        kind: 'global' as const,
        direction: 'unchanged' as const,
        genuineSwapRejected: true as const,
        boxes: [whole],
        ...base,
        // `fake` is a reused workspace canvas: hand out a copy.
        image: cloneImage(fake),
      });
      if (genuine === true) return rejected();
      const r = globalSwap(bg, fg as ImageU8, points, { blend, mask, blur: c.blur, poisson: this.poisson }, this.ws);
      if (checkGenuine && genuine === undefined) genuine = swapRemovedManipulation(fake, src, r.image);
      if (genuine === true) return rejected();
      return { accepted: true, kind: 'global', direction, blend, boxes: [whole], poisson: r.poisson, ...base, image: r.image };
    }
    const window = policy.window as readonly [number, number];
    const r = partialSwap(
      src,
      fake,
      points,
      { window, blend, windowMode: c.windowMode, cropScale: c.cropScale, blur: c.blur, poisson: this.poisson },
      this.ws,
    );
    if (!r.accepted) return { accepted: false, kind: 'partial', reason: r.reason };
    const box = c.referenceBoxes ? transposeBox(r.box) : r.box;
    return { accepted: true, kind: 'partial', blend, window, boxes: [whole, box], poisson: r.poisson, ...base, image: r.image };
  }
}

function concat(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
