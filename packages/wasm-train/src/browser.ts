/**
 * `@caddm/wasm-train` for browsers (the `browser` export condition): the training
 * kernels and ops for `@tensorflow/tfjs-backend-wasm`, without `setupWasmBackend` and
 * the worker threads, which read binaries from disk. In a page, call
 * `setWasmPaths` (from the wasm backend) yourself, then
 * {@link registerWasmTrainingKernels}, so the page runs the same kernels as Node.
 *
 * @packageDocumentation
 */
export { registerWasmTrainingKernels, TRAINING_KERNELS } from './register.js';
export { FusedAdamOptimizer, FUSED_ADAM, type FusedAdamOptions } from './adam.js';
export { WasmKernelInputError, WasmKernelMissingError } from './errors.js';
export { batchNormTraining, BATCH_NORM_TRAINING, BATCH_NORM_TRAINING_GRAD, type BatchNormTrainingResult } from './batch-norm-op.js';
