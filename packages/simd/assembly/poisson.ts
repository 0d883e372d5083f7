// The hot loops of @caddm/mfs's Poisson solver (multigrid-preconditioned CG), ported from
// packages/mfs/src/multigrid.ts and poisson.ts with the same arithmetic: float32 storage,
// float64 arithmetic (as JavaScript computes on Float32Array elements), so results are
// bit-identical to the scalar twins. Channels 0 and 1 of a cell go through one f64x2 lane pair
// (the same operations in the same order per lane), channel 2 stays scalar. Grids hold K = 3
// interleaved channels per cell; unknowns are listed as row runs (spans: y, x0, x1 i32 triples).
// All arguments are byte offsets.

// @ts-ignore: decorator
@inline
function ld(p: usize): f64 {
  return <f64>load<f32>(p);
}

// @ts-ignore: decorator
@inline
function st(p: usize, v: f64): void {
  store<f32>(p, <f32>v);
}

// Channels 0 and 1 of a cell as f64x2 (exact float32 -> float64), and back (rounded like st).
// @ts-ignore: decorator
@inline
function ld2(p: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(p));
}

// @ts-ignore: decorator
@inline
function st2(p: usize, v: v128): void {
  v128.store64_lane(p, f32x4.demote_f64x2_zero(v), 0);
}

// @ts-ignore: decorator
@inline
function sp2(v: f64): v128 {
  return f64x2.splat(v);
}

// Byte offset of the first cell of colour `parity` at or after x0 on row y (cell index → ×12 bytes).
// @ts-ignore: decorator
@inline
function firstCell(x0: i32, y: i32, parity: i32): i32 {
  return x0 + ((x0 + y + parity) & 1);
}

// Byte offset (×12 per cell) of the parent of red cell x on row y, on the next coarser grid.
// @ts-ignore: decorator
@inline
function parentByte(x: i32, y: i32, w: i32): usize {
  const cw = ((w - 1) >> 1) + 2;
  return <usize>(((y + 1) >> 1) * cw + ((x + 1) >> 1)) * 12;
}

/** Gauss-Seidel sweep of one colour on the finest level: u = (Σ neighbours + f) / 4. */
export function mgRelaxFine(u: usize, f: usize, w: i32, spans: usize, nSpans: i32, parity: i32): void {
  const w3 = <usize>w * 12;
  for (let s = 0; s < nSpans; s += 3) {
    const sp = spans + (<usize>s << 2);
    const y = load<i32>(sp);
    const row = y * w;
    const end = u + <usize>(row + load<i32>(sp, 8)) * 12;
    for (let p = u + <usize>(row + firstCell(load<i32>(sp, 4), y, parity)) * 12; p < end; p += 24) {
      const q = p - u + f;
      st2(p, f64x2.mul(sp2(0.25), f64x2.add(f64x2.add(f64x2.add(f64x2.add(ld2(p - 12), ld2(p + 12)), ld2(p - w3)), ld2(p + w3)), ld2(q))));
      st(p + 8, 0.25 * (ld(p - 4) + ld(p + 20) + ld(p + 8 - w3) + ld(p + 8 + w3) + ld(q + 8)));
    }
  }
}

/** mgRelaxFine that also adds u·f per channel (after the update) to the f64s at d. */
export function mgRelaxFineDot(u: usize, f: usize, w: i32, spans: usize, nSpans: i32, parity: i32, d: usize): void {
  const w3 = <usize>w * 12;
  let d01 = f64x2.splat(0);
  let d2: f64 = 0;
  for (let s = 0; s < nSpans; s += 3) {
    const sp = spans + (<usize>s << 2);
    const y = load<i32>(sp);
    const row = y * w;
    const end = u + <usize>(row + load<i32>(sp, 8)) * 12;
    for (let p = u + <usize>(row + firstCell(load<i32>(sp, 4), y, parity)) * 12; p < end; p += 24) {
      const q = p - u + f;
      const f01 = ld2(q);
      const f2 = ld(q + 8);
      const v01 = f64x2.mul(sp2(0.25), f64x2.add(f64x2.add(f64x2.add(f64x2.add(ld2(p - 12), ld2(p + 12)), ld2(p - w3)), ld2(p + w3)), f01));
      const v2 = 0.25 * (ld(p - 4) + ld(p + 20) + ld(p + 8 - w3) + ld(p + 8 + w3) + f2);
      st2(p, v01);
      st(p + 8, v2);
      d01 = f64x2.add(d01, f64x2.mul(v01, f01));
      d2 += v2 * f2;
    }
  }
  store<f64>(d, load<f64>(d) + f64x2.extract_lane(d01, 0));
  store<f64>(d, load<f64>(d, 8) + f64x2.extract_lane(d01, 1), 8);
  store<f64>(d, load<f64>(d, 16) + d2, 16);
}

