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
 * over-corrected piecewise-constant prolongation), three channels interleaved
 * per pass. It converges in a handful of iterations whatever the mask size; the
 * final residual is reported and there is no silent fallback (the reference
 * falls back to alpha blending when OpenCV rejects its masks, REFERENCE.md bug 4).
 */
import { contiguous, imageSize, wrapImage, type Image, type ImageData } from '@caddm/image';
import { MfsArgumentError, MfsShapeError } from './errors.js';

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
  /** The same on the coarser levels (default 3; they are 4x, 16x... smaller). */
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

/** Channels solved together in one pass (the hot loops are written for three). */
const K = 3;

/** One multigrid level: a dense grid with a 1-cell fixed ring, K channels interleaved. */
interface Level {
  w: number;
  h: number;
  /** 1 where the cell is an unknown. */
  type: Uint8Array;
  /** unknown cells with (x + y) even ("red") and odd ("black") */
  red: Int32Array;
  black: Int32Array;
  nRed: number;
  nBlack: number;
  /** K × index of each red unknown's parent cell on the next coarser level */
  redParent: Int32Array;
  /** index of each black unknown's parent cell on the next coarser level */
  blackParent: Int32Array;
  /**
   * Coarse levels only (Galerkin operator P^T A P of the finer level): weight of the
   * edge to the right neighbour, to the neighbour below, the diagonal and its inverse.
   */
  wx: Float32Array;
  wy: Float32Array;
  diag: Float32Array;
  inv: Float32Array;
  /** solution / correction (K per cell; fixed cells hold 0 except on the finest level's data) */
  u: Float32Array;
  /** right-hand side (K per cell) */
  f: Float32Array;
}

function fitLevel(l: Level | undefined, w: number, h: number): Level {
  const n = w * h;
  if (l != null && l.type.length >= n) {
    l.w = w;
    l.h = h;
    return l;
  }
  const cap = Math.max(n, 16);
  return {
    w,
    h,
    type: new Uint8Array(cap),
    red: new Int32Array(cap),
    black: new Int32Array(cap),
    nRed: 0,
    nBlack: 0,
    redParent: new Int32Array(cap),
    blackParent: new Int32Array(cap),
    wx: new Float32Array(cap),
    wy: new Float32Array(cap),
    diag: new Float32Array(cap),
    inv: new Float32Array(cap),
    u: new Float32Array(cap * K),
    f: new Float32Array(cap * K),
  };
}

/**
 * Lists the unknowns of a level by colour (its `type` must be filled), with the
 * index of each one's parent on the next coarser grid: fine `(x, y)` lies in coarse
 * cell `((x + 1) >> 1, (y + 1) >> 1)` of a grid `((w − 1) >> 1) + 2` wide.
 */
function listUnknowns(l: Level): void {
  let nr = 0;
  let nb = 0;
  const { w, h, type, red, black, redParent, blackParent } = l;
  const cw = ((w - 1) >> 1) + 2;
  for (let y = 1; y < h - 1; y++) {
    let i = y * w + 1;
    const prow = ((y + 1) >> 1) * cw;
    for (let x = 1; x < w - 1; x++, i++) {
      if (type[i] === 1) {
        const parent = prow + ((x + 1) >> 1);
        if (((x + y) & 1) === 0) {
          redParent[nr] = parent * K;
          red[nr++] = i;
        } else {
          blackParent[nb] = parent;
          black[nb++] = i;
        }
      }
    }
  }
  l.nRed = nr;
  l.nBlack = nb;
}

/** One Gauss-Seidel pass over one colour, K = 3 channels: u = (Σ neighbours + f) / 4. */
function relax(u: Float32Array, f: Float32Array, w3: number, list: Int32Array, n: number): void {
  for (let k = 0; k < n; k++) {
    const o = list[k] * 3;
    u[o] = 0.25 * (u[o - 3] + u[o + 3] + u[o - w3] + u[o + w3] + f[o]);
    u[o + 1] = 0.25 * (u[o - 2] + u[o + 4] + u[o + 1 - w3] + u[o + 1 + w3] + f[o + 1]);
    u[o + 2] = 0.25 * (u[o - 1] + u[o + 5] + u[o + 2 - w3] + u[o + 2 + w3] + f[o + 2]);
  }
}

