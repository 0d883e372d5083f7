import { kernels, reserve, type KernelExports } from './module.js';

/**
 * The hot loops of `@caddm/mfs`'s Poisson solver on wasm (`assembly/poisson.ts`): the
 * same arithmetic as its scalar twins (float32 storage, float64 arithmetic), so
 * results are bit-identical. Every argument is a byte offset into the kernels' memory:
 * lay the grids out with {@link reserveScratch} and pass each view's `byteOffset`.
 */
export interface MultigridKernels {
  mgRelaxFine(u: number, f: number, w: number, spans: number, nSpans: number, parity: number): void;
  mgRelaxFineDot(u: number, f: number, w: number, spans: number, nSpans: number, parity: number, d: number): void;
  mgRelaxCoarse(u: number, f: number, w: number, spans: number, nSpans: number, wx: number, wy: number, inv: number, parity: number): void;
  mgInitRed(u: number, f: number, w: number, spans: number, nSpans: number, inv: number, fine: number): void;
  mgRestrictRed(u: number, f: number, w: number, spans: number, nSpans: number, wx: number, wy: number, diag: number, kf: number, fine: number): void;
  mgProlongRed(u: number, w: number, spans: number, nSpans: number, ku: number, alpha: number): void;
  mgFineCyclePre(u: number, f: number, w: number, spans: number, nSpans: number, kf: number): void;
  mgFineCyclePost(u: number, f: number, w: number, spans: number, nSpans: number, ku: number, alpha: number): void;
  pcgBlack(z: number, p: number, q: number, w: number, spans: number, nSpans: number, be0: number, be1: number, be2: number, d: number): void;
  pcgUpdate(
    x: number,
    r: number,
    p: number,
    q: number,
    z: number,
    w: number,
    spans: number,
    nSpans: number,
    be0: number,
    be1: number,
    be2: number,
    a0: number,
    a1: number,
    a2: number,
    rr: number,
  ): void;
}

/** The multigrid kernels, or undefined when the SIMD kernels are unavailable (see `simdStatus`). */
export function multigridKernels(): MultigridKernels | undefined {
  return kernels() as (KernelExports & MultigridKernels) | undefined;
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
