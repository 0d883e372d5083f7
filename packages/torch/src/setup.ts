import { availableParallelism } from 'node:os';
import { getKernel, registerBackend, registerKernel } from '@tensorflow/tfjs';
import { TorchBackend } from './backend.js';
import { registerTorchGradients } from './gradients.js';
import { fallbackKernels } from './kernels/fallback.js';
import { BACKEND_NAME, TORCH_KERNELS } from './kernels/index.js';
import { loadNative, type TorchNativeInfo } from './native.js';

/** Options of {@link setupTorchBackend}. */
export interface TorchSetupOptions {
  /** `cpu` or `cuda`; defaults to `CADDM_DEVICE`, else `cuda` when libtorch sees a GPU, else `cpu`. */
  readonly device?: 'cpu' | 'cuda';
  /** CPU threads for libtorch; defaults to `CADDM_THREADS`, else every core. */
  readonly threads?: number;
  /** Environment to read `CADDM_DEVICE`/`CADDM_THREADS` from; defaults to `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** What {@link setupTorchBackend} configured. */
export interface TorchSetup extends TorchNativeInfo {
  /** The tfjs backend name (`'torch'`). */
  readonly backendName: string;
}

let done: TorchSetup | undefined;

function parseDevice(value: string | undefined): 'cpu' | 'cuda' | undefined {
  if (value == null || value === '') return undefined;
  const v = value.trim().toLowerCase();
  if (v === 'cpu' || v === 'cuda') return v;
  throw new Error(`CADDM_DEVICE='${value}' is not a device; use cpu or cuda`);
}

function parseThreads(value: string | undefined): number | undefined {
  if (value == null || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`CADDM_THREADS='${value}' is not a positive integer`);
  return n;
}

/**
 * Loads the libtorch addon, picks the device and thread count, registers the
 * tfjs backend `'torch'` and its kernels: native ones (`TORCH_KERNELS`),
 * and for every other kernel of tfjs' cpu backend, that kernel run on copies. Idempotent; then
 * `await tf.setBackend('torch')`. Throws `TorchUnavailableError` (with the
 * reason and the fix) when the addon is not built, and a plain Error when
 * `CADDM_DEVICE=cuda` but libtorch sees no GPU.
 */
export function setupTorchBackend(options: TorchSetupOptions = {}): TorchSetup {
  if (done != null) return done;
  const env = options.env ?? process.env;
  const native = loadNative();
  const info = native.info();
  const device = options.device ?? parseDevice(env.CADDM_DEVICE) ?? (info.cudaAvailable ? 'cuda' : 'cpu');
  const threads = options.threads ?? parseThreads(env.CADDM_THREADS) ?? availableParallelism();
  native.configure({ device, threads });
  registerBackend(BACKEND_NAME, () => new TorchBackend(native), 0);
  for (const k of [...TORCH_KERNELS, ...fallbackKernels(new Set(TORCH_KERNELS.map((n) => n.kernelName)))]) {
    if (getKernel(k.kernelName, BACKEND_NAME) == null) registerKernel(k);
  }
  registerTorchGradients();
  done = { ...native.info(), backendName: BACKEND_NAME };
  return done;
}