/** Gauss-Seidel sweep of one colour on a coarse level, with its Galerkin weights wx, wy, inv (f32 per cell). */
export function mgRelaxCoarse(u: usize, f: usize, w: i32, spans: usize, nSpans: i32, wx: usize, wy: usize, inv: usize, parity: i32): void {
  const w3 = <usize>w * 12;
  const w1 = <usize>w << 2;
  for (let s = 0; s < nSpans; s += 3) {
    const sp = spans + (<usize>s << 2);
    const y = load<i32>(sp);
    const row = y * w;
    const end = row + load<i32>(sp, 8);
    for (let i = row + firstCell(load<i32>(sp, 4), y, parity); i < end; i += 2) {
      const p = u + <usize>i * 12;
      const q = f + <usize>i * 12;
      const c4 = <usize>i << 2;
      const a = ld(wx + c4 - 4);
      const b = ld(wx + c4);
      const c = ld(wy + c4 - w1);
      const d = ld(wy + c4);
      const t = ld(inv + c4);
      st2(
        p,
        f64x2.mul(
          sp2(t),
          f64x2.add(
            f64x2.add(f64x2.add(f64x2.add(ld2(q), f64x2.mul(sp2(a), ld2(p - 12))), f64x2.mul(sp2(b), ld2(p + 12))), f64x2.mul(sp2(c), ld2(p - w3))),
            f64x2.mul(sp2(d), ld2(p + w3)),
          ),
        ),
      );
      st(p + 8, t * (ld(q + 8) + a * ld(p - 4) + b * ld(p + 20) + c * ld(p + 8 - w3) + d * ld(p + 8 + w3)));
    }
  }
}

/** Red cells from u = 0: u = f / diagonal (0.25 on the finest level, inv below). */
export function mgInitRed(u: usize, f: usize, w: i32, spans: usize, nSpans: i32, inv: usize, fine: bool): void {
  for (let s = 0; s < nSpans; s += 3) {
    const sp = spans + (<usize>s << 2);
    const y = load<i32>(sp);
    const row = y * w;
    const end = row + load<i32>(sp, 8);
    for (let i = row + firstCell(load<i32>(sp, 4), y, 0); i < end; i += 2) {
      const p = u + <usize>i * 12;
      const q = f + <usize>i * 12;
      const t: f64 = fine ? 0.25 : ld(inv + (<usize>i << 2));
      st2(p, f64x2.mul(sp2(t), ld2(q)));
      st(p + 8, t * ld(q + 8));
    }
  }
}

/** Adds the residual f − A u of the red cells to their parents' right-hand side kf. */
export function mgRestrictRed(u: usize, f: usize, w: i32, spans: usize, nSpans: i32, wx: usize, wy: usize, diag: usize, kf: usize, fine: bool): void {
  const w3 = <usize>w * 12;
  const w1 = <usize>w << 2;
  for (let s = 0; s < nSpans; s += 3) {
    const sp = spans + (<usize>s << 2);
    const y = load<i32>(sp);
    const row = y * w;
    const x = firstCell(load<i32>(sp, 4), y, 0);
    const end = row + load<i32>(sp, 8);
    let pc = kf + parentByte(x, y, w);
    for (let i = row + x; i < end; i += 2, pc += 12) {
      const p = u + <usize>i * 12;
      const q = f + <usize>i * 12;
      if (fine) {
        st2(
          pc,
          f64x2.add(
            ld2(pc),
            f64x2.add(
              f64x2.add(f64x2.add(f64x2.add(f64x2.sub(ld2(q), f64x2.mul(sp2(4), ld2(p))), ld2(p - 12)), ld2(p + 12)), ld2(p - w3)),
              ld2(p + w3),
            ),
          ),
        );
        st(pc + 8, ld(pc + 8) + (ld(q + 8) - 4 * ld(p + 8) + ld(p - 4) + ld(p + 20) + ld(p + 8 - w3) + ld(p + 8 + w3)));
      } else {
        const c4 = <usize>i << 2;
        const a = ld(wx + c4 - 4);
        const b = ld(wx + c4);
        const c = ld(wy + c4 - w1);
        const d = ld(wy + c4);
        const g = ld(diag + c4);
        const t01 = f64x2.add(
          f64x2.add(
            f64x2.add(f64x2.add(f64x2.sub(ld2(q), f64x2.mul(sp2(g), ld2(p))), f64x2.mul(sp2(a), ld2(p - 12))), f64x2.mul(sp2(b), ld2(p + 12))),
            f64x2.mul(sp2(c), ld2(p - w3)),
          ),
          f64x2.mul(sp2(d), ld2(p + w3)),
        );
        st2(pc, f64x2.add(ld2(pc), t01));
        st(pc + 8, ld(pc + 8) + (ld(q + 8) - g * ld(p + 8) + a * ld(p - 4) + b * ld(p + 20) + c * ld(p + 8 - w3) + d * ld(p + 8 + w3)));
      }
    }
  }
}

