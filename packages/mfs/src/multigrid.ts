/**
 * The grids and kernels of the Poisson solver's multigrid preconditioner.
 *
 * A level is a dense `w x h` grid whose outer ring is fixed, with three channels
 * interleaved per cell (`K = 3` independent systems share every pass). Its unknown
 * cells are listed as row runs (`spans`: `y, x0, x1` with `x1` exclusive), and the
 * red (`x + y` even) and black cells of a run are visited with a stride of two, so
 * the hot loops read no index lists. Fine cell `(x, y)` belongs to the coarse cell
 * `((x + 1) >> 1, (y + 1) >> 1)` of a grid `((w − 1) >> 1) + 2` wide: along a red or
 * black run the parent index grows by one per cell.
 *
 * The finest level is the 5-point Laplacian (diagonal 4, unit edges); coarse levels
 * carry their Galerkin operator (edge weights `wx` to the right, `wy` below, the
 * diagonal and its inverse).
 */

import type { MultigridKernels } from '@caddm/simd';

/** Channels solved together in one pass (the hot loops are written for three). */
export const K = 3;

/** One multigrid level. */
export interface Level {
  /** grid width (with the fixed ring) */
  w: number;
  /** grid height (with the fixed ring) */
  h: number;
  /** 1 where the cell is an unknown */
  type: Uint8Array;
  /** row runs of unknowns: `y, x0, x1` triples */
  spans: Int32Array;
  /** used length of `spans` (3 per run) */
  nSpans: number;
  /** unknown cells */
  n: number;
  /** coarse levels: weight of the edge to the right neighbour */
  wx: Float32Array;
  /** coarse levels: weight of the edge to the neighbour below */
  wy: Float32Array;
  /** coarse levels: diagonal */
  diag: Float32Array;
  /** coarse levels: inverse diagonal (set on unknown cells) */
  inv: Float32Array;
  /** solution / correction, K per cell (fixed cells hold 0) */
  u: Float32Array;
  /** right-hand side, K per cell */
  f: Float32Array;
  /**
   * Set when every array above is a view into `@caddm/simd`'s memory: the sweeps then run
   * on its wasm kernels (bit-identical to the loops here, about twice as fast).
   */
  wasm?: MultigridKernels;
  /** wasm levels: three float64s of scratch for the kernels' dot products */
  dot?: Float64Array;
  /** wasm levels: two int32s the kernels return run and unknown counts in */
  counts?: Int32Array;
}

/** Returns `l` resized to `w x h` when it has room, else a new level. */
export function fitLevel(l: Level | undefined, w: number, h: number): Level {
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
    // A run holds at least one cell and runs are separated by at least one fixed cell.
    spans: new Int32Array(3 * (cap >> 1) + 3),
    nSpans: 0,
    n: 0,
    wx: new Float32Array(cap),
    wy: new Float32Array(cap),
    diag: new Float32Array(cap),
    inv: new Float32Array(cap),
    u: new Float32Array(cap * K),
    f: new Float32Array(cap * K),
  };
}

/** Lists the unknown runs of a level from its `type` grid (rows 1..h−2). */
export function buildSpans(l: Level): void {
  const { w, h, type, spans } = l;
  if (l.wasm && l.counts) {
    l.wasm.mgBuildSpans(type.byteOffset, w, h, spans.byteOffset, l.counts.byteOffset);
    l.nSpans = l.counts[0];
    l.n = l.counts[1];
    return;
  }
  let ns = 0;
  let n = 0;
  for (let y = 1; y < h - 1; y++) {
    const row = y * w;
    let x = 1;
    while (x < w - 1) {
      if (type[row + x] !== 1) {
        x++;
        continue;
      }
      const x0 = x;
      while (type[row + x] === 1) x++;
      spans[ns] = y;
      spans[ns + 1] = x0;
      spans[ns + 2] = x;
      ns += 3;
      n += x - x0;
    }
  }
  l.nSpans = ns;
  l.n = n;
}

/** First cell of colour `parity` (0 red, 1 black) at or after `x0` on row `y`. */
function first(x0: number, y: number, parity: number): number {
  return x0 + ((x0 + y + parity) & 1);
}

