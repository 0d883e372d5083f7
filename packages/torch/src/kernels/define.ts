import type { KernelConfig, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';
import type { TorchBackend } from '../backend.js';

/** The tfjs backend name of this package. */
export const BACKEND_NAME = 'torch';

/** What a kernel function receives. */
export interface KernelArgs {
  readonly inputs: NamedTensorInfoMap;
  readonly backend: TorchBackend;
  readonly attrs: NamedAttrMap;
}

type KernelFn = (args: KernelArgs) => TensorInfo | TensorInfo[];

/** A kernel config for the torch backend. */
export function kernel(kernelName: string, fn: KernelFn): KernelConfig {
  return { kernelName, backendName: BACKEND_NAME, kernelFunc: fn as unknown as KernelConfig['kernelFunc'] };
}

/** The named inputs in order, failing clearly on a missing one. */
export function inputsOf(kernelName: string, inputs: NamedTensorInfoMap, names: readonly string[]): TensorInfo[] {
  return names.map((n) => {
    const t = inputs[n];
    if (t == null) throw new Error(`torch kernel ${kernelName}: input '${n}' is missing`);
    return t;
  });
}

/**
 * A kernel that passes its named inputs, in order, and its attributes (after
 * `attrs`, if given) straight to the native kernel of the same name; one output.
 */
export function direct(kernelName: string, names: readonly string[], attrs?: (a: KernelArgs) => object): KernelConfig {
  return kernel(kernelName, (a) => a.backend.run(kernelName, inputsOf(kernelName, a.inputs, names), attrs ? attrs(a) : a.attrs)[0]);
}

/** Like {@link direct} but returns every output. */
export function directMulti(kernelName: string, names: readonly string[], attrs?: (a: KernelArgs) => object): KernelConfig {
  return kernel(kernelName, (a) => a.backend.run(kernelName, inputsOf(kernelName, a.inputs, names), attrs ? attrs(a) : a.attrs));
}

/** One output of a native kernel. */
export function run1(backend: TorchBackend, name: string, inputs: readonly TensorInfo[], attrs: object = {}): TensorInfo {
  return backend.run(name, inputs, attrs)[0];
}
