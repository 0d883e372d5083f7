import { getKernel, type DataType, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { WasmKernelInputError, WasmKernelMissingError } from './errors.js';

/** The tfjs wasm backend object handed to kernel functions. */
export type WasmBackend = BackendWasm;

/** The tensors and attributes of one kernel call, as tfjs passes them. */
export interface KernelArgs {
  readonly inputs: Readonly<Record<string, TensorInfo>>;
  readonly backend: unknown;
  readonly attrs?: unknown;
}

/** Stock wasm kernels captured before this package replaced them, by name. */
const stock = new Map<string, (args: KernelArgs) => TensorInfo | TensorInfo[]>();

/** Remembers the stock wasm implementation of `name` (call before replacing it). */
export function captureStock(name: string): void {
  if (stock.has(name)) return;
  const k = getKernel(name, 'wasm');
  if (k != null) stock.set(name, k.kernelFunc as (args: KernelArgs) => TensorInfo);
}

/** Runs the stock wasm kernel `name` (the one registered before this package). */
export function runStock(name: string, args: KernelArgs): TensorInfo {
  const f = stock.get(name);
  if (f == null) throw new WasmKernelMissingError(name);
  return f(args) as TensorInfo;
}

/**
 * Runs the wasm kernel `name` currently registered (a stock one or one of
 * ours) on tensors already on the wasm backend. The caller owns the result.
 */
export function run(backend: WasmBackend, name: string, inputs: Record<string, TensorInfo>, attrs: object = {}): TensorInfo {
  const k = getKernel(name, 'wasm');
  if (k == null) throw new WasmKernelMissingError(name);
  return k.kernelFunc({ inputs, backend, attrs: attrs as NamedAttrMap }) as TensorInfo;
}

/**
 * Collects the intermediate tensors of a kernel so they can be freed
 * together: `const t = new Temps(backend); try { ... t.add(x) ... } finally { t.free(); }`.
 */
export class Temps {
  private readonly held: TensorInfo[] = [];
  constructor(private readonly backend: WasmBackend) {}

  /** Keeps `info` to be freed by {@link Temps.free}; returns it. */
  add(info: TensorInfo): TensorInfo {
    this.held.push(info);
    return info;
  }

  /** Frees every tensor added so far. */
  free(): void {
    for (const t of this.held) this.backend.disposeData(t.dataId);
    this.held.length = 0;
  }
}

/** A fresh output tensor of `shape` on the wasm heap (not zeroed unless `zero`). */
export function alloc(backend: WasmBackend, shape: number[], dtype: DataType = 'float32', zero = false): TensorInfo {
  const out = backend.makeOutput(shape, dtype);
  if (zero) view(backend, out).fill(0);
  return out;
}

/**
 * A `Float32Array` (or `Int32Array`) view of a tensor's data on the wasm heap.
 * Views go stale when the heap grows: take them after every allocation.
 */
export function view(backend: WasmBackend, info: TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(info) as Float32Array;
}

/** An `Int32Array` view of an int32 tensor on the wasm heap. */
export function viewInt(backend: WasmBackend, info: TensorInfo): Int32Array {
  return backend.typedArrayFromHeap(info) as Int32Array;
}

/** Throws {@link WasmKernelInputError} unless every named input is float32. */
export function requireFloat32(kernel: string, inputs: Readonly<Record<string, TensorInfo>>): void {
  for (const [name, t] of Object.entries(inputs)) {
    if (t.dtype !== 'float32') {
      throw new WasmKernelInputError(kernel, `input '${name}' must be float32, got ${t.dtype}`);
    }
  }
}

/** Throws {@link WasmKernelInputError} unless the data format is channels-last. */
export function requireNHWC(kernel: string, dataFormat: string | undefined): void {
  if (dataFormat != null && dataFormat !== 'NHWC' && dataFormat !== 'channelsLast') {
    throw new WasmKernelInputError(kernel, `only dataFormat 'NHWC' is supported, got '${dataFormat}'`);
  }
}