/** Adds alpha × the parent's correction ku to every red cell. */
export function mgProlongRed(u: usize, w: i32, spans: usize, nSpans: i32, ku: usize, alpha: f64): void {
  for (let s = 0; s < nSpans; s += 3) {
    const sp = spans + (<usize>s << 2);
    const y = load<i32>(sp);
    const row = y * w;
    const x = firstCell(load<i32>(sp, 4), y, 0);
    const end = u + <usize>(row + load<i32>(sp, 8)) * 12;
    let pc = ku + parentByte(x, y, w);
    for (let p = u + <usize>(row + x) * 12; p < end; p += 24, pc += 12) {
      st2(p, f64x2.add(ld2(p), f64x2.mul(sp2(alpha), ld2(pc))));
      st(p + 8, ld(p + 8) + alpha * ld(pc + 8));
    }
  }
}

/**
 * The pre-smoothing and restriction of the finest level's fused V-cycle: black cells
 * u = f/4 + (Σ f of neighbours)/16, then the red residuals (the sums of the black
 * neighbours) added to the parents' kf (the caller zeroes kf).
 */
export function mgFineCyclePre(u: usize, f: usize, w: i32, spans: usize, nSpans: i32, kf: usize): void {
  const w3 = <usize>w * 12;
  for (let s = 0; s < nSpans; s += 3) {
    const sp = spans + (<usize>s << 2);
    const y = load<i32>(sp);
    const row = y * w;
    const end = f + <usize>(row + load<i32>(sp, 8)) * 12;
    for (let q = f + <usize>(row + firstCell(load<i32>(sp, 4), y, 1)) * 12; q < end; q += 24) {
      const p = q - f + u;
      st2(p, f64x2.add(f64x2.mul(sp2(0.25), ld2(q)), f64x2.mul(sp2(0.0625), f64x2.add(f64x2.add(f64x2.add(ld2(q - 12), ld2(q + 12)), ld2(q - w3)), ld2(q + w3)))));
      st(p + 8, 0.25 * ld(q + 8) + 0.0625 * (ld(q - 4) + ld(q + 20) + ld(q + 8 - w3) + ld(q + 8 + w3)));
    }
  }
  for (let s = 0; s < nSpans; s += 3) {
    const sp = spans + (<usize>s << 2);
    const y = load<i32>(sp);
    const row = y * w;
    const x = firstCell(load<i32>(sp, 4), y, 0);
    const end = u + <usize>(row + load<i32>(sp, 8)) * 12;
    let pc = kf + parentByte(x, y, w);
    for (let p = u + <usize>(row + x) * 12; p < end; p += 24, pc += 12) {
      st2(pc, f64x2.add(ld2(pc), f64x2.add(f64x2.add(f64x2.add(ld2(p - 12), ld2(p + 12)), ld2(p - w3)), ld2(p + w3))));
      st(pc + 8, ld(pc + 8) + (ld(p - 4) + ld(p + 20) + ld(p + 8 - w3) + ld(p + 8 + w3)));
    }
  }
}

/** The post-smoothing of the fused V-cycle: red cells u = f/4 + alpha × the parent's correction. */
export function mgFineCyclePost(u: usize, f: usize, w: i32, spans: usize, nSpans: i32, ku: usize, alpha: f64): void {
  for (let s = 0; s < nSpans; s += 3) {
    const sp = spans + (<usize>s << 2);
    const y = load<i32>(sp);
    const row = y * w;
    const x = firstCell(load<i32>(sp, 4), y, 0);
    const end = u + <usize>(row + load<i32>(sp, 8)) * 12;
    let pc = ku + parentByte(x, y, w);
    for (let p = u + <usize>(row + x) * 12; p < end; p += 24, pc += 12) {
      const q = p - u + f;
      st2(p, f64x2.add(f64x2.mul(sp2(0.25), ld2(q)), f64x2.mul(sp2(alpha), ld2(pc))));
      st(p + 8, 0.25 * ld(q + 8) + alpha * ld(pc + 8));
    }
  }
}

