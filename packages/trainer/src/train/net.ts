import type { tf } from '@caddm/tf';

/** What a network gives the trainer for one batch. */
export interface NetOutputs {
  /** Image-level logits `[B, 2]` (genuine, fake). */
  readonly logits: tf.Tensor2D;
  /** ADM box offsets `[B, A, 4]`; absent for a binary classifier. */
  readonly loc?: tf.Tensor3D;
  /** ADM anchor logits `[B, A, 2]`; absent for a binary classifier. */
  readonly conf?: tf.Tensor3D;
}

/**
 * The trainer's view of a model: CADDM (backbone + ADM) or the binary
 * baseline (backbone + linear), or anything else with the same outputs.
 */
export interface Net {
  /** Trainable variables in a stable order (the optimiser state is positional). */
  readonly trainableVariables: readonly tf.Variable[];
  /** Forward pass; `training` selects batch statistics in batch norm. */
  forward(x: tf.Tensor4D, training: boolean): NetOutputs;
  /** Every weight (trainable and statistics) as name -> tensor, for checkpoints. */
  weights(): ReadonlyMap<string, tf.Tensor>;
  /** Replaces weights from a checkpoint; throws listing missing/extra/mis-shaped names. */
  setWeights(weights: ReadonlyMap<string, { shape: readonly number[]; data: Float32Array }>): void;
  /** Frees every tensor the net owns. */
  dispose(): void;
}
