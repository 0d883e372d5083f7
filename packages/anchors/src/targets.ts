import { type Box } from './box.js';
import { AnchorShapeError } from './errors.js';
import { matchInto, prepareMatcher, resolveMatchOptions, type Matcher, type MatchOptions } from './match.js';
import { type PriorsLike } from './priors.js';

/** Training targets for a batch, laid out for `[B, A, 4]` / `[B, A]` tensors. */
export interface BatchTargets {
  /** Encoded offsets, `B * A * 4` values (image-major, prior, coordinate). */
  readonly loc: Float32Array;
  /** Labels 0/1, `B * A` values. */
  readonly conf: Uint8Array | Int32Array;
  /** Batch size `B`. */
  readonly batch: number;
  /** Priors per image `A`. */
  readonly anchors: number;
  /** Positive priors per image. */
  readonly positives: Int32Array;
}

/** Options of {@link buildTargets}. */
export interface BuildTargetsOptions extends MatchOptions {
  /**
   * Reuse these buffers instead of allocating (`loc.length >= B*A*4`,
   * `conf.length >= B*A`); the result's arrays are views of them.
   */
  readonly out?: { loc: Float32Array; conf: Uint8Array | Int32Array };
}

/**
 * Reusable batched target assignment: holds the prepared priors and scratch
 * space so that repeated calls allocate only their outputs (or nothing, with
 * `out`). Each image is matched exactly as {@link matchAnchors}.
 */
export class TargetBuilder {
  private readonly matcher: Matcher;

  /**
   * @param priors - anchors in centre form.
   */
  constructor(priors: PriorsLike) {
    this.matcher = prepareMatcher(priors);
  }

  /** Number of priors per image. */
  get anchors(): number {
    return this.matcher.priors.count;
  }

  /**
   * Builds targets for a batch.
   *
   * @param batchTruths - per image, its point-form truths (empty for a genuine image).
   * @param opts - matching options and optional output buffers.
   * @throws {@link InvalidBoxError} naming `batch[b].truths[t]` for a bad box;
   *   {@link AnchorShapeError} for too-small output buffers.
   */
  build(batchTruths: readonly (readonly Box[])[], opts: BuildTargetsOptions = {}): BatchTargets {
    if (!Array.isArray(batchTruths)) throw new AnchorShapeError('batchTruths must be an array of box arrays');
    const r = resolveMatchOptions(opts);
    const B = batchTruths.length;
    const A = this.matcher.priors.count;
    let loc: Float32Array;
    let conf: Uint8Array | Int32Array;
    if (opts.out) {
      if (opts.out.loc.length < B * A * 4 || opts.out.conf.length < B * A) {
        throw new AnchorShapeError(
          `out buffers too small for ${B} images x ${A} priors (loc ${opts.out.loc.length} < ${B * A * 4} or conf ${opts.out.conf.length} < ${B * A})`,
        );
      }
      loc = opts.out.loc.subarray(0, B * A * 4);
      conf = opts.out.conf.subarray(0, B * A);
    } else {
      loc = new Float32Array(B * A * 4);
      conf = new Uint8Array(B * A);
    }
    const positives = new Int32Array(B);
    for (let b = 0; b < B; b++) {
      const truths = batchTruths[b];
      if (!Array.isArray(truths)) throw new AnchorShapeError(`batch[${b}] must be an array of boxes`);
      matchInto(this.matcher, truths, r, loc, b * A * 4, conf, b * A, (t) => `batch[${b}].truths[${t}]`);
      let n = 0;
      for (let i = b * A, e = i + A; i < e; i++) n += conf[i];
      positives[b] = n;
    }
    return { loc, conf, batch: B, anchors: A, positives };
  }
}

/**
 * Builds training targets for a batch: {@link matchAnchors} per image, packed
 * into `[B, A, 4]` offsets and `[B, A]` labels. Images without truths (genuine
 * images) get all-negative labels and zero offsets. For repeated calls with
 * the same priors prefer a long-lived {@link TargetBuilder}.
 *
 * @param batchTruths - per image, its point-form truths normalised to [0, 1].
 * @param priors - anchors in centre form.
 * @param opts - matching options and optional output buffers.
 */
export function buildTargets(
  batchTruths: readonly (readonly Box[])[],
  priors: PriorsLike,
  opts: BuildTargetsOptions = {},
): BatchTargets {
  return new TargetBuilder(priors).build(batchTruths, opts);
}
