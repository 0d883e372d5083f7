import { Tile, type KernelConfig, type TensorInfo, type TypedArray } from '@tensorflow/tfjs';
import { alloc, type KernelArgs, type WasmBackend } from './backend.js';
import { WasmKernelInputError } from './errors.js';

/** Repeats `dst[start, start + block)` until it fills `block * reps` elements (doubling copies). */
function replicate(dst: TypedArray, start: number, block: number, reps: number): void {
  const total = block * reps;
  let filled = block;
  while (filled < total) {
    const n = Math.min(filled, total - filled);
    dst.copyWithin(start + filled, start, start + n);
    filled += n;
  }
}

/**
 * Writes `src` (of `shape`) tiled `reps` times into `dst`. Along each axis,
 * from the innermost out, the first copy is built and then doubled in place
 * with `copyWithin` (a memmove), so the cost is one pass over the output.
 */
export function tileInto(src: TypedArray, shape: readonly number[], reps: readonly number[], dst: TypedArray): void {
  const r = shape.length;
  if (r === 0) {
    dst[0] = src[0];
    return;
  }
  const inStrides = new Array<number>(r);
  const outStrides = new Array<number>(r);
  inStrides[r - 1] = 1;
  outStrides[r - 1] = 1;
  for (let i = r - 2; i >= 0; i--) {
    inStrides[i] = inStrides[i + 1] * shape[i + 1];
    outStrides[i] = outStrides[i + 1] * shape[i + 1] * reps[i + 1];
  }
  const rec = (axis: number, si: number, di: number): void => {
    const n = shape[axis];
    if (axis === r - 1) {
      dst.set(src.subarray(si, si + n), di);
    } else {
      for (let i = 0; i < n; i++) rec(axis + 1, si + i * inStrides[axis], di + i * outStrides[axis]);
    }
    replicate(dst, di, n * outStrides[axis], reps[axis]);
  };
  rec(0, 0, 0);
}

/**
 * `Tile` for the wasm backend. The stock kernel computes every output
 * element's source index (about 100 ns an element); this one copies blocks,
 * which matters because tfjs' batch-norm gradient tiles a [C] vector to the
 * whole activation.
 */
export function tile(args: KernelArgs): TensorInfo {
  const backend = args.backend as WasmBackend;
  const { x } = args.inputs;
  const { reps } = args.attrs as { reps: number[] };
  if (x == null) throw new WasmKernelInputError(Tile, 'needs input x');
  if (x.dtype === 'string') throw new WasmKernelInputError(Tile, 'string tensors are not supported');
  if (reps.length !== x.shape.length) {
    throw new WasmKernelInputError(Tile, `reps [${reps}] must have one entry per axis of x [${x.shape}]`);
  }
  if (reps.some((k) => !Number.isInteger(k) || k < 0)) {
    throw new WasmKernelInputError(Tile, `reps [${reps}] must be non-negative integers`);
  }
  const outShape = x.shape.map((d, i) => d * reps[i]);
  const out = alloc(backend, outShape, x.dtype);
  if (outShape.some((d) => d === 0)) return out;
  tileInto(backend.typedArrayFromHeap(x) as TypedArray, x.shape, reps, backend.typedArrayFromHeap(out) as TypedArray);
  return out;
}

/** Kernel config registering {@link tile} on the wasm backend. */
export const tileConfig: KernelConfig = {
  kernelName: Tile,
  backendName: 'wasm',
  kernelFunc: tile as unknown as KernelConfig['kernelFunc'],
};
