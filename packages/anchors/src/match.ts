import { checkBoxInto, type Box, type OutOfRangePolicy } from './box.js';
import { checkVariances, DEFAULT_VARIANCES, encodeOne, type Variances } from './coding.js';
import { AnchorShapeError } from './errors.js';
import { areaF32, iouF32 } from './overlap.js';
import { asPriors, priorsToPointForm, type Priors, type PriorsLike } from './priors.js';

const f32 = Math.fround;

/** Options of {@link matchAnchors} and {@link buildTargets}. */
export interface MatchOptions {
  /** IoU at or above which a prior is positive (default 0.5; compared in float32, so IoU exactly 0.5 is positive). */
  readonly threshold?: number;
  /** SSD variances `[centre, size]` (default `[0.1, 0.2]`). */
  readonly variances?: Variances;
  /** What to do with truths reaching outside [0, 1] (default `'error'`; `'clamp'` clips them). */
  readonly outOfRange?: OutOfRangePolicy;
}

/** Targets for one image. */
export interface MatchResult {
  /** Encoded offsets of each prior's best-matching truth, 4 per prior (all 0 when there are no truths). */
  readonly loc: Float32Array;
  /** 1 for a positive (artifact) prior, 0 for a negative one. */
  readonly conf: Uint8Array;
}

/**
 * Priors plus everything the matcher derives from them (float32 point form
 * and areas) and reusable scratch space. Build once per prior set with
 * {@link prepareMatcher}; not safe to share between concurrent calls (there
 * are none in single-threaded JS unless you interleave generators).
 */
export interface Matcher {
  /** The priors (centre form). */
  readonly priors: Priors;
  /** @internal float32 point form of the priors. */
  readonly point: Float32Array;
  /** @internal float32 areas of the priors' point form. */
  readonly area: Float32Array;
  /** @internal best IoU per prior. */
  readonly bestOverlap: Float32Array;
  /** @internal index of the best truth per prior. */
  readonly bestTruth: Int32Array;
  /** @internal float32 truths of the image being matched (grown as needed). */
  truths: Float32Array;
  /** @internal best prior per truth (grown as needed). */
  bestPrior: Int32Array;
}

/**
 * Precomputes what matching needs from a prior set.
 *
 * @param priors - anchors in centre form.
 */
export function prepareMatcher(priors: PriorsLike): Matcher {
  const p = asPriors(priors);
  const point = priorsToPointForm(p);
  const area = new Float32Array(p.count);
  for (let i = 0; i < p.count; i++) {
    area[i] = areaF32(point[4 * i], point[4 * i + 1], point[4 * i + 2], point[4 * i + 3]);
  }
  return {
    priors: p,
    point,
    area,
    bestOverlap: new Float32Array(p.count),
    bestTruth: new Int32Array(p.count),
    truths: new Float32Array(16),
    bestPrior: new Int32Array(4),
  };
}

/** Resolved, validated option values. @internal */
export interface ResolvedMatch {
  threshold: number;
  v0: number;
  v1: number;
  outOfRange: OutOfRangePolicy;
}

/** @internal */
export function resolveMatchOptions(opts: MatchOptions = {}): ResolvedMatch {
  const threshold = opts.threshold ?? 0.5;
  if (typeof threshold !== 'number' || !(threshold >= 0 && threshold <= 1)) {
    throw new AnchorShapeError(`threshold must be in [0, 1], got ${String(threshold)}`);
  }
  const variances = opts.variances ?? DEFAULT_VARIANCES;
  checkVariances(variances);
  const outOfRange = opts.outOfRange ?? 'error';
  if (outOfRange !== 'error' && outOfRange !== 'clamp') {
    throw new AnchorShapeError(`outOfRange must be 'error' or 'clamp', got ${String(outOfRange)}`);
  }
  return { threshold: f32(threshold), v0: f32(variances[0]), v1: f32(variances[1]), outOfRange };
}

