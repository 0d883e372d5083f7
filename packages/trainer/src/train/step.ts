import { caddmLoss, classificationLoss } from '@caddm/losses';
import { tf } from '@caddm/tf';
import type { Net } from './net.js';
import type { TrainOptimizer } from './optimizer.js';

/** One training batch, already on the device or as typed arrays. */
export interface TrainBatch {
  /** Images NHWC float32, normalised as the net expects. */
  readonly images: tf.Tensor4D;
  /** Labels `[B]` int32: 0 genuine, 1 fake. */
  readonly labels: tf.Tensor1D;
  /** Anchor targets (ADM only): offsets `[B, A, 4]` and labels `[B, A]` int32. */
  readonly locT?: tf.Tensor3D;
  readonly confT?: tf.Tensor2D;
}

/** Loss weights and mining settings of a step. */
export interface StepLossOptions {
  /** Weight of L_loc inside the detection loss (paper alpha, default 1). */
  readonly alpha?: number;
  /** Weight of the detection loss (paper beta, default 0.1). */
  readonly beta?: number;
  /** Hard negatives per positive (default 2). */
  readonly negPos?: number;
  /** Give genuine images hard negatives too. */
  readonly genuineNegatives?: boolean | number;
}

/** What one step measured (plain numbers: read back once per step). */
export interface StepStats {
  readonly loss: number;
  readonly cls: number;
  /** MultiBox parts; 0 for a binary classifier. */
  readonly loc: number;
  readonly conf: number;
  /** Fraction of the batch classified correctly (argmax of the logits). */
  readonly acc: number;
}

/** Thrown when a step's loss is NaN or infinite; nothing was updated. */
export class NonFiniteLossError extends Error {
  constructor(
    readonly stats: StepStats,
    readonly step?: number,
  ) {
    super(
      `non-finite loss${step != null ? ` at step ${step}` : ''}: total ${stats.loss}, cls ${stats.cls}, loc ${stats.loc}, conf ${stats.conf}` +
        ' (the weights were not updated; lower the learning rate or check the data)',
    );
    this.name = 'NonFiniteLossError';
  }
}

/**
 * One optimisation step: forward in training mode, the CADDM loss (or plain
 * cross-entropy for a net without ADM outputs), gradients of the trainable
 * variables, value clipping and the optimiser update. The loss is read back
 * (one sync) and checked before anything is updated. Leaves no tensors.
 */
export function trainStep(net: Net, opt: TrainOptimizer, batch: TrainBatch, options: StepLossOptions = {}, step?: number): StepStats {
  const vars = net.trainableVariables;
  let parts: tf.Tensor1D | undefined;
  const { value, grads } = tf.variableGrads(() => {
    const out = net.forward(batch.images, true);
    const acc = out.logits.argMax(-1).equal(batch.labels.toInt()).toFloat().mean();
    if (out.loc != null && out.conf != null && batch.locT != null && batch.confT != null) {
      const l = caddmLoss(
        { locP: out.loc, confP: out.conf, locT: batch.locT, confT: batch.confT, logits: out.logits, labels: batch.labels },
        { alpha: options.alpha, beta: options.beta, negPos: options.negPos, genuineNegatives: options.genuineNegatives, validate: false },
      );
      parts = tf.keep(tf.stack([l.total, l.cls, l.loc, l.conf, acc]) as tf.Tensor1D);
      return l.total;
    }
    if ((out.loc != null) !== (batch.locT != null)) {
      throw new Error(out.loc != null ? 'the net has ADM outputs but the batch has no anchor targets' : 'the batch has anchor targets but the net has no ADM outputs');
    }
    const cls = classificationLoss(out.logits, batch.labels, { validate: false });
    parts = tf.keep(tf.stack([cls, cls, tf.scalar(0), tf.scalar(0), acc]) as tf.Tensor1D);
    return cls;
  }, vars as tf.Variable[]);
  const p = (parts as unknown as tf.Tensor1D).dataSync();
  (parts as unknown as tf.Tensor1D).dispose();
  value.dispose();
  const stats: StepStats = { loss: p[0], cls: p[1], loc: p[2], conf: p[3], acc: p[4] };
  try {
    if (![stats.loss, stats.cls, stats.loc, stats.conf].every(Number.isFinite)) throw new NonFiniteLossError(stats, step);
    opt.apply(vars, grads);
  } finally {
    for (const g of Object.values(grads)) g.dispose();
  }
  return stats;
}
