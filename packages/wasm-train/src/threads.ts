import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import vm from 'node:vm';
import * as workerThreads from 'node:worker_threads';
import { engine, findBackendFactory, registerBackend, removeBackend } from '@tensorflow/tfjs';
import { BackendWasm, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';

/** The most threads the threaded wasm build can use (its pre-created worker pool). */
export const MAX_WASM_THREADS = 8;

/** Priority tfjs-backend-wasm registers 'wasm' with. */
const WASM_PRIORITY = 2;

/** How long the threaded module may take to start before we fall back to one thread. */
const START_TIMEOUT_MS = 60_000;

/** Thrown for a malformed `CADDM_WASM_THREADS`. */
export class WasmThreadsConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WasmThreadsConfigError';
  }
}

/**
 * The number of XNNPACK threads to use: `CADDM_WASM_THREADS` when set
 * (`0` and `1` both mean single-threaded), else the machine's available
 * parallelism; at most {@link MAX_WASM_THREADS}.
 */
export function wasmThreadsFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const raw = env.CADDM_WASM_THREADS;
  if (raw == null || raw.trim() === '') return Math.min(MAX_WASM_THREADS, Math.max(1, os.availableParallelism()));
  const v = raw.trim();
  if (!/^\d+$/.test(v)) {
    throw new WasmThreadsConfigError(`CADDM_WASM_THREADS='${raw}' is not a whole number (use 1 or 0 to turn threads off)`);
  }
  return Math.min(MAX_WASM_THREADS, Math.max(1, Number(v)));
}

