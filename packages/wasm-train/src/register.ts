import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { captureStock } from './backend.js';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { conv2DBackpropInputConfig } from './conv2d-backprop-input.js';
import { depthwiseConv2dNativeBackpropFilterConfig } from './depthwise-backprop-filter.js';
import { depthwiseConv2dNativeBackpropInputConfig } from './depthwise-backprop-input.js';
import { maxPoolGradConfig } from './max-pool-grad.js';
import { tileConfig } from './tile.js';
import { castConfig, identityConfig } from './identity.js';
import { meanConfig, sumConfig } from './reduce.js';
import { fusedBatchNormConfig } from './batch-norm.js';
import { fusedAdamConfig } from './adam.js';
import { registerWasmGradients } from './grads.js';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum.js';

/** Every kernel this package registers on the wasm backend. */
export const TRAINING_KERNELS: readonly KernelConfig[] = [
  conv2DBackpropFilterConfig,
  conv2DBackpropInputConfig,
  depthwiseConv2dNativeBackpropFilterConfig,
  depthwiseConv2dNativeBackpropInputConfig,
  unsortedSegmentSumConfig,
  maxPoolGradConfig,
  tileConfig,
  identityConfig,
  castConfig,
  sumConfig,
  meanConfig,
  fusedBatchNormConfig,
  fusedAdamConfig,
];

let registered = false;

/**
 * Registers the training kernels on the `wasm` backend, replacing the stock
 * ones of the same name. Idempotent. Call it after importing
 * `@tensorflow/tfjs-backend-wasm` (this module imports it) and before or after
 * `tf.setBackend('wasm')`.
 */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  for (const cfg of TRAINING_KERNELS) {
    const old = getKernel(cfg.kernelName, 'wasm');
    let config = cfg;
    if (old != null) {
      captureStock(cfg.kernelName);
      unregisterKernel(cfg.kernelName, 'wasm');
      // Keep the stock kernel's setup (its wasm bindings) for fallbacks.
      if (old.setupFunc != null) config = { ...cfg, setupFunc: old.setupFunc };
    }
    registerKernel(config);
  }
  registerWasmGradients();
  registered = true;
}
