import type { KernelConfig } from '@tensorflow/tfjs';
import { ELEMENTWISE_KERNELS } from './elementwise.js';
import { NN_KERNELS } from './nn.js';
import { REDUCE_KERNELS } from './reduce.js';
import { SHAPE_KERNELS } from './shape.js';
import { TRAIN_KERNELS } from './train.js';

export { BACKEND_NAME } from './define.js';
export { FUSED_ADAM_KERNEL, BATCH_NORM_TRAINING_KERNEL, BATCH_NORM_TRAINING_GRAD_KERNEL, RELU_GRAD_KERNEL } from './train.js';

/** Every kernel the torch backend registers. */
export const TORCH_KERNELS: readonly KernelConfig[] = [
  ...ELEMENTWISE_KERNELS,
  ...SHAPE_KERNELS,
  ...REDUCE_KERNELS,
  ...NN_KERNELS,
  ...TRAIN_KERNELS,
];
