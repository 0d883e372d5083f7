import type { KernelConfig } from '@tensorflow/tfjs';
import { directMulti } from './define.js';

/**
 * The fused Adam(W) step of `@caddm/wasm-train`'s `FusedAdamOptimizer`,
 * which uses it on any backend that registers a kernel of this name.
 */
export const FUSED_ADAM_KERNEL = 'CaddmFusedAdam';

/** Optimiser kernels of the torch backend. */
export const TRAIN_KERNELS: readonly KernelConfig[] = [directMulti(FUSED_ADAM_KERNEL, ['x', 'm', 'v', 'g'])];
