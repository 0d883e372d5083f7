/**
 * Poisson (gradient-domain) blending: paste `foreground` into `background` inside a
 * mask so that the result's Laplacian equals the foreground's inside the mask
 * (the guidance field is ∇foreground, OpenCV's `NORMAL_CLONE`), with Dirichlet
 * boundary values from the background on the mask edge.
 *
 * Writing the result inside the mask Ω as `f = fg + h`, the problem becomes
 * Laplace's equation for the correction `h`: `Δh = 0` in Ω, `h = bg − fg` on ∂Ω
 * (5-point stencil, 4-neighbourhood). It is solved for every channel by
 * conjugate gradients preconditioned with one multigrid V-cycle (red-black
 * Gauss-Seidel smoothing; 2x2 aggregation: a coarse cell is unknown when any
 * of its four children is, with the Galerkin coarse operator and an
 * over-corrected piecewise-constant prolongation; see `multigrid.ts`), three
 * channels interleaved per pass, over the mask's bounding box only. It converges in a handful of iterations whatever the mask size; the
 * final residual is reported and there is no silent fallback (the reference
 * falls back to alpha blending when OpenCV rejects its masks, REFERENCE.md bug 4).
 */
import { contiguous, imageSize, wrapImage, type Image, type ImageData } from '@caddm/image';
import { align16, multigridKernels, reserveScratch, type MultigridKernels } from '@caddm/simd';
import { MfsArgumentError, MfsShapeError } from './errors.js';
import {
  buildSpans,
  coarsen,
  fineCycle,
  fitLevel,
  initRed,
  K,
  prolongRed,
  relaxCoarse,
  relaxFine,
  relaxFineDot,
  restrictRed,
  type Level,
} from './multigrid.js';

/** Options of {@link poissonBlend}. */
export interface PoissonOptions {
  /**
   * Stop when every channel's relative residual `‖b − Ax‖₂ / ‖b‖₂` is at most this
   * (default 1e-3: `uint8` results within 1 of the exact solution's rounding; the
   * solver keeps Float32 vectors, so values below ~1e-6 may not be reachable).
   */
  tolerance?: number;
  /** Most PCG iterations (default 100). */
  maxIterations?: number;
  /**
   * A pixel is inside the mask when its value is `>= threshold` (default: 128 for
   * `uint8` masks, 0.5 for float masks). Pixels on the image border are never
   * unknowns: they keep the background (Dirichlet), as with OpenCV.
   */
  threshold?: number;
  /** Red-black Gauss-Seidel sweeps before and after the coarse correction on the finest level (default 1). */
  smoothing?: number;
  /** The same on the coarser levels (default 2; they are 4x, 16x... smaller). */
  coarseSmoothing?: number;
  /** Preallocated dense output (the background's size, channels and dtype); written and returned. */
  out?: Image;
}

/** Outcome of a solve. */
export interface PoissonStats {
  /** Unknown pixels (inside the mask, off the image border). */
  unknowns: number;
  /** PCG iterations run (the most over channel groups). */
  iterations: number;
  /** Largest relative residual `‖b − Ax‖₂ / ‖b‖₂` over channels at the end (0 when nothing to solve). */
  residual: number;
  /** Whether `residual <= tolerance`. */
  converged: boolean;
}

/** Result of {@link poissonBlend}. */
export interface PoissonResult<D extends ImageData = ImageData> extends PoissonStats {
  /** The blended image (the background's dtype; `uint8` is rounded and clamped). */
  image: Image<D>;
}

/** Over-correction of the piecewise-constant coarse correction (aggregation multigrid needs > 1). */
const ALPHA = 1.7;
/** Stop coarsening at this many unknowns (or a grid side of 4). */
const COARSEST = 16;
/** Symmetric Gauss-Seidel sweep pairs on the coarsest level. */
const SWEEPS = 4;

/**
 * A reusable Poisson solver: keeps its grids between calls (allocate one per
 * worker), so repeated blends of similar sizes allocate nothing but the output.
 */