/** Gauss-Seidel sweep of one colour on the finest level: `u = (Σ neighbours + f) / 4`. */
export function relaxFine(L: Level, parity: number): void {
  const { u, f, w, spans, nSpans } = L;
  if (L.wasm) return L.wasm.mgRelaxFine(u.byteOffset, f.byteOffset, w, spans.byteOffset, nSpans, parity);
  const w3 = w * 3;
  for (let s = 0; s < nSpans; s += 3) {
    const y = spans[s];
    const row = y * w;
    const end = (row + spans[s + 2]) * 3;
    for (let o = (row + first(spans[s + 1], y, parity)) * 3; o < end; o += 6) {
      u[o] = 0.25 * (u[o - 3] + u[o + 3] + u[o - w3] + u[o + w3] + f[o]);
      u[o + 1] = 0.25 * (u[o - 2] + u[o + 4] + u[o + 1 - w3] + u[o + 1 + w3] + f[o + 1]);
      u[o + 2] = 0.25 * (u[o - 1] + u[o + 5] + u[o + 2 - w3] + u[o + 2 + w3] + f[o + 2]);
    }
  }
}

/** {@link relaxFine} that also adds `u·f` per channel (after the update) to `d`. */
export function relaxFineDot(L: Level, parity: number, d: Float64Array): void {
  const { u, f, w, spans, nSpans } = L;
  if (L.wasm && L.dot) {
    L.dot.set(d.subarray(0, 3));
    L.wasm.mgRelaxFineDot(u.byteOffset, f.byteOffset, w, spans.byteOffset, nSpans, parity, L.dot.byteOffset);
    d.set(L.dot.subarray(0, 3));
    return;
  }
  const w3 = w * 3;
  let d0 = 0;
  let d1 = 0;
  let d2 = 0;
  for (let s = 0; s < nSpans; s += 3) {
    const y = spans[s];
    const row = y * w;
    const end = (row + spans[s + 2]) * 3;
    for (let o = (row + first(spans[s + 1], y, parity)) * 3; o < end; o += 6) {
      const f0 = f[o];
      const f1 = f[o + 1];
      const f2 = f[o + 2];
      const v0 = 0.25 * (u[o - 3] + u[o + 3] + u[o - w3] + u[o + w3] + f0);
      const v1 = 0.25 * (u[o - 2] + u[o + 4] + u[o + 1 - w3] + u[o + 1 + w3] + f1);
      const v2 = 0.25 * (u[o - 1] + u[o + 5] + u[o + 2 - w3] + u[o + 2 + w3] + f2);
      u[o] = v0;
      u[o + 1] = v1;
      u[o + 2] = v2;
      d0 += v0 * f0;
      d1 += v1 * f1;
      d2 += v2 * f2;
    }
  }
  d[0] += d0;
  d[1] += d1;
  d[2] += d2;
}

/** Gauss-Seidel sweep of one colour on a coarse level, with its Galerkin weights. */
export function relaxCoarse(L: Level, parity: number): void {
  const { u, f, w, spans, nSpans, wx, wy, inv } = L;
  if (L.wasm) return L.wasm.mgRelaxCoarse(u.byteOffset, f.byteOffset, w, spans.byteOffset, nSpans, wx.byteOffset, wy.byteOffset, inv.byteOffset, parity);
  const w3 = w * 3;
  for (let s = 0; s < nSpans; s += 3) {
    const y = spans[s];
    const row = y * w;
    const end = row + spans[s + 2];
    for (let i = row + first(spans[s + 1], y, parity); i < end; i += 2) {
      const o = i * 3;
      const a = wx[i - 1];
      const b = wx[i];
      const c = wy[i - w];
      const d = wy[i];
      const t = inv[i];
      u[o] = t * (f[o] + a * u[o - 3] + b * u[o + 3] + c * u[o - w3] + d * u[o + w3]);
      u[o + 1] = t * (f[o + 1] + a * u[o - 2] + b * u[o + 4] + c * u[o + 1 - w3] + d * u[o + 1 + w3]);
      u[o + 2] = t * (f[o + 2] + a * u[o - 1] + b * u[o + 5] + c * u[o + 2 - w3] + d * u[o + 2 + w3]);
    }
  }
}

/** Red cells from `u = 0`: `u = f / diagonal` (reads no neighbour). */
export function initRed(L: Level, fine: boolean): void {
  const { u, f, w, spans, nSpans, inv } = L;
  if (L.wasm) return L.wasm.mgInitRed(u.byteOffset, f.byteOffset, w, spans.byteOffset, nSpans, inv.byteOffset, fine ? 1 : 0);
  for (let s = 0; s < nSpans; s += 3) {
    const y = spans[s];
    const row = y * w;
    const end = row + spans[s + 2];
    for (let i = row + first(spans[s + 1], y, 0); i < end; i += 2) {
      const o = i * 3;
      const t = fine ? 0.25 : inv[i];
      u[o] = t * f[o];
      u[o + 1] = t * f[o + 1];
      u[o + 2] = t * f[o + 2];
    }
  }
}

