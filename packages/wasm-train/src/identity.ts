import { Cast, Identity, type DataType, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs';
import { alloc, runStock, type KernelArgs, type WasmBackend } from './backend.js';

/**
 * `Identity` without a copy: the result shares the input's data (its
 * reference count goes up), as on the cpu backend. tfjs clones every tensor
 * it saves for the backward pass through this kernel, and the stock wasm
 * kernel copies each one.
 */
export function identity(args: KernelArgs): TensorInfo {
  const backend = args.backend as WasmBackend;
  const { x } = args.inputs;
  if (x.dtype === 'string') return runStock(Identity, args);
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape.slice(), dtype: x.dtype };
}

/**
 * `Cast`, without a copy when the dtype does not change (e.g.
 * `cast(step(x), 'float32')` in the ReLU gradient). Casting to bool maps
 * every non-zero value to 1; the stock kernel of tfjs-backend-wasm 4.22 keeps
 * the low byte instead (2 stays 2, 256 becomes false).
 */
export function cast(args: KernelArgs): TensorInfo {
  const backend = args.backend as WasmBackend;
  const { x } = args.inputs;
  const { dtype } = args.attrs as { dtype: DataType };
  if (dtype === x.dtype && dtype !== 'string') return identity(args);
  if (dtype === 'bool' && (x.dtype === 'float32' || x.dtype === 'int32')) {
    const out = alloc(backend, x.shape, 'bool');
    const src = backend.typedArrayFromHeap(x);
    const dst = backend.typedArrayFromHeap(out);
    for (let i = 0; i < src.length; i++) dst[i] = src[i] !== 0 ? 1 : 0;
    return out;
  }
  return runStock(Cast, args);
}

/** Kernel config registering {@link identity} on the wasm backend. */
export const identityConfig: KernelConfig = {
  kernelName: Identity,
  backendName: 'wasm',
  kernelFunc: identity as unknown as KernelConfig['kernelFunc'],
};

/** Kernel config registering {@link cast} on the wasm backend. */
export const castConfig: KernelConfig = {
  kernelName: Cast,
  backendName: 'wasm',
  kernelFunc: cast as unknown as KernelConfig['kernelFunc'],
};