export class PoissonSolver {
  /** The levels of the current solve: {@link jsLevels}, or views into `@caddm/simd`'s memory. */
  private levels: Level[] = [];
  /** Levels in JavaScript arrays, kept between solves (the scalar path). */
  private readonly jsLevels: Level[] = [];
  private readonly useSimd: boolean;
  /**
   * The background and foreground in `@caddm/simd`'s memory, for this solve (uint8 images
   * on the wasm path): the right-hand side and the result are made there, the result in
   * the background's copy (each channel group reads its own channels before writing them).
   */
  private images?: { bg: Uint8Array; fg: Uint8Array };
  /** Three float64s the wasm PCG kernels return their dot products in. */
  private pcgDot = new Float64Array(3);
  private depth = 1;
  /** smoothing sweeps on the coarse levels of the current solve */
  private nuc = 2;
  /** The PCG vectors of the current solve: {@link jsVectors}, or views into `@caddm/simd`'s memory. */
  private vectors = pcgVectors(0);
  /** PCG vectors in JavaScript arrays, kept between solves (the scalar path). */
  private jsVectors = pcgVectors(0);
  /** z·r per channel over the black and over the red unknowns, from the last V-cycle on the finest level */
  private readonly zrB = new Float64Array(3);
  private readonly zrR = new Float64Array(3);
  private readonly coarseCorrection = (): void => this.vcycle(1, this.nuc);

  /**
   * @param options - `simd: false` keeps every sweep on the scalar loops (by default the
   *   hot loops run on `@caddm/simd`'s wasm kernels when available, bit-identical and
   *   about twice as fast; `CADDM_SIMD=0` switches them off process-wide)
   */
  constructor(options: { simd?: boolean } = {}) {
    this.useSimd = options.simd ?? true;
  }

