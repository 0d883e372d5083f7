/**
 * `@caddm/wasm-train`: makes `@tensorflow/tfjs-backend-wasm` able to train the
 * CADDM models, fast, in Node.
 *
 * ```ts
 * import { setupWasmBackend } from '@caddm/wasm-train';
 * setupWasmBackend();              // before tf.setBackend('wasm')
 * await tf.setBackend('wasm');
 * ```
 *
 * - registers the kernels training needs that the stock backend lacks
 *   (`Conv2DBackpropFilter`, depthwise gradients, `UnsortedSegmentSum`) and
 *   faster or fixed replacements (`Conv2DBackpropInput`, `MaxPoolGrad`);
 * - starts the multi-threaded SIMD build in Node (`CADDM_WASM_THREADS`).
 *
 * @packageDocumentation
 */
export { registerWasmTrainingKernels, TRAINING_KERNELS } from './register.js';
export {
  setupWasmBackend,
  wasmThreadsInUse,
  defaultWasmBinaryDir,
  type WasmSetup,
  type WasmSetupOptions,
} from './setup.js';
export { installThreadedWasm, wasmThreadsFromEnv, MAX_WASM_THREADS, WasmThreadsConfigError } from './threads.js';
export { FusedAdamOptimizer, FUSED_ADAM, type FusedAdamOptions } from './adam.js';
export { WasmKernelInputError, WasmKernelMissingError } from './errors.js';
export { batchNormTraining, BATCH_NORM_TRAINING, BATCH_NORM_TRAINING_GRAD, type BatchNormTrainingResult } from './batch-norm-op.js';
