import { Mean, Sum, util, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs';
import { alloc, run, runStock, Temps, view, type KernelArgs, type WasmBackend } from './backend.js';

/** Below this many reduced elements per output the stock kernel is as fast. */
const MIN_ROWS = 64;

/**
 * If `axis` names exactly the leading axes 0..k-1 of `shape` (k < rank), how
 * many rows they span and the size of the rest; else undefined.
 */
function leadingSplit(shape: readonly number[], axis: unknown): { rows: number; cols: number; k: number } | undefined {
  const axes = [...util.parseAxisParam(axis as number | number[], shape as number[])].sort((a, b) => a - b);
  const k = axes.length;
  if (k === 0 || k >= shape.length || axes.some((a, i) => a !== i)) return undefined;
  let rows = 1;
  for (let i = 0; i < k; i++) rows *= shape[i];
  let cols = 1;
  for (let i = k; i < shape.length; i++) cols *= shape[i];
  return { rows, cols, k };
}

/**
 * Mean (or sum) over the leading axes on XNNPACK's average pooling: x seen
 * as [groups, h, w, cols] is pooled over h x w, then the `groups` partial
 * means are combined here. The stock Sum/Mean kernels first transpose the
 * reduced axes innermost (a full copy) and then reduce.
 */
function reduceLeading(name: string, args: KernelArgs, mean: boolean): TensorInfo {
  const backend = args.backend as WasmBackend;
  const { x } = args.inputs;
  const { axis, keepDims } = args.attrs as { axis: number | number[]; keepDims: boolean };
  const split = x.dtype === 'float32' ? leadingSplit(x.shape, axis) : undefined;
  if (split == null || split.rows < MIN_ROWS) return runStock(name, args);
  const { rows, cols, k } = split;
  // NHWC batch statistics pool each image over H x W (one pooling window
  // per image, so XNNPACK's threads share the work); otherwise one window.
  const [groups, h, w] = k === 3 && x.shape.length === 4 && x.shape[1] * x.shape[2] > 1 ? x.shape : [1, rows, 1];
  const t = new Temps(backend);
  try {
    const x4 = t.add(run(backend, 'Reshape', { x }, { shape: [groups, h, w, cols] }));
    const pooled = t.add(run(backend, 'AvgPool', { x: x4 }, { filterSize: [h, w], strides: [1, 1], pad: 'valid' }));
    const shape = keepDims ? x.shape.map((d, i) => (i < k ? 1 : d)) : x.shape.slice(k);
    const out = alloc(backend, shape);
    const p = view(backend, pooled);
    const o = view(backend, out);
    // Each pooled value is the mean of h * w rows.
    const scale = mean ? 1 / groups : h * w;
    for (let c = 0; c < cols; c++) {
      let s = 0;
      for (let g = 0; g < groups; g++) s += p[g * cols + c];
      o[c] = s * scale;
    }
    return out;
  } finally {
    t.free();
  }
}

/** `Sum` over leading axes (batch-norm statistics, bias gradients) on XNNPACK; other cases use the stock kernel. */
export function sumLeading(args: KernelArgs): TensorInfo {
  return reduceLeading(Sum, args, false);
}

/** `Mean` over leading axes (batch-norm moments) on XNNPACK; other cases use the stock kernel. */
export function meanLeading(args: KernelArgs): TensorInfo {
  return reduceLeading(Mean, args, true);
}

/** Kernel config registering {@link sumLeading} on the wasm backend. */
export const sumConfig: KernelConfig = {
  kernelName: Sum,
  backendName: 'wasm',
  kernelFunc: sumLeading as unknown as KernelConfig['kernelFunc'],
};

/** Kernel config registering {@link meanLeading} on the wasm backend. */
export const meanConfig: KernelConfig = {
  kernelName: Mean,
  backendName: 'wasm',
  kernelFunc: meanLeading as unknown as KernelConfig['kernelFunc'],
};