  /**
   * Blends `foreground` into `background` inside `mask` (see the module notes).
   * @param background - HWC image giving the result outside the mask and the boundary values
   * @param foreground - HWC image of the same size and channels, whose gradients are kept inside
   * @param mask - HW, HW1 or HWC mask of the same height and width (channel 0 is used)
   * @throws MfsShapeError when sizes or channels disagree; MfsArgumentError for bad options
   */
  blend<D extends ImageData>(
    background: Image<D>,
    foreground: Image,
    mask: Image | { data: ArrayLike<number>; shape: readonly number[] },
    options: PoissonOptions = {},
  ): PoissonResult<D> {
    const tol = options.tolerance ?? 1e-3;
    const maxIt = options.maxIterations ?? 100;
    const nu = options.smoothing ?? 1;
    const nuc = options.coarseSmoothing ?? 2;
    if (!(tol > 0)) throw new MfsArgumentError(`tolerance must be > 0, got ${tol}`);
    if (!Number.isInteger(maxIt) || maxIt < 1) throw new MfsArgumentError(`maxIterations must be a positive integer, got ${maxIt}`);
    if (!Number.isInteger(nu) || nu < 1) throw new MfsArgumentError(`smoothing must be a positive integer, got ${nu}`);
    if (!Number.isInteger(nuc) || nuc < 1) throw new MfsArgumentError(`coarseSmoothing must be a positive integer, got ${nuc}`);
    this.nuc = nuc;
    const { height: H, width: W, channels: C } = imageSize(background);
    const fgSize = imageSize(foreground);
    if (fgSize.height !== H || fgSize.width !== W || fgSize.channels !== C) {
      throw new MfsShapeError(
        `foreground is ${fgSize.height}x${fgSize.width}x${fgSize.channels}, background is ${H}x${W}x${C}`,
      );
    }
    if (mask.shape.length < 2 || mask.shape.length > 3 || mask.shape[0] !== H || mask.shape[1] !== W) {
      throw new MfsShapeError(`mask is ${mask.shape.join('x')}, images are ${H}x${W}`);
    }
    const bg = contiguous(background).data;
    const fg = contiguous(foreground).data;
    const md: ArrayLike<number> =
      'stride' in mask && (mask as Image).stride ? contiguous(mask as Image).data : mask.data;
    const mc = mask.shape.length === 3 ? mask.shape[2] : 1;
    const threshold = options.threshold ?? (md instanceof Uint8Array ? 128 : 0.5);
    if (!Number.isFinite(threshold)) throw new MfsArgumentError(`threshold must be finite, got ${threshold}`);

    // Bounding box of the unknowns (inside, off the image border).
    let x0 = W;
    let y0 = H;
    let x1 = -1;
    let y1 = -1;
    for (let y = 1; y < H - 1; y++) {
      // Scan each row inwards from both ends (the inside is skipped).
      const row = y * W;
      let a = 1;
      while (a < W - 1 && !(md[(row + a) * mc] >= threshold)) a++;
      if (a === W - 1) continue;
      let e = W - 2;
      while (!(md[(row + e) * mc] >= threshold)) e--;
      if (a < x0) x0 = a;
      if (e > x1) x1 = e;
      if (y < y0) y0 = y;
      y1 = y;
    }
    let out: D;
    if (options.out != null) {
      const o = options.out;
      const os = imageSize(o);
      if (os.height !== H || os.width !== W || os.channels !== C || o.data.constructor !== bg.constructor || contiguous(o) !== o) {
        throw new MfsShapeError(`out must be a dense ${H}x${W}x${C} image of the background's dtype`);
      }
      out = o.data as D;
      out.set(bg as never);
    } else out = (bg as D).slice() as D;
    const image = (options.out as Image<D> | undefined) ?? wrapImage(out, H, W, C);
    const done = (stats: PoissonStats): PoissonResult<D> => ({ image, ...stats });
    if (x1 < 0) return done({ unknowns: 0, iterations: 0, residual: 0, converged: true });

    // Finest grid: the box padded by one fixed cell; grid (gx, gy) = image (gx + ox, gy + oy).
    const ox = x0 - 1;
    const oy = y0 - 1;
    const gw = x1 - x0 + 3;
    const gh = y1 - y0 + 3;
    const N = gw * gh;
    const mg = this.useSimd ? multigridKernels() : undefined;
    const u8 = bg instanceof Uint8Array && fg instanceof Uint8Array && out instanceof Uint8Array;
    if (mg == null || !this.layoutWasm(mg, gw, gh, u8 ? bg.length : 0)) {
      this.images = undefined;
      this.levels = this.jsLevels;
      this.levels[0] = fitLevel(this.levels[0], gw, gh);
      if (this.jsVectors.x.length < N * K) this.jsVectors = pcgVectors(N * K);
      this.vectors = this.jsVectors;
    }
    const L0 = this.levels[0];
    const type = L0.type;
    type.fill(0, 0, N);
    for (let gy = 1; gy < gh - 1; gy++) {
      let o = ((gy + oy) * W + 1 + ox) * mc;
      let i = gy * gw + 1;
      for (let gx = 1; gx < gw - 1; gx++, o += mc, i++) if (md[o] >= threshold) type[i] = 1;
    }
    buildSpans(L0);
    const unknowns = L0.n;
    this.buildHierarchy();
    const { x, b } = this.vectors;
    let iterations = 0;
    let worst = 0;
    const stat = { it: 0, res: 0 };
    const img = this.images;
    if (img != null) {
      img.bg.set(bg as Uint8Array);
      img.fg.set(fg as Uint8Array);
    }
    for (let c0 = 0; c0 < C; c0 += K) {
      const kc = Math.min(K, C - c0);
      if (img != null && L0.wasm) {
        const { type, spans, nSpans, w, h } = L0;
        L0.wasm.poissonBoundaryU8(type.byteOffset, spans.byteOffset, nSpans, w, h, b.byteOffset, img.bg.byteOffset, img.fg.byteOffset, W, C, c0, kc, ox, oy);
      } else boundaryData(L0, b, bg, fg, W, C, c0, kc, ox, oy);
      this.pcg(N, tol, maxIt, nu, stat);
      iterations = Math.max(iterations, stat.it);
      worst = Math.max(worst, stat.res);
      if (img != null && L0.wasm) {
        L0.wasm.poissonWriteU8(x.byteOffset, img.fg.byteOffset, img.bg.byteOffset, L0.w, L0.spans.byteOffset, L0.nSpans, W, C, c0, kc, ox, oy);
      } else writeResult(L0, x, fg, out, W, C, c0, kc, ox, oy);
    }
    if (img != null) (out as Uint8Array).set(img.bg);
    return done({ unknowns, iterations, residual: worst, converged: worst <= tol });
  }

