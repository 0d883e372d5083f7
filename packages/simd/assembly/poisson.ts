// The hot loops of @caddm/mfs's Poisson solver (multigrid-preconditioned CG), ported from
// packages/mfs/src/multigrid.ts and poisson.ts with the same arithmetic: float32 storage,
// float64 arithmetic (as JavaScript computes on Float32Array elements), so results are
// bit-identical to the scalar twins. Grids hold K = 3 interleaved channels per cell; unknowns
// are listed as row runs (spans: y, x0, x1 i32 triples). All arguments are byte offsets.

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
      st(p, 0.25 * (ld(p - 12) + ld(p + 12) + ld(p - w3) + ld(p + w3) + ld(q)));
      st(p + 4, 0.25 * (ld(p - 8) + ld(p + 16) + ld(p + 4 - w3) + ld(p + 4 + w3) + ld(q + 4)));
      st(p + 8, 0.25 * (ld(p - 4) + ld(p + 20) + ld(p + 8 - w3) + ld(p + 8 + w3) + ld(q + 8)));
    }
  }
}

/** mgRelaxFine that also adds u·f per channel (after the update) to the f64s at d. */
export function mgRelaxFineDot(u: usize, f: usize, w: i32, spans: usize, nSpans: i32, parity: i32, d: usize): void {
  const w3 = <usize>w * 12;
  let d0: f64 = 0;
  let d1: f64 = 0;
  let d2: f64 = 0;
  for (let s = 0; s < nSpans; s += 3) {
    const sp = spans + (<usize>s << 2);
    const y = load<i32>(sp);
    const row = y * w;
    const end = u + <usize>(row + load<i32>(sp, 8)) * 12;
    for (let p = u + <usize>(row + firstCell(load<i32>(sp, 4), y, parity)) * 12; p < end; p += 24) {
      const q = p - u + f;
      const f0 = ld(q);
      const f1 = ld(q + 4);
      const f2 = ld(q + 8);
      const v0 = 0.25 * (ld(p - 12) + ld(p + 12) + ld(p - w3) + ld(p + w3) + f0);
      const v1 = 0.25 * (ld(p - 8) + ld(p + 16) + ld(p + 4 - w3) + ld(p + 4 + w3) + f1);
      const v2 = 0.25 * (ld(p - 4) + ld(p + 20) + ld(p + 8 - w3) + ld(p + 8 + w3) + f2);
      st(p, v0);
      st(p + 4, v1);
      st(p + 8, v2);
      d0 += v0 * f0;
      d1 += v1 * f1;
      d2 += v2 * f2;
    }
  }
  store<f64>(d, load<f64>(d) + d0);
  store<f64>(d, load<f64>(d, 8) + d1, 8);
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
      st(p, t * (ld(q) + a * ld(p - 12) + b * ld(p + 12) + c * ld(p - w3) + d * ld(p + w3)));
      st(p + 4, t * (ld(q + 4) + a * ld(p - 8) + b * ld(p + 16) + c * ld(p + 4 - w3) + d * ld(p + 4 + w3)));
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
      st(p, t * ld(q));
      st(p + 4, t * ld(q + 4));
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
        st(pc, ld(pc) + (ld(q) - 4 * ld(p) + ld(p - 12) + ld(p + 12) + ld(p - w3) + ld(p + w3)));
        st(pc + 4, ld(pc + 4) + (ld(q + 4) - 4 * ld(p + 4) + ld(p - 8) + ld(p + 16) + ld(p + 4 - w3) + ld(p + 4 + w3)));
        st(pc + 8, ld(pc + 8) + (ld(q + 8) - 4 * ld(p + 8) + ld(p - 4) + ld(p + 20) + ld(p + 8 - w3) + ld(p + 8 + w3)));
      } else {
        const c4 = <usize>i << 2;
        const a = ld(wx + c4 - 4);
        const b = ld(wx + c4);
        const c = ld(wy + c4 - w1);
        const d = ld(wy + c4);
        const g = ld(diag + c4);
        st(pc, ld(pc) + (ld(q) - g * ld(p) + a * ld(p - 12) + b * ld(p + 12) + c * ld(p - w3) + d * ld(p + w3)));
        st(pc + 4, ld(pc + 4) + (ld(q + 4) - g * ld(p + 4) + a * ld(p - 8) + b * ld(p + 16) + c * ld(p + 4 - w3) + d * ld(p + 4 + w3)));
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
      st(p, ld(p) + alpha * ld(pc));
      st(p + 4, ld(p + 4) + alpha * ld(pc + 4));
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
      st(p, 0.25 * ld(q) + 0.0625 * (ld(q - 12) + ld(q + 12) + ld(q - w3) + ld(q + w3)));
      st(p + 4, 0.25 * ld(q + 4) + 0.0625 * (ld(q - 8) + ld(q + 16) + ld(q + 4 - w3) + ld(q + 4 + w3)));
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
      st(pc, ld(pc) + (ld(p - 12) + ld(p + 12) + ld(p - w3) + ld(p + w3)));
      st(pc + 4, ld(pc + 4) + (ld(p - 8) + ld(p + 16) + ld(p + 4 - w3) + ld(p + 4 + w3)));
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
      st(p, 0.25 * ld(q) + alpha * ld(pc));
      st(p + 4, 0.25 * ld(q + 4) + alpha * ld(pc + 4));
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
  let d0 = load<f64>(d);
  let d1 = load<f64>(d, 8);
  let d2 = load<f64>(d, 16);
  for (let s = 0; s < nSpans; s += 3) {
    const sp = spans + (<usize>s << 2);
    const y = load<i32>(sp);
    const row = y * w;
    const x0 = load<i32>(sp, 4);
    const end = <usize>(row + load<i32>(sp, 8)) * 12;
    for (let o = <usize>(row + x0 + ((x0 + y + 1) & 1)) * 12; o < end; o += 24) {
      const zp = z + o;
      const z0 = ld(zp);
      const z1 = ld(zp + 4);
      const z2 = ld(zp + 8);
      const v0 = 4 * z0 - ld(zp - 12) - ld(zp + 12) - ld(zp - w3) - ld(zp + w3);
      const v1 = 4 * z1 - ld(zp - 8) - ld(zp + 16) - ld(zp + 4 - w3) - ld(zp + 4 + w3);
      const v2 = 4 * z2 - ld(zp - 4) - ld(zp + 20) - ld(zp + 8 - w3) - ld(zp + 8 + w3);
      d0 += z0 * v0;
      d1 += z1 * v1;
      d2 += z2 * v2;
      const pp = p + o;
      const qq = q + o;
      st(pp, z0 + be0 * ld(pp));
      st(pp + 4, z1 + be1 * ld(pp + 4));
      st(pp + 8, z2 + be2 * ld(pp + 8));
      st(qq, v0 + be0 * ld(qq));
      st(qq + 4, v1 + be1 * ld(qq + 4));
      st(qq + 8, v2 + be2 * ld(qq + 8));
    }
  }
  store<f64>(d, d0);
  store<f64>(d, d1, 8);
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
  let rr0: f64 = 0;
  let rr1: f64 = 0;
  let rr2: f64 = 0;
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
      const r0 = ld(rp);
      const r1 = ld(rp + 4);
      const r2 = ld(rp + 8);
      let p0: f64, p1: f64, p2: f64, q0: f64, q1: f64, q2: f64;
      if (red) {
        const zp = z + o;
        p0 = ld(zp) + be0 * ld(pp);
        p1 = ld(zp + 4) + be1 * ld(pp + 4);
        p2 = ld(zp + 8) + be2 * ld(pp + 8);
        q0 = r0 + be0 * ld(qp);
        q1 = r1 + be1 * ld(qp + 4);
        q2 = r2 + be2 * ld(qp + 8);
        st(pp, p0);
        st(pp + 4, p1);
        st(pp + 8, p2);
        st(qp, q0);
        st(qp + 4, q1);
        st(qp + 8, q2);
      } else {
        p0 = ld(pp);
        p1 = ld(pp + 4);
        p2 = ld(pp + 8);
        q0 = ld(qp);
        q1 = ld(qp + 4);
        q2 = ld(qp + 8);
      }
      const xp = x + o;
      st(xp, ld(xp) + a0 * p0);
      st(xp + 4, ld(xp + 4) + a1 * p1);
      st(xp + 8, ld(xp + 8) + a2 * p2);
      const v0 = r0 - a0 * q0;
      const v1 = r1 - a1 * q1;
      const v2 = r2 - a2 * q2;
      st(rp, v0);
      st(rp + 4, v1);
      st(rp + 8, v2);
      rr0 += v0 * v0;
      rr1 += v1 * v1;
      rr2 += v2 * v2;
    }
  }
  store<f64>(rr, rr0);
  store<f64>(rr, rr1, 8);
  store<f64>(rr, rr2, 16);
}
