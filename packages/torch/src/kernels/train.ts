import type { KernelConfig } from '@tensorflow/tfjs';
import { direct, directMulti } from './define.js';

/**
 * The fused Adam(W) step of `@caddm/wasm-train`'s `FusedAdamOptimizer`,
 * which uses it on any backend that registers a kernel of this name.
 */
export const FUSED_ADAM_KERNEL = 'CaddmFusedAdam';

/**
 * Batch norm in training mode as one kernel (libtorch's `native_batch_norm`),
 * and its gradient; `@caddm/wasm-train`'s `batchNormTraining` dispatches them
 * on any backend that registers them.
 */
export const BATCH_NORM_TRAINING_KERNEL = 'CaddmBatchNormTraining';
/** The gradient kernel of {@link BATCH_NORM_TRAINING_KERNEL}. */
export const BATCH_NORM_TRAINING_GRAD_KERNEL = 'CaddmBatchNormTrainingGrad';
/** `dy` where `x > 0`, else 0: relu's gradient in one pass (see `registerTorchGradients`). */
export const RELU_GRAD_KERNEL = 'CaddmReluGrad';

/** Optimiser and training-layer kernels of the torch backend. */
export const TRAIN_KERNELS: readonly KernelConfig[] = [
  directMulti(FUSED_ADAM_KERNEL, ['x', 'm', 'v', 'g']),
  directMulti(BATCH_NORM_TRAINING_KERNEL, ['x', 'gamma', 'beta']),
  directMulti(BATCH_NORM_TRAINING_GRAD_KERNEL, ['dy', 'x', 'gamma', 'mean', 'invstd']),
  direct(RELU_GRAD_KERNEL, ['dy', 'x']),
];