/**
 * PCG, black cells: v = A z, d += z·v (d: 3 f64s, holding the red part on entry),
 * p = z + βp, q = v + βq.
 */
export function pcgBlack(z: usize, p: usize, q: usize, w: i32, spans: usize, nSpans: i32, be0: f64, be1: f64, be2: f64, d: usize): void {
  const w3 = <usize>w * 12;
  let d01 = f64x2(load<f64>(d), load<f64>(d, 8));
  let d2 = load<f64>(d, 16);
  const be01 = f64x2(be0, be1);
  for (let s = 0; s < nSpans; s += 3) {
    const sp = spans + (<usize>s << 2);
    const y = load<i32>(sp);
    const row = y * w;
    const x0 = load<i32>(sp, 4);
    const end = <usize>(row + load<i32>(sp, 8)) * 12;
    for (let o = <usize>(row + x0 + ((x0 + y + 1) & 1)) * 12; o < end; o += 24) {
      const zp = z + o;
      const z01 = ld2(zp);
      const z2 = ld(zp + 8);
      const v01 = f64x2.sub(f64x2.sub(f64x2.sub(f64x2.sub(f64x2.mul(sp2(4), z01), ld2(zp - 12)), ld2(zp + 12)), ld2(zp - w3)), ld2(zp + w3));
      const v2 = 4 * z2 - ld(zp - 4) - ld(zp + 20) - ld(zp + 8 - w3) - ld(zp + 8 + w3);
      d01 = f64x2.add(d01, f64x2.mul(z01, v01));
      d2 += z2 * v2;
      const pp = p + o;
      const qq = q + o;
      st2(pp, f64x2.add(z01, f64x2.mul(be01, ld2(pp))));
      st(pp + 8, z2 + be2 * ld(pp + 8));
      st2(qq, f64x2.add(v01, f64x2.mul(be01, ld2(qq))));
      st(qq + 8, v2 + be2 * ld(qq + 8));
    }
  }
  store<f64>(d, f64x2.extract_lane(d01, 0));
  store<f64>(d, f64x2.extract_lane(d01, 1), 8);
  store<f64>(d, d2, 16);
}

/**
 * PCG, every unknown: x += αp, r −= αq (red cells first get p = z + βp, q = r + βq);
 * writes r·r per channel to the 3 f64s at rr.
 */
export function pcgUpdate(
  x: usize,
  r: usize,
  p: usize,
  q: usize,
  z: usize,
  w: i32,
  spans: usize,
  nSpans: i32,
  be0: f64,
  be1: f64,
  be2: f64,
  a0: f64,
  a1: f64,
  a2: f64,
  rr: usize,
): void {
  let rr01 = f64x2.splat(0);
  let rr2: f64 = 0;
  const be01 = f64x2(be0, be1);
  const a01 = f64x2(a0, a1);
  for (let s = 0; s < nSpans; s += 3) {
    const sp = spans + (<usize>s << 2);
    const y = load<i32>(sp);
    const row = y * w;
    const x0 = load<i32>(sp, 4);
    const end = <usize>(row + load<i32>(sp, 8)) * 12;
    let red = ((x0 + y) & 1) == 0;
    for (let o = <usize>(row + x0) * 12; o < end; o += 12, red = !red) {
      const rp = r + o;
      const pp = p + o;
      const qp = q + o;
      const r01 = ld2(rp);
      const r2 = ld(rp + 8);
      let p01: v128, q01: v128, p2: f64, q2: f64;
      if (red) {
        const zp = z + o;
        p01 = f64x2.add(ld2(zp), f64x2.mul(be01, ld2(pp)));
        p2 = ld(zp + 8) + be2 * ld(pp + 8);
        q01 = f64x2.add(r01, f64x2.mul(be01, ld2(qp)));
        q2 = r2 + be2 * ld(qp + 8);
        st2(pp, p01);
        st(pp + 8, p2);
        st2(qp, q01);
        st(qp + 8, q2);
      } else {
        p01 = ld2(pp);
        p2 = ld(pp + 8);
        q01 = ld2(qp);
        q2 = ld(qp + 8);
      }
      const xp = x + o;
      st2(xp, f64x2.add(ld2(xp), f64x2.mul(a01, p01)));
      st(xp + 8, ld(xp + 8) + a2 * p2);
      const v01 = f64x2.sub(r01, f64x2.mul(a01, q01));
      const v2 = r2 - a2 * q2;
      st2(rp, v01);
      st(rp + 8, v2);
      rr01 = f64x2.add(rr01, f64x2.mul(v01, v01));
      rr2 += v2 * v2;
    }
  }
  store<f64>(rr, f64x2.extract_lane(rr01, 0));
  store<f64>(rr, f64x2.extract_lane(rr01, 1), 8);
  store<f64>(rr, rr2, 16);
}