  /**
   * Lays out every level of a `gw x gh` finest grid (down to a side of 4), the PCG
   * vectors and the dot-product scratch in `@caddm/simd`'s memory, as views, for this
   * solve only (the memory is shared scratch). False when it cannot.
   */
  private layoutWasm(mg: MultigridKernels, gw: number, gh: number, imageBytes: number): boolean {
    const dims: Array<[number, number]> = [[gw, gh]];
    for (let [w, h] = dims[0]; w > 4 && h > 4; ) {
      w = ((w - 1) >> 1) + 2;
      h = ((h - 1) >> 1) + 2;
      dims.push([w, h]);
    }
    const N = gw * gh;
    // One description of the layout, run twice: to measure it, then to make the views.
    const build = (take: Take) => {
      const f32 = (n: number) => take((b, o, m) => new Float32Array(b, o, m), 4, n);
      const f64 = (n: number) => take((b, o, m) => new Float64Array(b, o, m), 8, n);
      const levels: Level[] = dims.map(([w, h]) => {
        const n = w * h;
        return {
          w,
          h,
          type: take((b, o, m) => new Uint8Array(b, o, m), 1, n),
          spans: take((b, o, m) => new Int32Array(b, o, m), 4, 3 * (n >> 1) + 3),
          nSpans: 0,
          n: 0,
          wx: f32(n),
          wy: f32(n),
          diag: f32(n),
          inv: f32(n),
          u: f32(n * K),
          f: f32(n * K),
          wasm: mg,
          dot: f64(3),
          counts: take((b, o, m) => new Int32Array(b, o, m), 4, 2),
        };
      });
      const vectors: PcgVectors = { x: f32(N * K), r: f32(N * K), p: f32(N * K), q: f32(N * K), b: f32(N * K) };
      const u8 = (n: number) => take((b, o, m) => new Uint8Array(b, o, m), 1, n);
      return { levels, vectors, pcgDot: f64(3), images: { bg: u8(imageBytes), fg: u8(imageBytes) } };
    };
    let total = 0;
    build((make, bytesPer, n) => {
      total += align16(bytesPer * n);
      return make(EMPTY, 0, 0);
    });
    const scratch = reserveScratch(total);
    if (scratch == null) return false;
    let at = scratch.base;
    const laid = build((make, bytesPer, n) => {
      const v = make(scratch.buffer, at, n);
      at += align16(bytesPer * n);
      return v;
    });
    this.levels = laid.levels;
    this.vectors = laid.vectors;
    this.pcgDot = laid.pcgDot;
    this.images = imageBytes > 0 ? laid.images : undefined;
    return true;
  }

  /** Coarse levels until {@link COARSEST} unknowns or a grid side of 4; clears every level's `u`. */
  private buildHierarchy(): void {
    let l = 0;
    for (;;) {
      const F = this.levels[l];
      if (F.n <= COARSEST || F.w <= 4 || F.h <= 4) break;
      const cw = ((F.w - 1) >> 1) + 2;
      const ch = ((F.h - 1) >> 1) + 2;
      // wasm levels were laid out with these sizes by layoutWasm.
      const G = F.wasm ? this.levels[l + 1] : (this.levels[l + 1] = fitLevel(this.levels[l + 1], cw, ch));
      coarsen(F, G, l === 0);
      l++;
    }
    this.depth = l + 1;
    // Fixed cells must read 0 in every correction; clear what earlier solves left there.
    for (let k = 0; k <= l; k++) {
      const L = this.levels[k];
      L.u.fill(0, 0, L.w * L.h * K);
    }
  }

