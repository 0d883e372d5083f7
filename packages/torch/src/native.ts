import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** tfjs dtypes the addon stores, by their code in the native calls. */
export const DTYPE_CODES = { float32: 0, int32: 1, bool: 2 } as const;
/** A dtype the torch backend stores. */
export type TorchDtype = keyof typeof DTYPE_CODES;
/** The dtypes by code. */
export const DTYPES: readonly TorchDtype[] = ['float32', 'int32', 'bool'];

/** What the addon reports about the libtorch it runs on. */
export interface TorchNativeInfo {
  readonly torchVersion: string;
  readonly cudaAvailable: boolean;
  readonly cudaDevices: number;
  readonly device: 'cpu' | 'cuda';
  readonly threads: number;
}

/** The addon's functions (packages/torch/native/addon.cc). */
export interface TorchNative {
  configure(options: { device?: 'cpu' | 'cuda'; threads?: number }): { device: 'cpu' | 'cuda'; threads: number };
  info(): TorchNativeInfo;
  /** Names of the native kernels. */
  kernels(): string[];
  /** Copies values into a new libtorch tensor; returns its handle. */
  write(values: Float32Array | Int32Array | Uint8Array, shape: readonly number[], dtype: number): number;
  /** Copies a tensor's values out, row-major. */
  read(handle: number): Float32Array | Int32Array | Uint8Array;
  /** Drops a handle; its memory goes when no other handle views it. */
  free(handle: number): boolean;
  /**
   * Runs a kernel: returns, per output, its handle, dtype code, rank and dims, flattened.
   * Throws an Error naming the kernel and the input shapes when libtorch refuses.
   */
  run(kernel: string, handles: readonly number[], attrs?: object): number[];
  /** Handles alive and the bytes of the distinct storages they hold. */
  live(): { handles: number; bytes: number };
  /** Waits for queued device work (CUDA); no-op on the CPU. */
  sync(): void;
}

/** The package root (one level above src/ or dist/). */
export function packageRoot(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..');
}

/** Path of the compiled addon: `CADDM_TORCH_ADDON` when set (a bundled copy, e.g. tools/gpu), else this package's build/. */
export function addonPath(): string {
  return process.env.CADDM_TORCH_ADDON || join(packageRoot(), 'build', 'caddm_torch.node');
}

/** Thrown when the addon is not built or cannot load; the message says why and what to do. */
export class TorchUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TorchUnavailableError';
  }
}

let loaded: TorchNative | undefined;

/** Why the addon is absent, from the build's own record, in one line. */
function whyMissing(): string {
  const err = join(dirname(addonPath()), 'build-error.txt');
  if (existsSync(err)) return readFileSync(err, 'utf8').split('\n')[0];
  return 'the addon is not built (libtorch was not found at install time)';
}

/**
 * Loads the addon once (`CADDM_TORCH=0` turns it off, to run as on a machine
 * without libtorch). Throws {@link TorchUnavailableError} with the reason
 * (no libtorch at install time, a failed build, or a library that does not load)
 * and the fix: `apt-get install libtorch-dev`, then `pnpm torch:build`.
 */
export function loadNative(): TorchNative {
  if (loaded != null) return loaded;
  if (process.env.CADDM_TORCH === '0') {
    throw new TorchUnavailableError('turned off by CADDM_TORCH=0 (unset it to use libtorch)');
  }
  const path = addonPath();
  const fix = 'install libtorch (`apt-get install libtorch-dev`, or set CADDM_LIBTORCH) and run `pnpm torch:build`';
  if (!existsSync(path)) throw new TorchUnavailableError(`${whyMissing()}; ${fix}`);
  try {
    const require = createRequire(import.meta.url);
    loaded = require(path) as TorchNative;
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new TorchUnavailableError(`${path} does not load (${msg}); ${fix}`);
  }
  return loaded;
}
