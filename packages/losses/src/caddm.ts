import { tf } from '@caddm/tf';
import { classificationLoss } from './classification.js';
import { LossShapeError } from './errors.js';
import { multiBoxLoss, type MultiBoxInputs, type MultiBoxOptions } from './multibox.js';

/** Inputs of {@link caddmLoss}: the ADM head outputs and targets plus the image-level logits and labels. */
export interface CaddmInputs extends MultiBoxInputs {
  /** Image-level logits `[B, 2]`. */
  readonly logits: tf.Tensor;
  /** Image labels `[B]` (0 genuine, 1 fake). */
  readonly labels: tf.Tensor;
}

/** Options of {@link caddmLoss}. */
export interface CaddmLossOptions extends MultiBoxOptions {
  /** Weight of the localisation term inside the detection loss (default 1). */
  readonly alpha?: number;
  /** Weight of the detection loss (default 0.1). */
  readonly beta?: number;
}

/** All parts of the CADDM loss; every field is a scalar the caller owns. */
export interface CaddmLoss {
  /** `beta * (alpha * loc + conf) + cls`: the quantity to minimise. */
  readonly total: tf.Scalar;
  /** MultiBox localisation loss `L_loc`. */
  readonly loc: tf.Scalar;
  /** MultiBox confidence loss `L_conf`. */
  readonly conf: tf.Scalar;
  /** Detection loss `L_det = alpha * L_loc + L_conf`. */
  readonly det: tf.Scalar;
  /** Image-level classification loss `L_cls`. */
  readonly cls: tf.Scalar;
}

function checkWeight(name: string, v: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new LossShapeError(`${name} must be a non-negative finite number, got ${String(v)}`);
  }
  return v;
}

/**
 * The CADDM training loss (paper Sec. 4.3; reference defaults):
 * `L = beta * (alpha * L_loc + L_conf) + L_cls` with `alpha = 1`, `beta = 0.1`,
 * where `L_loc`, `L_conf` come from {@link multiBoxLoss} (already divided by
 * the batch's positives) and `L_cls` from {@link classificationLoss}.
 *
 * @param inputs - `{ locP, confP, locT, confT, logits, labels }`.
 * @param opts - `alpha`, `beta`, and the {@link MultiBoxOptions}.
 * @returns `{ total, loc, conf, det, cls }` scalars (the caller disposes them).
 * @throws {@link LossShapeError} / {@link LossValueError} as the parts do, and
 *   when `logits`/`labels` disagree with the detection batch size.
 */
export function caddmLoss(inputs: CaddmInputs, opts: CaddmLossOptions = {}): CaddmLoss {
  const alpha = checkWeight('alpha', opts.alpha ?? 1);
  const beta = checkWeight('beta', opts.beta ?? 0.1);
  const B = inputs?.locP instanceof tf.Tensor ? inputs.locP.shape[0] : undefined;
  if (inputs?.logits instanceof tf.Tensor && B !== undefined && inputs.logits.shape[0] !== B) {
    throw new LossShapeError(`logits has ${inputs.logits.shape[0]} rows but locP has batch ${B}`);
  }
  const cls = classificationLoss(inputs.logits, inputs.labels, { validate: opts.validate });
  let mb: { loc: tf.Scalar; conf: tf.Scalar };
  try {
    mb = multiBoxLoss(inputs, opts);
  } catch (e) {
    cls.dispose();
    throw e;
  }
  const { loc, conf } = mb;
  return tf.tidy(() => {
    const det = loc.mul(alpha).add(conf) as tf.Scalar;
    const total = det.mul(beta).add(cls) as tf.Scalar;
    return { total, loc, conf, det, cls };
  });
}
