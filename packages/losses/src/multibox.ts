import { tf } from '@caddm/tf';
import { LossShapeError } from './errors.js';
import { hardNegativeMask } from './mining.js';
import { expectLabelDtype, expectRank, expectShape, finiteCheck, labelCheck, runChecks, type Check } from './validate.js';

/** Inputs of {@link multiBoxLoss}: head outputs and matched targets for a batch of B images, A anchors. */
export interface MultiBoxInputs {
  /** Predicted offsets `[B, A, 4]`. */
  readonly locP: tf.Tensor;
  /** Predicted class logits `[B, A, C]` (C = 2 in CADDM: genuine, fake). */
  readonly confP: tf.Tensor;
  /** Target offsets `[B, A, 4]` (e.g. from `@caddm/anchors`' `TargetBuilder`). */
  readonly locT: tf.Tensor;
  /** Target labels `[B, A]`, 0 = negative, > 0 = positive (int32; float32/bool are cast). */
  readonly confT: tf.Tensor;
}

/** Options of {@link multiBoxLoss}. */
export interface MultiBoxOptions {
  /** Hard negatives per positive, per image (default 2; capped at A - 1 per image, as the reference). */
  readonly negPos?: number;
  /**
   * Hard negatives for genuine images (images without positives), which the
   * reference leaves out of the detection loss entirely. `false` (default):
   * none, as the reference. `true`: `negPos` per genuine image (as if it had
   * one positive). A number `k`: `k` per genuine image. Mined like every
   * other negative; the normalisation (batch positives, at least 1) is unchanged.
   */
  readonly genuineNegatives?: boolean | number;
  /**
   * Data checks (default true): throw {@link LossValueError} when `locP`,
   * `confP` or `locT` hold NaN/Inf or `confT` holds labels outside 0..C-1,
   * instead of returning a NaN loss. Costs a few reductions plus ONE device
   * read of a handful of booleans per call (a sync: on GPU backends it waits
   * for the forward pass). Turn off in tight training loops that already read
   * the loss value, or check the loss yourself.
   */
  readonly validate?: boolean;
}

/** Result of {@link multiBoxLoss}: two scalars the caller owns (dispose them). */
export interface MultiBoxLoss {
  /** Smooth-L1 over positive anchors, summed, divided by the batch's positives (at least 1). */
  readonly loc: tf.Scalar;
  /** Cross-entropy over positives and mined negatives, summed, divided by the batch's positives (at least 1). */
  readonly conf: tf.Scalar;
}

/**
 * Checks shapes/dtypes (metadata only) and returns B, A, C.
 *
 * @internal
 */
export function checkMultiBoxShapes(inputs: MultiBoxInputs): [number, number, number] {
  if (inputs === null || typeof inputs !== 'object') throw new LossShapeError('multiBoxLoss expects { locP, confP, locT, confT }');
  const { locP, confP, locT, confT } = inputs;
  expectRank('locP', locP, 3, '[B, A, 4]');
  const [B, A] = locP.shape as [number, number, number];
  expectShape('locP', locP, [B, A, 4], '[B, A, 4]');
  expectRank('confP', confP, 3, '[B, A, C]');
  expectShape('confP', confP, [B, A, -1], '[B, A, C] (B, A from locP)');
  const C = confP.shape[2] as number;
  if (C < 2) throw new LossShapeError(`confP must have at least 2 classes, got ${C}`);
  expectRank('locT', locT, 3, '[B, A, 4]');
  expectShape('locT', locT, [B, A, 4], '[B, A, 4] (as locP)');
  expectRank('confT', confT, 2, '[B, A]');
  expectShape('confT', confT, [B, A], '[B, A] (B, A from locP)');
  expectLabelDtype('confT', confT);
  if (locP.dtype !== 'float32' || confP.dtype !== 'float32' || locT.dtype !== 'float32') {
    throw new LossShapeError('locP, confP and locT must be float32');
  }
  return [B, A, C];
}

function resolveGenuine(opt: boolean | number | undefined, negPos: number, A: number): number {
  if (opt === undefined || opt === false) return 0;
  const k = opt === true ? negPos : opt;
  if (!Number.isInteger(k) || k < 0) {
    throw new LossShapeError(`genuineNegatives must be a boolean or a non-negative integer, got ${String(opt)}`);
  }
  return Math.min(k, A);
}