// ---- Setup of a solve (the scalar twins are buildSpans and coarsen in multigrid.ts,
// boundaryData, the ‖b‖² loop of pcg and writeResult in poisson.ts). ----

/**
 * Row runs of unknowns (type 1) of a w x h grid, rows 1..h−2, as (y, x0, x1) i32 triples at
 * spans; writes the run count ×3 and the unknown count to the two i32s at out.
 */
export function mgBuildSpans(type: usize, w: i32, h: i32, spans: usize, out: usize): void {
  let ns = 0;
  let n = 0;
  for (let y = 1; y < h - 1; y++) {
    const row = type + <usize>(y * w);
    let x = 1;
    while (x < w - 1) {
      if (load<u8>(row + <usize>x) != 1) {
        x++;
        continue;
      }
      const x0 = x;
      while (load<u8>(row + <usize>x) == 1) x++;
      const sp = spans + (<usize>ns << 2);
      store<i32>(sp, y);
      store<i32>(sp, x0, 4);
      store<i32>(sp, x, 8);
      ns += 3;
      n += x - x0;
    }
  }
  store<i32>(out, ns);
  store<i32>(out, n, 4);
}

/**
 * The next coarser level by 2x2 aggregation (see coarsen in multigrid.ts): fills its type,
 * wx, wy, diag (cw x ch cells), its spans (counts at out, as mgBuildSpans) and inv on its
 * unknowns. fx, fy, fd: the finer level's weights (unused when fine: unit edges, diagonal 4).
 */
export function mgCoarsen(
  type: usize,
  spans: usize,
  nSpans: i32,
  w: i32,
  fx: usize,
  fy: usize,
  fd: usize,
  fine: bool,
  gt: usize,
  gx: usize,
  gy: usize,
  gd: usize,
  ginv: usize,
  gspans: usize,
  cw: i32,
  ch: i32,
  out: usize,
): void {
  const cn = <usize>(cw * ch);
  memory.fill(gt, 0, cn);
  memory.fill(gx, 0, cn << 2);
  memory.fill(gy, 0, cn << 2);
  memory.fill(gd, 0, cn << 2);
  for (let s = 0; s < nSpans; s += 3) {
    const sp = spans + (<usize>s << 2);
    const y = load<i32>(sp);
    const row = y * w;
    const prow = ((y + 1) >> 1) * cw;
    const yOdd = (y & 1) == 1;
    const x1 = load<i32>(sp, 8);
    for (let x = load<i32>(sp, 4); x < x1; x++) {
      const i = row + x;
      const P = <usize>(prow + ((x + 1) >> 1));
      store<u8>(gt + P, 1);
      const c4 = <usize>i << 2;
      const ex: f64 = fine ? (load<u8>(type + <usize>i + 1) == 1 ? 1 : 0) : ld(fx + c4);
      const ey: f64 = fine ? (load<u8>(type + <usize>(i + w)) == 1 ? 1 : 0) : ld(fy + c4);
      let dg = ld(gd + (P << 2)) + (fine ? 4 : ld(fd + c4));
      if ((x & 1) == 1) dg -= 2 * ex;
      else st(gx + (P << 2), ld(gx + (P << 2)) + ex);
      if (yOdd) dg -= 2 * ey;
      else st(gy + (P << 2), ld(gy + (P << 2)) + ey);
      st(gd + (P << 2), dg);
    }
  }
  mgBuildSpans(gt, cw, ch, gspans, out);
  const gns = load<i32>(out);
  for (let s = 0; s < gns; s += 3) {
    const sp = gspans + (<usize>s << 2);
    const row = load<i32>(sp) * cw;
    const end = row + load<i32>(sp, 8);
    for (let i = row + load<i32>(sp, 4); i < end; i++) st(ginv + (<usize>i << 2), 1 / ld(gd + (<usize>i << 2)));
  }
}

