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
