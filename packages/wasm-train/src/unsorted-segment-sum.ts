import { UnsortedSegmentSum, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs';
import { alloc, type KernelArgs, type WasmBackend } from './backend.js';
import { WasmKernelInputError } from './errors.js';

/**
 * `UnsortedSegmentSum` (the gradient of `gather`), which the stock wasm
 * backend lacks: out[segmentIds[i], ...] += x[i, ...]. Negative ids are
 * dropped (as in TensorFlow); an id >= numSegments is an error.
 */
export function unsortedSegmentSum(args: KernelArgs): TensorInfo {
  const name = UnsortedSegmentSum;
  const backend = args.backend as WasmBackend;
  const { x, segmentIds } = args.inputs;
  const { numSegments } = args.attrs as { numSegments: number };
  if (x == null || segmentIds == null) throw new WasmKernelInputError(name, 'needs inputs x and segmentIds');
  if (segmentIds.dtype !== 'int32') throw new WasmKernelInputError(name, `segmentIds must be int32, got ${segmentIds.dtype}`);
  if (x.dtype !== 'float32' && x.dtype !== 'int32') {
    throw new WasmKernelInputError(name, `x must be float32 or int32, got ${x.dtype}`);
  }
  if (!Number.isInteger(numSegments) || numSegments < 0) {
    throw new WasmKernelInputError(name, `numSegments must be a non-negative integer, got ${numSegments}`);
  }
  const idRank = segmentIds.shape.length;
  if (segmentIds.shape.some((d, i) => d !== x.shape[i])) {
    throw new WasmKernelInputError(name, `segmentIds shape [${segmentIds.shape}] is not a prefix of x shape [${x.shape}]`);
  }
  const inner = x.shape.slice(idRank).reduce((a, b) => a * b, 1);
  const n = segmentIds.shape.reduce((a, b) => a * b, 1);
  const out = alloc(backend, [numSegments, ...x.shape.slice(idRank)], x.dtype, true);
  const ids = backend.typedArrayFromHeap(segmentIds) as Int32Array;
  const xs = backend.typedArrayFromHeap(x) as Float32Array | Int32Array;
  const o = backend.typedArrayFromHeap(out) as Float32Array | Int32Array;
  for (let i = 0; i < n; i++) {
    const id = ids[i];
    if (id < 0) continue;
    if (id >= numSegments) {
      backend.disposeData(out.dataId);
      throw new WasmKernelInputError(name, `segment id ${id} at index ${i} is not below numSegments ${numSegments}`);
    }
    const src = i * inner;
    const dst = id * inner;
    for (let j = 0; j < inner; j++) o[dst + j] += xs[src + j];
  }
  return out;
}

/** Kernel config registering {@link unsortedSegmentSum} on the wasm backend. */
export const unsortedSegmentSumConfig: KernelConfig = {
  kernelName: UnsortedSegmentSum,
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSum as unknown as KernelConfig['kernelFunc'],
};