  /** One red or black sweep on level `l` (Laplacian on the finest level, Galerkin weights below). */
  private sweep(l: number, parity: number): void {
    if (l === 0) relaxFine(this.levels[0], parity);
    else relaxCoarse(this.levels[l], parity);
  }

  /**
   * u = M⁻¹ f on level `l`: one symmetric V-cycle from a zero guess with `nu` sweep
   * pairs each way (the coarsest level: {@link SWEEPS} pairs). After a black sweep the
   * black residuals are 0, and a black sweep ignores the old black values, so
   * residuals are restricted and corrections prolonged on red cells only. On the
   * finest level the last two sweeps also give `z·r` per colour.
   */
  private vcycle(l: number, nu: number): void {
    const L = this.levels[l];
    const fine = l === 0;
    const coarsest = l === this.depth - 1;
    if (fine && nu === 1 && !coarsest) {
      fineCycle(L, this.levels[1], ALPHA, this.coarseCorrection);
      this.lastSweeps();
      return;
    }
    initRed(L, fine);
    this.sweep(l, 1);
    const pairs = coarsest ? SWEEPS : nu;
    for (let s = 1; s < pairs; s++) {
      this.sweep(l, 0);
      this.sweep(l, 1);
    }
    if (!coarsest) {
      const G = this.levels[l + 1];
      G.f.fill(0, 0, G.w * G.h * K);
      restrictRed(L, G, fine);
      this.vcycle(l + 1, this.nuc);
      prolongRed(L, G, ALPHA);
    }
    for (let s = 1; s < pairs; s++) {
      this.sweep(l, 1);
      this.sweep(l, 0);
    }
    if (fine) this.lastSweeps();
    else {
      this.sweep(l, 1);
      this.sweep(l, 0);
    }
  }

  /** The last black and red sweeps on the finest level, with `z·r` per colour. */
  private lastSweeps(): void {
    const L0 = this.levels[0];
    this.zrB.fill(0);
    this.zrR.fill(0);
    relaxFineDot(L0, 1, this.zrB);
    relaxFineDot(L0, 0, this.zrR);
  }