/**
 * Right-hand side of one channel group of a uint8 blend (see boundaryData in poisson.ts):
 * b = 0 on all w x h cells, then for every unknown and every fixed 4-neighbour,
 * b += bg − fg at that neighbour, channels c0 .. c0 + kc of the W-wide, C-channel images
 * (grid cell (gx, gy) = pixel (gx + ox, gy + oy)).
 */
export function poissonBoundaryU8(
  type: usize,
  spans: usize,
  nSpans: i32,
  w: i32,
  h: i32,
  b: usize,
  bg: usize,
  fg: usize,
  W: i32,
  C: i32,
  c0: i32,
  kc: i32,
  ox: i32,
  oy: i32,
): void {
  memory.fill(b, 0, <usize>(w * h * 12));
  const up = W * C;
  for (let s = 0; s < nSpans; s += 3) {
    const sp = spans + (<usize>s << 2);
    const gy = load<i32>(sp);
    const g1 = gy * w + load<i32>(sp, 8);
    const gx0 = load<i32>(sp, 4);
    let o = ((gy + oy) * W + gx0 + ox) * C + c0;
    for (let i = gy * w + gx0; i < g1; i++, o += C) {
      const bo = b + <usize>i * 12;
      if (load<u8>(type + <usize>(i - 1)) != 1) addDiffU8(bo, bg, fg, o - C, kc);
      if (load<u8>(type + <usize>(i + 1)) != 1) addDiffU8(bo, bg, fg, o + C, kc);
      if (load<u8>(type + <usize>(i - w)) != 1) addDiffU8(bo, bg, fg, o - up, kc);
      if (load<u8>(type + <usize>(i + w)) != 1) addDiffU8(bo, bg, fg, o + up, kc);
    }
  }
}

// @ts-ignore: decorator
@inline
function addDiffU8(bo: usize, bg: usize, fg: usize, o: i32, kc: i32): void {
  for (let k = 0; k < kc; k++) {
    const p = <usize>(o + k);
    st(bo + (<usize>k << 2), ld(bo + (<usize>k << 2)) + (<f64>load<u8>(bg + p) - <f64>load<u8>(fg + p)));
  }
}

/** Σ b² per channel over the unknowns (the spans), in row order, into the 3 f64s at out. */
export function pcgNorms(b: usize, w: i32, spans: usize, nSpans: i32, out: usize): void {
  let s01 = f64x2.splat(0);
  let s2: f64 = 0;
  for (let s = 0; s < nSpans; s += 3) {
    const sp = spans + (<usize>s << 2);
    const row = load<i32>(sp) * w;
    const end = b + <usize>(row + load<i32>(sp, 8)) * 12;
    for (let p = b + <usize>(row + load<i32>(sp, 4)) * 12; p < end; p += 12) {
      const v = ld2(p);
      s01 = f64x2.add(s01, f64x2.mul(v, v));
      const v2 = ld(p + 8);
      s2 += v2 * v2;
    }
  }
  store<f64>(out, f64x2.extract_lane(s01, 0));
  store<f64>(out, f64x2.extract_lane(s01, 1), 8);
  store<f64>(out, s2, 16);
}

/**
 * out = fg + x on the unknowns, rounded half up and clamped to uint8 (see writeResult in
 * poisson.ts), channels c0 .. c0 + kc of the W-wide, C-channel images.
 */
export function poissonWriteU8(x: usize, fg: usize, out: usize, w: i32, spans: usize, nSpans: i32, W: i32, C: i32, c0: i32, kc: i32, ox: i32, oy: i32): void {
  for (let s = 0; s < nSpans; s += 3) {
    const sp = spans + (<usize>s << 2);
    const gy = load<i32>(sp);
    const gx0 = load<i32>(sp, 4);
    const g1 = gy * w + load<i32>(sp, 8);
    let o = ((gy + oy) * W + gx0 + ox) * C + c0;
    for (let i = gy * w + gx0; i < g1; i++, o += C) {
      for (let k = 0; k < kc; k++) {
        const v = <f64>load<u8>(fg + <usize>(o + k)) + ld(x + <usize>i * 12 + (<usize>k << 2));
        store<u8>(out + <usize>(o + k), v < -0.5 ? 0 : v >= 254.5 ? 255 : <i32>(v + 0.5));
      }
    }
  }
}
