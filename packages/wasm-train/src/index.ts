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
export * from './browser.js';
export {
  setupWasmBackend,
  wasmThreadsInUse,
  defaultWasmBinaryDir,
  type WasmSetup,
  type WasmSetupOptions,
} from './setup.js';
export { installThreadedWasm, wasmThreadsFromEnv, MAX_WASM_THREADS, WasmThreadsConfigError } from './threads.js';