  /**
   * Preconditioned conjugate gradients for A x = b on the finest level, three
   * independent systems interleaved, in Chronopoulos and Gear's form: with
   * `γ = z·r`, `δ = z·Az`, `β = γ/γ₋₁` and `α = γ / (δ − β·γ/α₋₁)` (which equals
   * `γ / p·Ap`), p, q = Ap, x and r are updated in one pass. `Az` costs half a
   * pass: on red cells it is r (the V-cycle ends with a red Gauss-Seidel sweep, which
   * zeroes the red residual of `A z = r`), so only black cells apply the stencil.
   * Writes iterations and the worst relative residual to `stat`.
   */
  private pcg(N: number, tol: number, maxIt: number, nu: number, stat: { it: number; res: number }): void {
    const L0 = this.levels[0];
    const { x, r, p, q, b } = this.vectors;
    const { zrB, zrR } = this;
    const { w, spans, nSpans } = L0;
    const wasm = L0.wasm;
    const dot = this.pcgDot;
    const w3 = w * 3;
    const NK = N * K;
    x.fill(0, 0, NK);
    p.fill(0, 0, NK);
    q.fill(0, 0, NK);
    r.set(b.subarray(0, NK));
    let bb0 = 0;
    let bb1 = 0;
    let bb2 = 0;
    if (wasm) {
      wasm.pcgNorms(b.byteOffset, w, spans.byteOffset, nSpans, dot.byteOffset);
      bb0 = dot[0];
      bb1 = dot[1];
      bb2 = dot[2];
    } else for (let s = 0; s < nSpans; s += 3) {
      const row = spans[s] * w;
      for (let o = (row + spans[s + 1]) * 3, end = (row + spans[s + 2]) * 3; o < end; o += 3) {
        bb0 += b[o] * b[o];
        bb1 += b[o + 1] * b[o + 1];
        bb2 += b[o + 2] * b[o + 2];
      }
    }
    stat.it = 0;
    stat.res = 0;
    if (bb0 === 0 && bb1 === 0 && bb2 === 0) return;
    const t2 = tol * tol;
    const savedF = L0.f;
    L0.f = r;
    const z = L0.u;
    // γ and α of the previous iteration (β = 0 on the first, when p = q = 0).
    let g0 = 0;
    let g1 = 0;
    let g2 = 0;
    let al0 = 1;
    let al1 = 1;
    let al2 = 1;
    try {
      for (let it = 1; it <= maxIt; it++) {
        this.vcycle(0, nu);
        const n0 = zrB[0] + zrR[0];
        const n1 = zrB[1] + zrR[1];
        const n2 = zrB[2] + zrR[2];
        const be0 = g0 > 0 ? n0 / g0 : 0;
        const be1 = g1 > 0 ? n1 / g1 : 0;
        const be2 = g2 > 0 ? n2 / g2 : 0;
        g0 = n0;
        g1 = n1;
        g2 = n2;
        // Black cells: v = Az, δ += z·v, p = z + βp, q = v + βq.
        let d0: number;
        let d1: number;
        let d2: number;
        if (wasm) {
          dot.set(zrR);
          wasm.pcgBlack(z.byteOffset, p.byteOffset, q.byteOffset, w, spans.byteOffset, nSpans, be0, be1, be2, dot.byteOffset);
          d0 = dot[0];
          d1 = dot[1];
          d2 = dot[2];
        } else {
          d0 = zrR[0];
          d1 = zrR[1];
          d2 = zrR[2];
          for (let s = 0; s < nSpans; s += 3) {
            const y = spans[s];
            const row = y * w;
            const x0 = spans[s + 1];
            const end = (row + spans[s + 2]) * 3;
            for (let o = (row + x0 + ((x0 + y + 1) & 1)) * 3; o < end; o += 6) {
              const z0 = z[o];
              const z1 = z[o + 1];
              const z2 = z[o + 2];
              const v0 = 4 * z0 - z[o - 3] - z[o + 3] - z[o - w3] - z[o + w3];
              const v1 = 4 * z1 - z[o - 2] - z[o + 4] - z[o + 1 - w3] - z[o + 1 + w3];
              const v2 = 4 * z2 - z[o - 1] - z[o + 5] - z[o + 2 - w3] - z[o + 2 + w3];
              d0 += z0 * v0;
              d1 += z1 * v1;
              d2 += z2 * v2;
              p[o] = z0 + be0 * p[o];
              p[o + 1] = z1 + be1 * p[o + 1];
              p[o + 2] = z2 + be2 * p[o + 2];
              q[o] = v0 + be0 * q[o];
              q[o + 1] = v1 + be1 * q[o + 1];
              q[o + 2] = v2 + be2 * q[o + 2];
            }
          }
        }
        const pi0 = d0 - (be0 * n0) / al0;
        const pi1 = d1 - (be1 * n1) / al1;
        const pi2 = d2 - (be2 * n2) / al2;
        const a0 = (al0 = pi0 > 0 ? n0 / pi0 : 0);
        const a1 = (al1 = pi1 > 0 ? n1 / pi1 : 0);
        const a2 = (al2 = pi2 > 0 ? n2 / pi2 : 0);
        let rr0: number;
        let rr1: number;
        let rr2: number;
        if (wasm) {
          wasm.pcgUpdate(x.byteOffset, r.byteOffset, p.byteOffset, q.byteOffset, z.byteOffset, w, spans.byteOffset, nSpans, be0, be1, be2, a0, a1, a2, dot.byteOffset);
          rr0 = dot[0];
          rr1 = dot[1];
          rr2 = dot[2];
        } else {
          rr0 = 0;
          rr1 = 0;
          rr2 = 0;
          for (let s = 0; s < nSpans; s += 3) {
            const y = spans[s];
            const row = y * w;
            const x0 = spans[s + 1];
            const end = (row + spans[s + 2]) * 3;
            // Every cell: x += αp, r −= αq; red cells first get p = z + βp and q = r + βq
            // (Az = r there; black cells were updated above).
            let red = ((x0 + y) & 1) === 0;
            for (let o = (row + x0) * 3; o < end; o += 3, red = !red) {
              const r0 = r[o];
              const r1 = r[o + 1];
              const r2 = r[o + 2];
              let p0: number;
              let p1: number;
              let p2: number;
              let q0: number;
              let q1: number;
              let q2: number;
              if (red) {
                p[o] = p0 = z[o] + be0 * p[o];
                p[o + 1] = p1 = z[o + 1] + be1 * p[o + 1];
                p[o + 2] = p2 = z[o + 2] + be2 * p[o + 2];
                q[o] = q0 = r0 + be0 * q[o];
                q[o + 1] = q1 = r1 + be1 * q[o + 1];
                q[o + 2] = q2 = r2 + be2 * q[o + 2];
              } else {
                p0 = p[o];
                p1 = p[o + 1];
                p2 = p[o + 2];
                q0 = q[o];
                q1 = q[o + 1];
                q2 = q[o + 2];
              }
              x[o] += a0 * p0;
              x[o + 1] += a1 * p1;
              x[o + 2] += a2 * p2;
              const v0 = r0 - a0 * q0;
              const v1 = r1 - a1 * q1;
              const v2 = r2 - a2 * q2;
              r[o] = v0;
              r[o + 1] = v1;
              r[o + 2] = v2;
              rr0 += v0 * v0;
              rr1 += v1 * v1;
              rr2 += v2 * v2;
            }
          }
        }
        if ((rr0 <= t2 * bb0 && rr1 <= t2 * bb1 && rr2 <= t2 * bb2) || it === maxIt) {
          stat.it = it;
          stat.res = Math.sqrt(Math.max(bb0 > 0 ? rr0 / bb0 : 0, bb1 > 0 ? rr1 / bb1 : 0, bb2 > 0 ? rr2 / bb2 : 0));
          return;
        }
      }
    } finally {
      L0.f = savedF;
    }
  }
}

