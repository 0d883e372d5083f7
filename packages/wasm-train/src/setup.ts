import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from './register.js';
import { installThreadedWasm, wasmThreadsFromEnv } from './threads.js';

/** Options of {@link setupWasmBackend}. */
export interface WasmSetupOptions {
  /**
   * XNNPACK threads; 1 (or 0) is the stock single-threaded SIMD build.
   * Defaults to `CADDM_WASM_THREADS`, else the machine's available parallelism.
   */
  readonly threads?: number;
  /** Directory holding the `.wasm` binaries; defaults to the installed package's `dist/`. */
  readonly binaryDir?: string;
  /** Environment to read `CADDM_WASM_THREADS` from; defaults to `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** What {@link setupWasmBackend} configured. */
export interface WasmSetup {
  /** Threads requested (the backend may still fall back to 1; see {@link wasmThreadsInUse}). */
  readonly threads: number;
  /** Directory the single-threaded binaries load from. */
  readonly binaryDir: string;
}

/** `dist/` of the installed `@tensorflow/tfjs-backend-wasm`, with a trailing slash. */
export function defaultWasmBinaryDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/';
}

let done: WasmSetup | undefined;

/**
 * Prepares the tfjs wasm backend for training, before `tf.setBackend('wasm')`:
 * loads the binaries from the installed package (never the network), starts
 * the multi-threaded build when more than one thread is wanted, and
 * registers the training kernels. Idempotent: later calls return the first
 * call's result.
 */
export function setupWasmBackend(options: WasmSetupOptions = {}): WasmSetup {
  if (done != null) return done;
  const binaryDir = options.binaryDir ?? defaultWasmBinaryDir();
  const wanted = options.threads ?? wasmThreadsFromEnv(options.env ?? process.env);
  setWasmPaths(binaryDir.endsWith('/') ? binaryDir : binaryDir + '/');
  const threads = installThreadedWasm(wanted);
  registerWasmTrainingKernels();
  done = { threads, binaryDir };
  return done;
}

/**
 * XNNPACK threads the initialised wasm backend runs with (1 when
 * single-threaded). Throws when the wasm backend has not been initialised.
 */
export function wasmThreadsInUse(): number {
  return getThreadsCount();
}
