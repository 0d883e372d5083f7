import { FusedBatchNorm, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs';
import { alloc, run, runStock, Temps, view, type KernelArgs, type WasmBackend } from './backend.js';

/**
 * `FusedBatchNorm` as x * a + b with per-channel a = scale / sqrt(var + eps)
 * and b = offset - mean * a (computed here, on C values), on the backend's
 * vectorised broadcasting Multiply and Add. The stock kernel is a scalar loop.
 * Falls back to it unless mean/variance/scale/offset are [C] vectors over the
 * last axis.
 */
export function fusedBatchNorm(args: KernelArgs): TensorInfo {
  const backend = args.backend as WasmBackend;
  const { x, mean, variance, scale, offset } = args.inputs;
  const { varianceEpsilon } = args.attrs as { varianceEpsilon: number };
  const C = x.shape[x.shape.length - 1];
  const vec = (t: TensorInfo | undefined) => t == null || (t.shape.length === 1 && t.shape[0] === C && t.dtype === 'float32');
  if (x.dtype !== 'float32' || x.shape.length < 2 || mean == null || variance == null || !vec(mean) || !vec(variance) || !vec(scale) || !vec(offset)) {
    return runStock(FusedBatchNorm, args);
  }
  const t = new Temps(backend);
  try {
    const a = t.add(alloc(backend, [C]));
    const b = t.add(alloc(backend, [C]));
    const av = view(backend, a);
    const bv = view(backend, b);
    const m = view(backend, mean);
    const v = view(backend, variance);
    const s = scale == null ? undefined : view(backend, scale);
    const o = offset == null ? undefined : view(backend, offset);
    for (let c = 0; c < C; c++) {
      const g = (s == null ? 1 : s[c]) / Math.sqrt(v[c] + varianceEpsilon);
      av[c] = g;
      bv[c] = (o == null ? 0 : o[c]) - m[c] * g;
    }
    const xa = t.add(run(backend, 'Multiply', { a: x, b: a }));
    return run(backend, 'Add', { a: xa, b });
  } finally {
    t.free();
  }
}

/** Kernel config registering {@link fusedBatchNorm} on the wasm backend. */
export const fusedBatchNormConfig: KernelConfig = {
  kernelName: FusedBatchNorm,
  backendName: 'wasm',
  kernelFunc: fusedBatchNorm as unknown as KernelConfig['kernelFunc'],
};