/**
 * Smooth-L1 (Huber with delta 1): `0.5 x^2` for `|x| < 1`, else `|x| - 0.5`,
 * written as `0.5 q^2 + (|x| - q)` with `q = min(|x|, 1)` so that it and its
 * gradient are finite everywhere.
 *
 * @param x - any float tensor.
 * @returns the element-wise loss.
 */
export function smoothL1(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const a = tf.abs(x);
    const q = tf.minimum(a, 1);
    return q.square().mul(0.5).add(a.sub(q));
  });
}

/**
 * The SSD MultiBox loss as CADDM's reference computes it.
 *
 * * `loc`: Smooth-L1 between `locP` and `locT`, summed over the 4 offsets of
 *   every positive anchor (`confT > 0`);
 * * `conf`: softmax cross-entropy summed over positive anchors and, per image,
 *   the `min(negPos * positives, A - 1)` negative anchors with the highest
 *   cross-entropy (hard-negative mining);
 * * both divided by the batch's total positives (1 if there are none).
 *
 * Images without positives (genuine images) add nothing unless
 * `genuineNegatives` is set. The mining ranks anchors without gradient (see
 * {@link hardNegativeMask}); the loss is differentiable w.r.t. `locP` and
 * `confP`. Negative anchors' `locT` never reach the loss or its gradient.
 *
 * @param inputs - `{ locP, confP, locT, confT }`.
 * @param opts - `{ negPos = 2, genuineNegatives = false, validate = true }`.
 * @returns `{ loc, conf }` scalars (the caller disposes them).
 * @throws {@link LossShapeError} for mismatched shapes or dtypes;
 *   {@link LossValueError} (with `validate`) for NaN/Inf inputs or bad labels.
 */
export function multiBoxLoss(inputs: MultiBoxInputs, opts: MultiBoxOptions = {}): MultiBoxLoss {
  const [B, A, C] = checkMultiBoxShapes(inputs);
  const negPos = opts.negPos ?? 2;
  if (!(negPos >= 0) || !Number.isFinite(negPos)) {
    throw new LossShapeError(`negPos must be a non-negative number, got ${String(negPos)}`);
  }
  const genuineK = resolveGenuine(opts.genuineNegatives, negPos, A);
  const { locP, confP, locT } = inputs;
  if (opts.validate ?? true) {
    const checks: Check[] = [];
    try {
      checks.push(finiteCheck('locP', locP), finiteCheck('confP', confP), finiteCheck('locT', locT));
      checks.push(labelCheck('confT', inputs.confT, C));
    } catch (e) {
      checks.forEach((c) => c.ok.dispose());
      throw e;
    }
    runChecks(checks);
  }
  return tf.tidy(() => {
    const confT = inputs.confT.dtype === 'int32' ? inputs.confT : inputs.confT.cast('int32');
    const pos = tf.greater(confT, 0); // [B, A] bool
    const posF = pos.cast('float32');
    const numPos = posF.sum(1, true); // [B, 1]
    const total = tf.maximum(numPos.sum(), 1);

    // Localisation: negatives are zeroed before the Smooth-L1, so NaN/Inf in
    // their targets cannot leak into the loss or the gradient.
    const pos3 = tf.broadcastTo(pos.expandDims(2), [B, A, 4]);
    const diff = tf.where(pos3, tf.sub(locP, locT), tf.zerosLike(locP));
    const loc = smoothL1(diff).sum().div(total) as tf.Scalar;

    // Confidence: per-anchor cross-entropy.
    const ce = tf.oneHot(confT, C).mul(tf.logSoftmax(confP)).sum(2).neg(); // [B, A]
    const mining = tf.where(pos, tf.fill([B, A], -Infinity), ce);
    let numNeg = tf.minimum(numPos.mul(negPos).floor(), A - 1);
    if (genuineK > 0) numNeg = tf.where(tf.equal(numPos, 0), tf.fill([B, 1], genuineK), numNeg);
    const neg = hardNegativeMask(mining, numNeg.cast('int32'));
    const selected = tf.maximum(posF, neg);
    const conf = tf.where(selected.cast('bool'), ce, tf.zerosLike(ce)).sum().div(total) as tf.Scalar;
    return { loc, conf };
  });
}
