/**
 * `@caddm/torch`: a TensorFlow.js backend whose kernels run on libtorch, the
 * engine under PyTorch, on the CPU or on CUDA.
 *
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { setupTorchBackend } from '@caddm/torch';
 * setupTorchBackend();             // CADDM_DEVICE=cpu|cuda, CADDM_THREADS=n
 * await tf.setBackend('torch');
 * ```
 *
 * The addon (`build/caddm_torch.node`) is compiled at install time when
 * libtorch is found (Debian's `libtorch-dev`, `CADDM_LIBTORCH=<dir>`, or a
 * Python torch); without it {@link setupTorchBackend} throws
 * {@link TorchUnavailableError} saying why.
 *
 * @packageDocumentation
 */
export { TorchBackend } from './backend.js';
export { setupTorchBackend, type TorchSetup, type TorchSetupOptions } from './setup.js';
export {
  TORCH_KERNELS,
  BACKEND_NAME,
  FUSED_ADAM_KERNEL,
  BATCH_NORM_TRAINING_KERNEL,
  BATCH_NORM_TRAINING_GRAD_KERNEL,
  RELU_GRAD_KERNEL,
} from './kernels/index.js';
export { registerTorchGradients } from './gradients.js';
export { loadNative, addonPath, TorchUnavailableError, type TorchNative, type TorchNativeInfo } from './native.js';
export { CASES as KERNEL_CHECKS, evaluate as evaluateKernelCheck, worstError, type Case as KernelCheck } from './checks.js';
