import { engine, getKernelsForBackend, type KernelConfig, type KernelBackend, type TensorInfo } from '@tensorflow/tfjs';
import type { TorchBackend } from '../backend.js';
import { kernel } from './define.js';

type CpuKernelFunc = (args: { inputs: Record<string, TensorInfo>; backend: KernelBackend; attrs: unknown }) => TensorInfo | TensorInfo[];

/**
 * Runs tfjs' cpu kernel for a kernel the torch backend has no native version
 * of: the inputs are copied to the cpu backend, its kernel runs, and the
 * outputs are copied back. For the few kernels that inference and detection
 * call once per image (face-api's resizes, non-max suppression); training
 * dispatches none of them (a test checks that).
 */
function onCpu(config: KernelConfig): KernelConfig {
  return kernel(config.kernelName, ({ inputs, backend, attrs }) => {
    const cpu = engine().findBackend('cpu');
    if (cpu == null) throw new Error(`torch backend: no cpu backend to run '${config.kernelName}' on`);
    const torch = backend as TorchBackend;
    const moved: Record<string, TensorInfo> = {};
    for (const [name, t] of Object.entries(inputs)) {
      if (t == null) continue;
      moved[name] = { dataId: cpu.write(torch.readSync(t.dataId), t.shape, t.dtype), shape: t.shape, dtype: t.dtype };
    }
    // Kernels with a list of inputs (Concat, AddN) get a list back.
    const cpuInputs = Array.isArray(inputs) ? Object.values(moved) : moved;
    try {
      const out = (config.kernelFunc as unknown as CpuKernelFunc)({ inputs: cpuInputs as never, backend: cpu, attrs });
      const outs = Array.isArray(out) ? out : [out];
      const back = outs.map((o) => {
        const dataId = torch.write(cpu.readSync(o.dataId) as never, o.shape, o.dtype);
        cpu.disposeData(o.dataId, true);
        return { dataId, shape: o.shape, dtype: o.dtype };
      });
      return Array.isArray(out) ? back : back[0];
    } finally {
      for (const t of Object.values(moved)) cpu.disposeData(t.dataId, true);
    }
  });
}

/** Torch kernel configs running tfjs' cpu kernels, for every cpu kernel with no native twin in `native`. */
export function fallbackKernels(native: ReadonlySet<string>): KernelConfig[] {
  return getKernelsForBackend('cpu')
    .filter((k) => !native.has(k.kernelName))
    .map(onCpu);
}
