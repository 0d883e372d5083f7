import { kernels, type KernelExports } from './module.js';

/**
 * The hot loops of `@caddm/mfs`'s Poisson solver on wasm (`assembly/poisson.ts`): the
 * same arithmetic as its scalar twins (float32 storage, float64 arithmetic), so
 * results are bit-identical. Every argument is a byte offset into the kernels' memory:
 * lay the grids out with `reserveScratch` and pass each view's `byteOffset`.
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