/** Gauss-Seidel pass on a coarse level with its Galerkin weights. */
function relaxW(L: Level, list: Int32Array, n: number): void {
  const { u, f, wx, wy, inv, w } = L;
  const w3 = w * 3;
  for (let k = 0; k < n; k++) {
    const i = list[k];
    const o = i * 3;
    const a = wx[i - 1];
    const b = wx[i];
    const c = wy[i - w];
    const d = wy[i];
    const s = inv[i];
    u[o] = s * (f[o] + a * u[o - 3] + b * u[o + 3] + c * u[o - w3] + d * u[o + w3]);
    u[o + 1] = s * (f[o + 1] + a * u[o - 2] + b * u[o + 4] + c * u[o + 1 - w3] + d * u[o + 1 + w3]);
    u[o + 2] = s * (f[o + 2] + a * u[o - 1] + b * u[o + 5] + c * u[o + 2 - w3] + d * u[o + 2 + w3]);
  }
}

/** {@link relax} that also accumulates `u·f` per channel into `d` (after updating). */
function relaxDot(u: Float32Array, f: Float32Array, w3: number, list: Int32Array, n: number, d: Float64Array): void {
  let d0 = 0;
  let d1 = 0;
  let d2 = 0;
  for (let k = 0; k < n; k++) {
    const o = list[k] * 3;
    const v0 = 0.25 * (u[o - 3] + u[o + 3] + u[o - w3] + u[o + w3] + f[o]);
    const v1 = 0.25 * (u[o - 2] + u[o + 4] + u[o + 1 - w3] + u[o + 1 + w3] + f[o + 1]);
    const v2 = 0.25 * (u[o - 1] + u[o + 5] + u[o + 2 - w3] + u[o + 2 + w3] + f[o + 2]);
    u[o] = v0;
    u[o + 1] = v1;
    u[o + 2] = v2;
    d0 += v0 * f[o];
    d1 += v1 * f[o + 1];
    d2 += v2 * f[o + 2];
  }
  d[0] += d0;
  d[1] += d1;
  d[2] += d2;
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
  private levels: Level[] = [];
  private depth = 1;
  /** smoothing sweeps on the coarse levels of the current solve */
  private nuc = 3;
  // PCG vectors on the finest grid, K per cell (fixed cells stay 0).
  private x = new Float32Array(0);
  private r = new Float32Array(0);
  private p = new Float32Array(0);
  private q = new Float32Array(0);
  private b = new Float32Array(0);
  /** z·r per channel from the last V-cycle on the finest level */
  private readonly zr = new Float64Array(3);

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
    const nuc = options.coarseSmoothing ?? 3;
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
    const L0 = (this.levels[0] = fitLevel(this.levels[0], gw, gh));
    const N = gw * gh;
    const type = L0.type;
    type.fill(0, 0, N);
    for (let gy = 1; gy < gh - 1; gy++) {
      let o = ((gy + oy) * W + 1 + ox) * mc;
      let i = gy * gw + 1;
      for (let gx = 1; gx < gw - 1; gx++, o += mc, i++) if (md[o] >= threshold) type[i] = 1;
    }
    listUnknowns(L0);
    const unknowns = L0.nRed + L0.nBlack;
    this.buildHierarchy();
    if (this.x.length < N * K) {
      this.x = new Float32Array(N * K);
      this.r = new Float32Array(N * K);
      this.p = new Float32Array(N * K);
      this.q = new Float32Array(N * K);
      this.b = new Float32Array(N * K);
    }
    const { x, b } = this;
    const isU8 = out instanceof Uint8Array;
    let iterations = 0;
    let worst = 0;
    const stat = { it: 0, res: 0 };
    for (let c0 = 0; c0 < C; c0 += K) {
      const kc = Math.min(K, C - c0);
      // b = Σ over fixed neighbours of (bg − fg): the Dirichlet data of the correction h.
      b.fill(0, 0, N * K);
      const up = W * C;
      for (let gy = 1; gy < gh - 1; gy++) {
        let i = gy * gw + 1;
        for (let gx = 1; gx < gw - 1; gx++, i++) {
          if (type[i] !== 1) continue;
          const o = ((gy + oy) * W + gx + ox) * C + c0;
          const bo = i * K;
          if (type[i - 1] !== 1) addDiff(b, bo, bg, fg, o - C, kc);
          if (type[i + 1] !== 1) addDiff(b, bo, bg, fg, o + C, kc);
          if (type[i - gw] !== 1) addDiff(b, bo, bg, fg, o - up, kc);
          if (type[i + gw] !== 1) addDiff(b, bo, bg, fg, o + up, kc);
        }
      }
      this.pcg(N, tol, maxIt, nu, stat);
      iterations = Math.max(iterations, stat.it);
      worst = Math.max(worst, stat.res);
      // f = fg + h inside.
      for (let gy = 1; gy < gh - 1; gy++) {
        let i = gy * gw + 1;
        let o = ((gy + oy) * W + 1 + ox) * C + c0;
        for (let gx = 1; gx < gw - 1; gx++, i++, o += C) {
          if (type[i] !== 1) continue;
          for (let k = 0; k < kc; k++) {
            const v = (fg[o + k] as number) + x[i * K + k];
            out[o + k] = isU8 ? (v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v)) : v;
          }
        }
      }
    }
    return done({ unknowns, iterations, residual: worst, converged: worst <= tol });
  }

  /** Coarse levels: a coarse cell is unknown when any of its (up to 4) children is. */
  private buildHierarchy(): void {
    let l = 0;
    for (;;) {
      const F = this.levels[l];
      if (F.nRed + F.nBlack <= COARSEST || F.w <= 4 || F.h <= 4) break;
      const cw = ((F.w - 1) >> 1) + 2;
      const chh = ((F.h - 1) >> 1) + 2;
      const G = (this.levels[l + 1] = fitLevel(this.levels[l + 1], cw, chh));
      const cn = cw * chh;
      G.type.fill(0, 0, cn);
      G.wx.fill(0, 0, cn);
      G.wy.fill(0, 0, cn);
      G.diag.fill(0, 0, cn);
      const { w, h, type } = F;
      // Galerkin coarse operator of piecewise-constant aggregation: the diagonal sums the
      // children's diagonals minus twice their internal edges; edges between aggregates add up.
      for (let y = 1; y < h - 1; y++) {
        const prow = ((y + 1) >> 1) * cw;
        const yOdd = (y & 1) === 1;
        let i = y * w + 1;
        for (let x = 1; x < w - 1; x++, i++) {
          if (type[i] !== 1) continue;
          const P = prow + ((x + 1) >> 1);
          G.type[P] = 1;
          let ex: number;
          let ey: number;
          if (l === 0) {
            G.diag[P] += 4;
            ex = type[i + 1] === 1 ? 1 : 0;
            ey = type[i + w] === 1 ? 1 : 0;
          } else {
            G.diag[P] += F.diag[i];
            ex = F.wx[i];
            ey = F.wy[i];
          }
          if ((x & 1) === 1) G.diag[P] -= 2 * ex;
          else G.wx[P] += ex;
          if (yOdd) G.diag[P] -= 2 * ey;
          else G.wy[P] += ey;
        }
      }
      for (let i = 0; i < cn; i++) G.inv[i] = G.type[i] === 1 ? 1 / G.diag[i] : 0;
      listUnknowns(G);
      l++;
    }
    this.depth = l + 1;
    // Fixed cells must read 0 in every correction; clear what earlier solves left there.
    for (let k = 0; k <= l; k++) {
      const L = this.levels[k];
      L.u.fill(0, 0, L.w * L.h * K);
    }
  }

  /**
   * u = M⁻¹ f on level `l`: one symmetric V-cycle from a zero guess. After a black
   * sweep the black residuals are 0, and a black sweep ignores the old black
   * values, so residuals are restricted and corrections prolonged on red cells only.
   */
  private vcycle(l: number, nu: number): void {
    const L = this.levels[l];
    const { u, f, red, black, nRed, nBlack } = L;
    const w3 = L.w * 3;
    const fine = l === 0;
    const inv = L.inv;
    // First red sweep from u = 0: u = f / diag (it reads no neighbour; the black sweep
    // that follows overwrites every black value without reading it).
    for (let k = 0; k < nRed; k++) {
      const i = red[k];
      const o = i * 3;
      const s = fine ? 0.25 : inv[i];
      u[o] = s * f[o];
      u[o + 1] = s * f[o + 1];
      u[o + 2] = s * f[o + 2];
    }
    if (fine) relax(u, f, w3, black, nBlack);
        else relaxW(L, black, nBlack);
    if (l === this.depth - 1) {
      const sweeps = SWEEPS;
      for (let s = 1; s < sweeps; s++) {
        if (fine) relax(u, f, w3, red, nRed);
        else relaxW(L, red, nRed);
        if (fine) relax(u, f, w3, black, nBlack);
        else relaxW(L, black, nBlack);
      }
      for (let s = 0; s < sweeps; s++) {
        if (fine) relax(u, f, w3, black, nBlack);
        else relaxW(L, black, nBlack);
        if (fine) relax(u, f, w3, red, nRed);
        else relaxW(L, red, nRed);
      }
      return;
    }
    for (let s = 1; s < nu; s++) {
      if (fine) relax(u, f, w3, red, nRed);
        else relaxW(L, red, nRed);
      if (fine) relax(u, f, w3, black, nBlack);
        else relaxW(L, black, nBlack);
    }
    // Restrict the residual (zero on black cells after a black sweep): sum over children.
    const G = this.levels[l + 1];
    const kf = G.f;
    kf.fill(0, 0, G.w * G.h * K);
    const rp = L.redParent;
    if (fine) {
      for (let k = 0; k < nRed; k++) {
        const o = red[k] * 3;
        const pc = rp[k];
        kf[pc] += f[o] - 4 * u[o] + u[o - 3] + u[o + 3] + u[o - w3] + u[o + w3];
        kf[pc + 1] += f[o + 1] - 4 * u[o + 1] + u[o - 2] + u[o + 4] + u[o + 1 - w3] + u[o + 1 + w3];
        kf[pc + 2] += f[o + 2] - 4 * u[o + 2] + u[o - 1] + u[o + 5] + u[o + 2 - w3] + u[o + 2 + w3];
      }
    } else {
      const { wx, wy, diag } = L;
      const w = L.w;
      for (let k = 0; k < nRed; k++) {
        const i = red[k];
        const o = i * 3;
        const pc = rp[k];
        const a = wx[i - 1];
        const b = wx[i];
        const c = wy[i - w];
        const d = wy[i];
        const g = diag[i];
        kf[pc] += f[o] - g * u[o] + a * u[o - 3] + b * u[o + 3] + c * u[o - w3] + d * u[o + w3];
        kf[pc + 1] += f[o + 1] - g * u[o + 1] + a * u[o - 2] + b * u[o + 4] + c * u[o + 1 - w3] + d * u[o + 1 + w3];
        kf[pc + 2] += f[o + 2] - g * u[o + 2] + a * u[o - 1] + b * u[o + 5] + c * u[o + 2 - w3] + d * u[o + 2 + w3];
      }
    }
    this.vcycle(l + 1, this.nuc);
    const ku = G.u;
    for (let k = 0; k < nRed; k++) {
      const o = red[k] * 3;
      const pc = rp[k];
      u[o] += ALPHA * ku[pc];
      u[o + 1] += ALPHA * ku[pc + 1];
      u[o + 2] += ALPHA * ku[pc + 2];
    }
    for (let s = 1; s < nu; s++) {
      if (fine) relax(u, f, w3, black, nBlack);
        else relaxW(L, black, nBlack);
      if (fine) relax(u, f, w3, red, nRed);
        else relaxW(L, red, nRed);
    }
    if (fine) {
      // Last sweeps on the finest level also give z·r (f is r there), saving a pass in PCG.
      const d = this.zr;
      d[0] = 0;
      d[1] = 0;
      d[2] = 0;
      relaxDot(u, f, w3, black, nBlack, d);
      relaxDot(u, f, w3, red, nRed, d);
    } else {
      if (fine) relax(u, f, w3, black, nBlack);
        else relaxW(L, black, nBlack);
      if (fine) relax(u, f, w3, red, nRed);
        else relaxW(L, red, nRed);
    }
  }

  /**
   * Preconditioned conjugate gradients for A x = b on the finest level, three
   * independent systems interleaved. Writes iterations and the worst relative residual to `stat`.
   */
  private pcg(N: number, tol: number, maxIt: number, nu: number, stat: { it: number; res: number }): void {
    const L0 = this.levels[0];
    const { x, r, p, q, b, zr } = this;
    const { red, black, nRed, nBlack } = L0;
    const w3 = L0.w * 3;
    const NK = N * K;
    x.fill(0, 0, NK);
    p.fill(0, 0, NK);
    q.fill(0, 0, NK);
    r.set(b.subarray(0, NK));
    let bb0 = 0;
    let bb1 = 0;
    let bb2 = 0;
    for (let pass = 0; pass < 2; pass++) {
      const list = pass === 0 ? red : black;
      const n = pass === 0 ? nRed : nBlack;
      for (let k = 0; k < n; k++) {
        const o = list[k] * 3;
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
    // rz = r·z of the previous iteration; with p = q = 0 and rz = 1 (β = 0) the first update gives p = z.
    let rz0 = 0;
    let rz1 = 0;
    let rz2 = 0;
    try {
      for (let it = 1; it <= maxIt; it++) {
        this.vcycle(0, nu);
        const be0 = rz0 > 0 ? zr[0] / rz0 : 0;
        const be1 = rz1 > 0 ? zr[1] / rz1 : 0;
        const be2 = rz2 > 0 ? zr[2] / rz2 : 0;
        rz0 = zr[0];
        rz1 = zr[1];
        rz2 = zr[2];
        // p = z + βp and q = Ap = Az + βq in one pass.
        let pq0 = 0;
        let pq1 = 0;
        let pq2 = 0;
        for (let pass = 0; pass < 2; pass++) {
          const list = pass === 0 ? red : black;
          const n = pass === 0 ? nRed : nBlack;
          for (let k = 0; k < n; k++) {
            const o = list[k] * 3;
            const p0 = z[o] + be0 * p[o];
            const p1 = z[o + 1] + be1 * p[o + 1];
            const p2 = z[o + 2] + be2 * p[o + 2];
            const q0 = 4 * z[o] - z[o - 3] - z[o + 3] - z[o - w3] - z[o + w3] + be0 * q[o];
            const q1 = 4 * z[o + 1] - z[o - 2] - z[o + 4] - z[o + 1 - w3] - z[o + 1 + w3] + be1 * q[o + 1];
            const q2 = 4 * z[o + 2] - z[o - 1] - z[o + 5] - z[o + 2 - w3] - z[o + 2 + w3] + be2 * q[o + 2];
            p[o] = p0;
            p[o + 1] = p1;
            p[o + 2] = p2;
            q[o] = q0;
            q[o + 1] = q1;
            q[o + 2] = q2;
            pq0 += p0 * q0;
            pq1 += p1 * q1;
            pq2 += p2 * q2;
          }
        }
        const a0 = pq0 > 0 ? rz0 / pq0 : 0;
        const a1 = pq1 > 0 ? rz1 / pq1 : 0;
        const a2 = pq2 > 0 ? rz2 / pq2 : 0;
        let rr0 = 0;
        let rr1 = 0;
        let rr2 = 0;
        for (let pass = 0; pass < 2; pass++) {
          const list = pass === 0 ? red : black;
          const n = pass === 0 ? nRed : nBlack;
          for (let k = 0; k < n; k++) {
            const o = list[k] * 3;
            x[o] += a0 * p[o];
            x[o + 1] += a1 * p[o + 1];
            x[o + 2] += a2 * p[o + 2];
            const v0 = r[o] - a0 * q[o];
            const v1 = r[o + 1] - a1 * q[o + 1];
            const v2 = r[o + 2] - a2 * q[o + 2];
            r[o] = v0;
            r[o + 1] = v1;
            r[o + 2] = v2;
            rr0 += v0 * v0;
            rr1 += v1 * v1;
            rr2 += v2 * v2;
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

/** b[bo + k] += bg[o + k] − fg[o + k] for k < kc. */
function addDiff(b: Float32Array, bo: number, bg: ImageData, fg: ImageData, o: number, kc: number): void {
  if (kc === 3) {
    b[bo] += bg[o] - fg[o];
    b[bo + 1] += bg[o + 1] - fg[o + 1];
    b[bo + 2] += bg[o + 2] - fg[o + 2];
    return;
  }
  for (let k = 0; k < kc; k++) b[bo + k] += bg[o + k] - fg[o + k];
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
