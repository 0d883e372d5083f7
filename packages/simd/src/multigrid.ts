import { kernels, type KernelExports } from './module.js';

/**
 * The hot loops of `@caddm/mfs`'s Poisson solver on wasm (`assembly/poisson.ts`), and the
 * setup of a solve (runs of unknowns, coarse levels, right-hand side, norms, the uint8 result): the
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
  mgBuildSpans(type: number, w: number, h: number, spans: number, out: number): void;
  mgCoarsen(
    type: number,
    spans: number,
    nSpans: number,
    w: number,
    fx: number,
    fy: number,
    fd: number,
    fine: number,
    gt: number,
    gx: number,
    gy: number,
    gd: number,
    ginv: number,
    gspans: number,
    cw: number,
    ch: number,
    out: number,
  ): void;
  poissonBoundaryU8(
    type: number,
    spans: number,
    nSpans: number,
    w: number,
    h: number,
    b: number,
    bg: number,
    fg: number,
    W: number,
    C: number,
    c0: number,
    kc: number,
    ox: number,
    oy: number,
  ): void;
  pcgNorms(b: number, w: number, spans: number, nSpans: number, out: number): void;
  poissonWriteU8(x: number, fg: number, out: number, w: number, spans: number, nSpans: number, W: number, C: number, c0: number, kc: number, ox: number, oy: number): void;
}

/** The multigrid kernels, or undefined when the SIMD kernels are unavailable (see `simdStatus`). */
export function multigridKernels(): MultigridKernels | undefined {
  return kernels() as (KernelExports & MultigridKernels) | undefined;
}
