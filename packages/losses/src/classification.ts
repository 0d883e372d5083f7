import { tf } from '@caddm/tf';
import { LossShapeError } from './errors.js';
import { expectLabelDtype, expectRank, finiteCheck, labelCheck, runChecks, type Check } from './validate.js';

/** Options of {@link classificationLoss}. */
export interface ClassificationOptions {
  /**
   * Data checks (default true): throw {@link LossValueError} for NaN/Inf logits
   * or labels outside 0..K-1. One device read (sync) per call.
   */
  readonly validate?: boolean;
}

/**
 * Mean softmax cross-entropy of image-level logits (PyTorch
 * `nn.CrossEntropyLoss()` with its default mean reduction, as the reference's
 * `L_cls`).
 *
 * @param logits - `[B, K]` float32 logits (K = 2 in CADDM: genuine, fake).
 * @param labels - `[B]` class indices (int32; float32/bool are cast).
 * @param opts - `{ validate = true }`.
 * @returns a scalar the caller disposes.
 * @throws {@link LossShapeError} for mismatched shapes; {@link LossValueError} (with `validate`) for bad values.
 */
export function classificationLoss(logits: tf.Tensor, labels: tf.Tensor, opts: ClassificationOptions = {}): tf.Scalar {
  expectRank('logits', logits, 2, '[B, K]');
  expectRank('labels', labels, 1, '[B]');
  expectLabelDtype('labels', labels);
  const [B, K] = logits.shape as [number, number];
  if (logits.dtype !== 'float32') throw new LossShapeError(`logits must be float32, got ${logits.dtype}`);
  if (labels.shape[0] !== B) throw new LossShapeError(`labels has ${labels.shape[0]} entries for ${B} logit rows`);
  if (K < 2) throw new LossShapeError(`logits must have at least 2 classes, got ${K}`);
  if (B === 0) throw new LossShapeError('classificationLoss needs at least one example (the mean of nothing is NaN)');
  if (opts.validate ?? true) {
    const checks: Check[] = [];
    try {
      checks.push(finiteCheck('logits', logits), labelCheck('labels', labels, K));
    } catch (e) {
      checks.forEach((c) => c.ok.dispose());
      throw e;
    }
    runChecks(checks);
  }
  return tf.tidy(() => {
    const y = labels.dtype === 'int32' ? labels : labels.cast('int32');
    return tf.oneHot(y, K).mul(tf.logSoftmax(logits)).sum(1).mean().neg() as tf.Scalar;
  });
}
