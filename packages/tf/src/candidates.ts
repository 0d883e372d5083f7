import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { setupWasmBackend } from '@caddm/wasm-train';
import { tf } from './tf.js';

/** Names accepted by `CADDM_BACKEND` and {@link InitBackendOptions.prefer}, best first. */
/**
 * Order (docs/performance.md has the figures): libtorch (CUDA when it sees a GPU,
 * else the CPU) trains a CADDM step several times faster than wasm on the CPU and
 * runs on current GPUs, which tfjs-node-gpu's CUDA 11.2 build cannot; then
 * tfjs-node, wasm, and the pure-JS cpu backend.
 */
export const BACKEND_ORDER = ['torch', 'node-gpu', 'node', 'wasm', 'cpu'] as const;

/** One of the backends the selector knows how to load. */
export type BackendChoice = (typeof BACKEND_ORDER)[number];

/** How to load one backend candidate. */
export interface BackendCandidate {
  /** Our name for it (the value of `CADDM_BACKEND`). */
  readonly choice: BackendChoice;
  /** The tfjs backend name it registers (`tf.getBackend()` after selection). */
  readonly tfName: string;
  /** The npm module that provides it. */
  readonly module: string;
  /** Imports the module and prepares the backend; throws when it cannot load. */
  load(): Promise<void>;
}

/**
 * Imports a module by name at run time. The specifier is a variable so that
 * bundlers and TypeScript do not require optional packages to exist.
 */
async function importOptional(specifier: string): Promise<unknown> {
  return import(specifier);
}

/** Directory holding the `.wasm` binaries shipped inside `@tensorflow/tfjs-backend-wasm`. */
export function wasmBinaryDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/';
}

async function loadWasm(): Promise<void> {
  await importOptional('@tensorflow/tfjs-backend-wasm');
  // Binaries from the installed package (a local path, never the network),
  // multi-threaded unless CADDM_WASM_THREADS=1, plus the training kernels.
  setupWasmBackend({ binaryDir: wasmBinaryDir() });
}

/** The candidates, best first. */
export const CANDIDATES: readonly BackendCandidate[] = [
  {
    choice: 'torch',
    tfName: 'torch',
    module: '@caddm/torch',
    load: async () => {
      const torch = (await importOptional('@caddm/torch')) as typeof import('@caddm/torch');
      // CADDM_DEVICE=cpu|cuda and CADDM_THREADS=n are read here.
      torch.setupTorchBackend();
    },
  },
  {
    choice: 'node-gpu',
    tfName: 'tensorflow',
    module: '@tensorflow/tfjs-node-gpu',
    load: async () => {
      await importOptional('@tensorflow/tfjs-node-gpu');
    },
  },
  {
    choice: 'node',
    tfName: 'tensorflow',
    module: '@tensorflow/tfjs-node',
    load: async () => {
      await importOptional('@tensorflow/tfjs-node');
    },
  },
  { choice: 'wasm', tfName: 'wasm', module: '@tensorflow/tfjs-backend-wasm', load: loadWasm },
  {
    choice: 'cpu',
    tfName: 'cpu',
    module: '@tensorflow/tfjs-backend-cpu',
    load: async () => {
      // Registered by @tensorflow/tfjs itself.
      if (tf.findBackendFactory('cpu') == null) throw new Error('the cpu backend is not registered');
    },
  },
];