/** Parent offset (`K ×` index on the next coarser grid) of red cell `x` on row `y`. */
function parentOffset(x: number, y: number, w: number): number {
  const cw = ((w - 1) >> 1) + 2;
  return (((y + 1) >> 1) * cw + ((x + 1) >> 1)) * 3;
}

/**
 * Adds the residual `f − A u` of the red cells to their parents' right-hand side
 * `G.f` (after a black sweep the black residuals are 0, so red cells carry all of it).
 */
export function restrictRed(L: Level, G: Level, fine: boolean): void {
  const { u, f, w, spans, nSpans, wx, wy, diag } = L;
  const kf = G.f;
  if (L.wasm) {
    return L.wasm.mgRestrictRed(u.byteOffset, f.byteOffset, w, spans.byteOffset, nSpans, wx.byteOffset, wy.byteOffset, diag.byteOffset, kf.byteOffset, fine ? 1 : 0);
  }
  const w3 = w * 3;
  for (let s = 0; s < nSpans; s += 3) {
    const y = spans[s];
    const row = y * w;
    const x = first(spans[s + 1], y, 0);
    const end = row + spans[s + 2];
    let pc = parentOffset(x, y, w);
    for (let i = row + x; i < end; i += 2, pc += 3) {
      const o = i * 3;
      if (fine) {
        kf[pc] += f[o] - 4 * u[o] + u[o - 3] + u[o + 3] + u[o - w3] + u[o + w3];
        kf[pc + 1] += f[o + 1] - 4 * u[o + 1] + u[o - 2] + u[o + 4] + u[o + 1 - w3] + u[o + 1 + w3];
        kf[pc + 2] += f[o + 2] - 4 * u[o + 2] + u[o - 1] + u[o + 5] + u[o + 2 - w3] + u[o + 2 + w3];
      } else {
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
  }
}

/**
 * Adds `alpha ×` the parent's correction to every red cell (the next black sweep
 * ignores black values, so they need none).
 */
export function prolongRed(L: Level, G: Level, alpha: number): void {
  const { u, w, spans, nSpans } = L;
  const ku = G.u;
  if (L.wasm) return L.wasm.mgProlongRed(u.byteOffset, w, spans.byteOffset, nSpans, ku.byteOffset, alpha);
  for (let s = 0; s < nSpans; s += 3) {
    const y = spans[s];
    const row = y * w;
    const x = first(spans[s + 1], y, 0);
    const end = (row + spans[s + 2]) * 3;
    let pc = parentOffset(x, y, w);
    for (let o = (row + x) * 3; o < end; o += 6, pc += 3) {
      u[o] += alpha * ku[pc];
      u[o + 1] += alpha * ku[pc + 1];
      u[o + 2] += alpha * ku[pc + 2];
    }
  }
}

/**
 * The fused pre-smoothing, restriction and prolongation of a one-sweep V-cycle on the
 * finest level. Pre: from `u = 0` the red sweep gives `u = f/4`, so the black sweep
 * reads `f/4` on red neighbours and the red residual is the sum of the black
 * neighbours (`f − 4·f/4 = 0`). `coarse` runs the coarse-grid correction between.
 * Post: red cells get `f/4 + alpha ×` their parent's correction.
 */
export function fineCycle(L: Level, G: Level, alpha: number, coarse: () => void): void {
  const { u, f, w, spans, nSpans } = L;
  if (L.wasm) {
    G.f.fill(0, 0, G.w * G.h * K);
    L.wasm.mgFineCyclePre(u.byteOffset, f.byteOffset, w, spans.byteOffset, nSpans, G.f.byteOffset);
    coarse();
    L.wasm.mgFineCyclePost(u.byteOffset, f.byteOffset, w, spans.byteOffset, nSpans, G.u.byteOffset, alpha);
    return;
  }
  const w3 = w * 3;
  for (let s = 0; s < nSpans; s += 3) {
    const y = spans[s];
    const row = y * w;
    const end = (row + spans[s + 2]) * 3;
    for (let o = (row + first(spans[s + 1], y, 1)) * 3; o < end; o += 6) {
      u[o] = 0.25 * f[o] + 0.0625 * (f[o - 3] + f[o + 3] + f[o - w3] + f[o + w3]);
      u[o + 1] = 0.25 * f[o + 1] + 0.0625 * (f[o - 2] + f[o + 4] + f[o + 1 - w3] + f[o + 1 + w3]);
      u[o + 2] = 0.25 * f[o + 2] + 0.0625 * (f[o - 1] + f[o + 5] + f[o + 2 - w3] + f[o + 2 + w3]);
    }
  }
  const kf = G.f;
  kf.fill(0, 0, G.w * G.h * K);
  for (let s = 0; s < nSpans; s += 3) {
    const y = spans[s];
    const row = y * w;
    const x = first(spans[s + 1], y, 0);
    const end = (row + spans[s + 2]) * 3;
    let pc = parentOffset(x, y, w);
    for (let o = (row + x) * 3; o < end; o += 6, pc += 3) {
      kf[pc] += u[o - 3] + u[o + 3] + u[o - w3] + u[o + w3];
      kf[pc + 1] += u[o - 2] + u[o + 4] + u[o + 1 - w3] + u[o + 1 + w3];
      kf[pc + 2] += u[o - 1] + u[o + 5] + u[o + 2 - w3] + u[o + 2 + w3];
    }
  }
  coarse();
  const ku = G.u;
  for (let s = 0; s < nSpans; s += 3) {
    const y = spans[s];
    const row = y * w;
    const x = first(spans[s + 1], y, 0);
    const end = (row + spans[s + 2]) * 3;
    let pc = parentOffset(x, y, w);
    for (let o = (row + x) * 3; o < end; o += 6, pc += 3) {
      u[o] = 0.25 * f[o] + alpha * ku[pc];
      u[o + 1] = 0.25 * f[o + 1] + alpha * ku[pc + 1];
      u[o + 2] = 0.25 * f[o + 2] + alpha * ku[pc + 2];
    }
  }
}

/**
 * Builds the next coarser level `G` of `F` by 2x2 aggregation: a coarse cell is
 * unknown when any of its children is, with the Galerkin operator of
 * piecewise-constant prolongation (the diagonal sums the children's diagonals minus
 * twice their internal edges; edges between aggregates add up).
 */
export function coarsen(F: Level, G: Level, fine: boolean): void {
  const cw = G.w;
  const cn = cw * G.h;
  if (F.wasm && G.counts) {
    F.wasm.mgCoarsen(
      F.type.byteOffset,
      F.spans.byteOffset,
      F.nSpans,
      F.w,
      F.wx.byteOffset,
      F.wy.byteOffset,
      F.diag.byteOffset,
      fine ? 1 : 0,
      G.type.byteOffset,
      G.wx.byteOffset,
      G.wy.byteOffset,
      G.diag.byteOffset,
      G.inv.byteOffset,
      G.spans.byteOffset,
      cw,
      G.h,
      G.counts.byteOffset,
    );
    G.nSpans = G.counts[0];
    G.n = G.counts[1];
    return;
  }
  G.type.fill(0, 0, cn);
  G.wx.fill(0, 0, cn);
  G.wy.fill(0, 0, cn);
  G.diag.fill(0, 0, cn);
  const { w, type, spans, nSpans } = F;
  const gt = G.type;
  const gx = G.wx;
  const gy = G.wy;
  const gd = G.diag;
  const fx = F.wx;
  const fy = F.wy;
  const fd = F.diag;
  for (let s = 0; s < nSpans; s += 3) {
    const y = spans[s];
    const row = y * w;
    const prow = ((y + 1) >> 1) * cw;
    const yOdd = (y & 1) === 1;
    const x1 = spans[s + 2];
    for (let x = spans[s + 1]; x < x1; x++) {
      const i = row + x;
      const P = prow + ((x + 1) >> 1);
      gt[P] = 1;
      // Fine level: diagonal 4 and unit edges to unknown neighbours.
      const ex = fine ? (type[i + 1] === 1 ? 1 : 0) : fx[i];
      const ey = fine ? (type[i + w] === 1 ? 1 : 0) : fy[i];
      let dg = gd[P] + (fine ? 4 : fd[i]);
      if ((x & 1) === 1) dg -= 2 * ex;
      else gx[P] += ex;
      if (yOdd) dg -= 2 * ey;
      else gy[P] += ey;
      gd[P] = dg;
    }
  }
  buildSpans(G);
  const inv = G.inv;
  const gs = G.spans;
  for (let s = 0; s < G.nSpans; s += 3) {
    const row = gs[s] * cw;
    for (let i = row + gs[s + 1]; i < row + gs[s + 2]; i++) inv[i] = 1 / gd[i];
  }
}
