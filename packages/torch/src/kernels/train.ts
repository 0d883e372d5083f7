import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import { direct, directMulti, inputsOf, kernel } from './define.js';

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
  // With `inPlace` (FusedAdamOptimizer sets it: x, m and v are its variables, reassigned
  // right after), each of them is updated in place when tfjs holds a single reference to its
  // data and no other libtorch tensor views it: no fresh buffers.
  kernel(FUSED_ADAM_KERNEL, ({ inputs, backend, attrs }) => {
    const [x, m, v, g] = inputsOf(FUSED_ADAM_KERNEL, inputs, ['x', 'm', 'v', 'g']);
    const sole = (t: TensorInfo) => attrs.inPlace === true && backend.refCount(t.dataId) === 1;
    return backend.run(FUSED_ADAM_KERNEL, [x, m, v, g], { ...attrs, ownsX: sole(x), ownsM: sole(m), ownsV: sole(v) });
  }),
  directMulti(BATCH_NORM_TRAINING_KERNEL, ['x', 'gamma', 'beta']),
  directMulti(BATCH_NORM_TRAINING_GRAD_KERNEL, ['dy', 'x', 'gamma', 'mean', 'invstd']),
  direct(RELU_GRAD_KERNEL, ['dy', 'x']),
];