/**
 * `b = Σ over fixed neighbours of (bg − fg)` on the unknowns of `L0` (zero elsewhere):
 * the Dirichlet data of the correction h, for channels `c0 .. c0 + kc` of the images.
 * Grid cell (gx, gy) is image pixel (gx + ox, gy + oy).
 */
function boundaryData(
  L0: Level,
  b: Float32Array,
  bg: ImageData,
  fg: ImageData,
  W: number,
  C: number,
  c0: number,
  kc: number,
  ox: number,
  oy: number,
): void {
  const { w, h, type, spans, nSpans } = L0;
  b.fill(0, 0, w * h * K);
  const up = W * C;
  for (let s = 0; s < nSpans; s += 3) {
    const gy = spans[s];
    const g1 = gy * w + spans[s + 2];
    for (let i = gy * w + spans[s + 1], o = ((gy + oy) * W + spans[s + 1] + ox) * C + c0; i < g1; i++, o += C) {
      const bo = i * K;
      if (type[i - 1] !== 1) addDiff(b, bo, bg, fg, o - C, kc);
      if (type[i + 1] !== 1) addDiff(b, bo, bg, fg, o + C, kc);
      if (type[i - w] !== 1) addDiff(b, bo, bg, fg, o - up, kc);
      if (type[i + w] !== 1) addDiff(b, bo, bg, fg, o + up, kc);
    }
  }
}