/** Files of the threaded build inside the installed `@tensorflow/tfjs-backend-wasm`. */
function threadedFiles(): { glue: string; binary: string; workerContents: string } {
  const require = createRequire(import.meta.url);
  const pkg = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  const glue = join(pkg, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.js');
  const worker = require(join(pkg, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.worker.js')) as {
    wasmWorkerContents: string;
  };
  // The worker source is stored in a template literal, so its "\n" escapes
  // arrive as real newlines inside string literals; re-escape them (as
  // tfjs-backend-wasm does before turning it into a Blob).
  return {
    glue,
    binary: join(pkg, 'dist', 'tfjs-backend-wasm-threaded-simd.wasm'),
    workerContents: worker.wasmWorkerContents.replace(/\n/g, '\\n'),
  };
}

/** The emscripten module object of the threaded build (the parts we use). */
interface EmscriptenModule {
  cwrap(name: string, ret: string | null, args: string[]): (...a: number[]) => number;
  PThread?: { terminateAllThreads(): void };
  tfjs?: unknown;
}
type Factory = (config: object) => Promise<EmscriptenModule>;

/**
 * Evaluates the threaded emscripten glue with its own `require`, so that
 * (1) its pthread workers are Node worker threads that run the worker
 * script from memory and never keep the process alive, and (2) it sees
 * `2 * threads` logical cores: tfjs' C++ side caps the pool at half the core
 * count, which would leave a 2-core machine with one thread.
 * Nothing on disk or in Node's global modules is modified.
 */
function loadThreadedFactory(threads: number, glue: string, workerContents: string): Factory {
  const require = createRequire(import.meta.url);
  class PThreadWorker extends workerThreads.Worker {
    constructor() {
      // No inherited flags: `--input-type=module` would make the script ESM,
      // and loaders (`--import tsx`) would only slow every worker down.
      super(workerContents, { eval: true, execArgv: [] });
    }
    /** Emscripten refs a worker while its pthread runs; XNNPACK's pool threads run forever. */
    override ref(): void {}
  }
  const cpus = os.cpus();
  const fakeOs = { ...os, cpus: () => Array.from({ length: 2 * threads }, (_, i) => cpus[i % Math.max(1, cpus.length)]) };
  const fakeWorkerThreads = { ...workerThreads, Worker: PThreadWorker };
  const glueRequire = (id: string): unknown => {
    if (id === 'os') return fakeOs;
    if (id === 'worker_threads') return fakeWorkerThreads;
    return require(id);
  };
  const fn = vm.compileFunction(readFileSync(glue, 'utf8'), ['require', 'module', 'exports', '__filename', '__dirname'], {
    filename: glue,
  });
  const mod: { exports: unknown } = { exports: {} };
  fn(glueRequire, mod, mod.exports, glue, dirname(glue));
  const factory = (mod.exports as { default?: Factory }).default ?? (mod.exports as Factory);
  if (typeof factory !== 'function') throw new Error(`${glue} did not export a module factory`);
  return factory;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start within ${ms} ms`)), ms);
    timer.unref();
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/** Starts the threaded SIMD build with `threads` XNNPACK threads. */
async function startThreaded(threads: number): Promise<BackendWasm> {
  const { glue, binary, workerContents } = threadedFiles();
  const hadWorker = Object.getOwnPropertyDescriptor(globalThis, 'Worker');
  try {
    const factory = loadThreadedFactory(threads, glue, workerContents);
    let abort: (e: Error) => void = () => {};
    const aborted = new Promise<never>((_, reject) => (abort = reject));
    const module = await withTimeout(
      Promise.race([
        factory({
          wasmBinary: readFileSync(binary),
          mainScriptUrlOrBlob: glue,
          locateFile: (path: string) => join(dirname(glue), path),
          onAbort: (what: unknown) => abort(new Error(`threaded wasm aborted: ${String(what)}`)),
        }),
        aborted,
      ]),
      START_TIMEOUT_MS,
      'the threaded wasm module',
    );
    // The same bindings tfjs-backend-wasm's own init() attaches.
    module.tfjs = {
      init: module.cwrap('init', null, []),
      initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
      getThreadsCount: module.cwrap('get_threads_count', 'number', []),
      registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
      disposeData: module.cwrap('dispose_data', null, ['number']),
      dispose: module.cwrap('dispose', null, []),
    };
    setThreadsCount(threads);
    // The constructor starts the XNNPACK pool (threads - 1 pthreads).
    return new BackendWasm(module as unknown as ConstructorParameters<typeof BackendWasm>[0]);
  } finally {
    // The glue set globalThis.Worker for its pthreads; every worker it will
    // ever need exists now (its pool of 8 is created at start-up).
    if (hadWorker) Object.defineProperty(globalThis, 'Worker', hadWorker);
    else delete (globalThis as { Worker?: unknown }).Worker;
  }
}

let installedThreads: number | undefined;

/**
 * Makes `tf.setBackend('wasm')` start the multi-threaded SIMD build with
 * `threads` XNNPACK threads instead of the single-threaded one that
 * tfjs-backend-wasm always picks in Node. Must run before the wasm backend
 * is initialised. If the threaded build cannot start, the stock
 * single-threaded backend is used (with a warning on stderr).
 *
 * Returns the thread count that will be requested, or the current one when
 * the backend was already initialised.
 */
export function installThreadedWasm(threads: number): number {
  if (installedThreads != null) return installedThreads;
  if ((engine().registry as Record<string, unknown>).wasm != null) {
    installedThreads = 1;
    return installedThreads;
  }
  const n = Math.min(MAX_WASM_THREADS, Math.max(1, Math.floor(threads)));
  installedThreads = n;
  if (n <= 1) return n;
  if (typeof SharedArrayBuffer === 'undefined') {
    installedThreads = 1;
    return 1;
  }
  const stock = findBackendFactory('wasm');
  removeBackend('wasm');
  registerBackend(
    'wasm',
    async () => {
      try {
        return await startThreaded(n);
      } catch (e) {
        if (stock == null) throw e;
        process.stderr.write(
          `[caddm] multi-threaded wasm failed (${e instanceof Error ? e.message : String(e)}); using one thread\n`,
        );
        installedThreads = 1;
        return stock();
      }
    },
    WASM_PRIORITY,
  );
  return n;
}