/**
 * Matches one image's truths into `loc[locOff ..]` / `conf[confOff ..]`.
 * Mirrors the reference `match()`:
 *
 * 1. IoU of every truth with every prior (float32, as {@link overlapMatrix});
 * 2. per prior, its best truth (first on ties); per truth, its best prior (first on ties);
 * 3. every truth's best prior gets overlap 2 and is assigned to that truth
 *    (later truths win when two truths share a best prior);
 * 4. `conf = overlap >= threshold`, `loc = encode(best truth, prior)`.
 *
 * With no truths every prior is negative and every offset is 0.
 *
 * @internal
 */
export function matchInto(
  m: Matcher,
  truths: readonly Box[],
  opts: ResolvedMatch,
  loc: Float32Array,
  locOff: number,
  conf: Uint8Array | Int32Array,
  confOff: number,
  where: (t: number) => string,
): void {
  const { count, data: pd } = m.priors;
  const T = truths.length;
  if (T === 0) {
    loc.fill(0, locOff, locOff + 4 * count);
    conf.fill(0, confOff, confOff + count);
    return;
  }
  if (m.truths.length < 4 * T) m.truths = new Float32Array(4 * T);
  if (m.bestPrior.length < T) m.bestPrior = new Int32Array(T);
  const tr = m.truths;
  for (let t = 0; t < T; t++) checkBoxInto(truths[t], () => where(t), opts.outOfRange, tr, 4 * t);

  const { point, area, bestOverlap, bestTruth, bestPrior } = m;
  bestOverlap.fill(-1);
  for (let t = 0; t < T; t++) {
    const x0 = tr[4 * t];
    const y0 = tr[4 * t + 1];
    const x1 = tr[4 * t + 2];
    const y1 = tr[4 * t + 3];
    const a = areaF32(x0, y0, x1, y1);
    let best = -1;
    let bestI = 0;
    for (let i = 0; i < count; i++) {
      const o = 4 * i;
      const v = iouF32(x0, y0, x1, y1, a, point[o], point[o + 1], point[o + 2], point[o + 3], area[i]);
      if (v > best) {
        best = v;
        bestI = i;
      }
      if (v > bestOverlap[i]) {
        bestOverlap[i] = v;
        bestTruth[i] = t;
      }
    }
    bestPrior[t] = bestI;
  }
  for (let t = 0; t < T; t++) bestOverlap[bestPrior[t]] = 2;
  for (let t = 0; t < T; t++) bestTruth[bestPrior[t]] = t;

  const { threshold, v0, v1 } = opts;
  for (let i = 0; i < count; i++) {
    const o = 4 * i;
    const t4 = 4 * bestTruth[i];
    conf[confOff + i] = bestOverlap[i] >= threshold ? 1 : 0;
    encodeOne(loc, locOff + o, tr[t4], tr[t4 + 1], tr[t4 + 2], tr[t4 + 3], pd[o], pd[o + 1], pd[o + 2], pd[o + 3], v0, v1);
  }
}

/**
 * Assigns one image's ground-truth boxes to the priors (SSD matching, as the
 * reference): a prior is positive when its best IoU with any truth is at
 * least `threshold`, and every truth additionally forces its best prior
 * positive. Each prior's offsets encode its best truth (also for negatives,
 * as the reference; the loss ignores them).
 *
 * Arithmetic follows the reference's float32 tensors step by step (truths
 * are rounded to float32 first), so ties such as IoU exactly 0.5 resolve the
 * same way.
 *
 * An empty `truths` list is valid (a genuine image): all priors negative, all offsets 0.
 *
 * @param truths - point-form boxes normalised to [0, 1].
 * @param priors - anchors in centre form.
 * @param opts - threshold (0.5), variances ([0.1, 0.2]), out-of-range policy ('error').
 * @returns per-prior offsets and labels.
 * @throws {@link InvalidBoxError} for a NaN, inverted, zero-area or (by default) out-of-range truth.
 */
export function matchAnchors(truths: readonly Box[], priors: PriorsLike | Matcher, opts: MatchOptions = {}): MatchResult {
  const m = 'bestOverlap' in priors ? priors : prepareMatcher(priors);
  const r = resolveMatchOptions(opts);
  const loc = new Float32Array(m.priors.count * 4);
  const conf = new Uint8Array(m.priors.count);
  matchInto(m, truths, r, loc, 0, conf, 0, (t) => `truths[${t}]`);
  return { loc, conf };
}
