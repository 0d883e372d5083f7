/** `node:fs`'s readFileSync when this runtime has Node's built-ins (no static import, so browser bundles stay free of `node:`). */
function nodeReadFile(): ((path: URL) => Uint8Array) | undefined {
  const p = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const fs = p?.getBuiltinModule?.('node:fs') as { readFileSync(path: URL): Uint8Array } | undefined;
  return fs?.readFileSync;
}

/** The exports of `wasm/kernels.wasm` (see `assembly/kernels.ts`). */
export interface KernelExports {
  readonly memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  heapBase(): number;
  setWindow(k0: number, k1: number, k2: number, k3: number, k4: number, k5: number): void;
  ssimMapU8(
    A: number,
    B: number,
    h: number,
    w: number,
    c: number,
    P: number,
    ring: number,
    rowMap: number,
    colMap: number,
    rows: number,
    out: number,
    c1: number,
    c2: number,
    dssim: number,
  ): void;
  countChangedU8(a: number, b: number, n: number, tol: number): number;
  warpPerspectiveRgbU8(
    sA: number,
    sB: number,
    w: number,
    h: number,
    m: number,
    dA: number,
    dB: number,
    outW: number,
    outH: number,
    tab: number,
    bw0: number,
  ): void;
  sepFilter5U8(
    src: number,
    w: number,
    h: number,
    X0: number,
    X1: number,
    Y0: number,
    Y1: number,
    r0: number,
    r1: number,
    needed: number,
    xmap: number,
    rowsOf: number,
    k: number,
    rowF: number,
    tmp: number,
    dst: number,
  ): void;
}

/** The WebAssembly constructors used here (the project's TypeScript libs declare none). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

/** Why the kernels are not in use, when they are not. */
let unavailable: string | undefined;
let loaded: KernelExports | undefined;
let tried = false;

/** The compiled kernels' path (beside `src/` and `dist/`). */
export const KERNELS_WASM = new URL('../wasm/kernels.wasm', import.meta.url);

/**
 * The kernels, loaded on first use, or undefined when `CADDM_SIMD=0` or this runtime
 * lacks WebAssembly SIMD (see {@link simdStatus}). Synchronous: the module is small.
 */
export function kernels(): KernelExports | undefined {
  if (tried) return loaded;
  tried = true;
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.CADDM_SIMD;
  if (env === '0' || env === 'false' || env === 'off') {
    unavailable = `disabled by CADDM_SIMD=${env}`;
    return undefined;
  }
  try {
    const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
    if (wasm == null) throw new Error('this runtime has no WebAssembly');
    const readFile = nodeReadFile();
    // A browser cannot read the file synchronously: the scalar twins (bit-identical) run there.
    if (readFile == null) throw new Error('this runtime cannot read files synchronously (a browser); the scalar twins run');
    const bytes = readFile(KERNELS_WASM);
    const instance = new wasm.Instance(new wasm.Module(bytes), {
      env: {
        abort: () => {
          throw new Error('@caddm/simd: kernel aborted');
        },
      },
    });
    loaded = instance.exports as KernelExports;
  } catch (e) {
    unavailable = `could not load ${KERNELS_WASM.pathname}: ${(e as Error).message}`;
  }
  return loaded;
}

/** Whether the SIMD kernels are in use, and if not, why. */
export function simdStatus(): { available: boolean; reason?: string } {
  const k = kernels();
  return k != null ? { available: true } : { available: false, reason: unavailable };
}

/**
 * Makes sure the kernels' memory holds `bytes` bytes above its heap base and returns
 * that base (16-byte aligned). Views of the memory go stale when it grows: take them after.
 */
export function reserve(k: KernelExports, bytes: number): number {
  const base = k.heapBase();
  const need = base + bytes;
  const have = k.memory.buffer.byteLength;
  if (need > have) k.memory.grow(Math.ceil((need - have) / 65536));
  return base;
}

/**
 * Lays out buffers of the given byte sizes one after another (each 16-byte aligned) above the
 * kernels' heap base, growing the memory as needed, and returns each one's byte offset.
 * Views of the memory taken before the call may go stale.
 */
export function reserveLayout(k: KernelExports, sizes: readonly number[]): number[] {
  const offs: number[] = [];
  let total = 0;
  for (const s of sizes) {
    offs.push(total);
    total += align16(s);
  }
  const base = reserve(k, total);
  return offs.map((x) => base + x);
}

/** `n` rounded up to a multiple of 16 (the byte alignment of every buffer laid out in the kernels' memory). */
export function align16(n: number): number {
  return (n + 15) & ~15;
}

/** A stretch of the kernels' memory: `bytes` bytes from byte `base` of `buffer`. */
export interface Scratch {
  readonly buffer: ArrayBuffer;
  readonly base: number;
  readonly bytes: number;
}

/**
 * Reserves `bytes` bytes (16-byte aligned) of the kernels' memory for one computation.
 * The same stretch is handed to every caller: it is valid until the next kernel call
 * of another computation (single-threaded use, one computation at a time), and views
 * taken before a later reserve may go stale. Undefined when the kernels are unavailable.
 */
export function reserveScratch(bytes: number): Scratch | undefined {
  const k = kernels();
  if (k == null) return undefined;
  const base = reserve(k, bytes);
  return { buffer: k.memory.buffer, base, bytes };
}