/** b[bo + k] += bg[o + k] − fg[o + k] for k < kc. */
function addDiff(b: Float32Array, bo: number, bg: ImageData, fg: ImageData, o: number, kc: number): void {
  for (let k = 0; k < kc; k++) b[bo + k] += bg[o + k] - fg[o + k];
}

/**
 * `out = fg + x` on the unknowns of `L0` (channels `c0 .. c0 + kc`); `uint8` is rounded
 * (half up, like `Math.round`) and clamped.
 */
function writeResult(
  L0: Level,
  x: Float32Array,
  fg: ImageData,
  out: ImageData,
  W: number,
  C: number,
  c0: number,
  kc: number,
  ox: number,
  oy: number,
): void {
  const { w, spans, nSpans } = L0;
  const isU8 = out instanceof Uint8Array;
  if (isU8 && kc === 3) {
    // The common case (RGB uint8), without the channel loop.
    for (let s = 0; s < nSpans; s += 3) {
      const gy = spans[s];
      const g1 = (gy * w + spans[s + 2]) * 3;
      let o = ((gy + oy) * W + spans[s + 1] + ox) * C + c0;
      for (let i = (gy * w + spans[s + 1]) * 3; i < g1; i += 3, o += C) {
        const v0 = fg[o] + x[i];
        const v1 = fg[o + 1] + x[i + 1];
        const v2 = fg[o + 2] + x[i + 2];
        out[o] = v0 < -0.5 ? 0 : v0 >= 254.5 ? 255 : v0 + 0.5;
        out[o + 1] = v1 < -0.5 ? 0 : v1 >= 254.5 ? 255 : v1 + 0.5;
        out[o + 2] = v2 < -0.5 ? 0 : v2 >= 254.5 ? 255 : v2 + 0.5;
      }
    }
    return;
  }
  for (let s = 0; s < nSpans; s += 3) {
    const gy = spans[s];
    const g1 = gy * w + spans[s + 2];
    let o = ((gy + oy) * W + spans[s + 1] + ox) * C + c0;
    for (let i = gy * w + spans[s + 1]; i < g1; i++, o += C) {
      for (let k = 0; k < kc; k++) {
        const v = fg[o + k] + x[i * K + k];
        // A uint8 store truncates: v + 0.5 in (0, 255) stores round(v) (Math.round is much slower).
        if (isU8) out[o + k] = v < -0.5 ? 0 : v >= 254.5 ? 255 : v + 0.5;
        else out[o + k] = v;
      }
    }
  }
}

/** Makes a typed array of `n` elements of `bytesPer` bytes at the next free offset of a layout. */
type Take = <T>(make: (buffer: ArrayBuffer, offset: number, n: number) => T, bytesPer: number, n: number) => T;
const EMPTY = new ArrayBuffer(0);

/** The PCG vectors on the finest grid, K per cell (fixed cells stay 0): solution, residual, search direction, its image under A, right-hand side. */
interface PcgVectors {
  x: Float32Array;
  r: Float32Array;
  p: Float32Array;
  q: Float32Array;
  b: Float32Array;
}

function pcgVectors(n: number): PcgVectors {
  return { x: new Float32Array(n), r: new Float32Array(n), p: new Float32Array(n), q: new Float32Array(n), b: new Float32Array(n) };
}

const sharedSolver = new PoissonSolver();

/**
 * Poisson-blends `foreground` into `background` inside `mask` with a shared
 * {@link PoissonSolver} (see it for the arguments). Not re-entrant across
 * workers: give each worker its own solver.
 */
export function poissonBlend<D extends ImageData>(
  background: Image<D>,
  foreground: Image,
  mask: Image | { data: ArrayLike<number>; shape: readonly number[] },
  options: PoissonOptions = {},
): PoissonResult<D> {
  return sharedSolver.blend(background, foreground, mask, options);
}
