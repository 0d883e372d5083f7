import { createImage, createRng, type Image } from '@caddm/image';
import { describe, expect, it } from 'vitest';
import { MfsArgumentError, MfsShapeError } from './errors.js';
import { PoissonSolver, poissonBlend } from './poisson.js';

function smoothImage(h: number, w: number, c: number, seed: number, dtype: 'float64' | 'uint8' = 'float64'): Image {
  const rng = createRng(seed);
  const img = createImage(h, w, c, dtype);
  const fx = rng.uniform(5, 30);
  const fy = rng.uniform(5, 30);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let k = 0; k < c; k++) {
        img.data[(y * w + x) * c + k] = 120 + 90 * Math.sin(x / fx + k) * Math.cos(y / fy - k) + rng.uniform(-20, 20);
      }
    }
  }
  return img;
}

/** A convex pentagon or a non-convex (two-disc) mask. */
function makeMask(h: number, w: number, kind: 'pentagon' | 'blob', dtype: 'uint8' | 'float32' = 'uint8'): Image {
  const m = createImage(h, w, 1, dtype);
  const on = dtype === 'uint8' ? 255 : 1;
  const pts = [[0.27, 0.22], [0.71, 0.22], [0.76, 0.67], [0.5, 0.85], [0.22, 0.67]].map(([x, y]) => [x * w, y * h]);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let inside = true;
      if (kind === 'pentagon') {
        for (let i = 0; i < 5; i++) {
          const [x0, y0] = pts[i];
          const [x1, y1] = pts[(i + 1) % 5];
          if ((x1 - x0) * (y - y0) - (y1 - y0) * (x - x0) < 0) inside = false;
        }
      } else {
        inside = Math.hypot(x - 0.35 * w, y - 0.4 * h) < 0.22 * w || Math.hypot(x - 0.65 * w, y - 0.6 * h) < 0.18 * w;
      }
      if (inside) m.data[y * w + x] = on;
    }
  }
  return m;
}

const inside = (m: Image, i: number, w: number, h: number): boolean => {
  const x = i % w;
  const y = (i - x) / w;
  return m.data[i] >= (m.data instanceof Uint8Array ? 128 : 0.5) && x > 0 && y > 0 && x < w - 1 && y < h - 1;
};

describe('poissonBlend', () => {
  it.each(['pentagon', 'blob'] as const)('is harmonic in the correction inside a %s mask and equals the background outside', (kind) => {
    const h = 96;
    const w = 112;
    const bg = smoothImage(h, w, 3, 1);
    const fg = smoothImage(h, w, 3, 2);
    const mask = makeMask(h, w, kind);
    const r = poissonBlend(bg, fg, mask, { tolerance: 1e-6 });
    expect(r.converged).toBe(true);
    expect(r.residual).toBeLessThanOrEqual(1e-6);
    expect(r.iterations).toBeLessThan(20);
    expect(r.unknowns).toBeGreaterThan(1000);
    let worst = 0;
    let outsideDiff = 0;
    for (let i = 0; i < h * w; i++) {
      for (let k = 0; k < 3; k++) {
        const v = (j: number): number => r.image.data[j * 3 + k] - fg.data[j * 3 + k];
        if (inside(mask, i, w, h)) {
          // Δ(result − fg) = 0: the result's Laplacian is the foreground's (the guidance field).
          const lap = 4 * v(i) - v(i - 1) - v(i + 1) - v(i - w) - v(i + w);
          worst = Math.max(worst, Math.abs(lap));
        } else {
          outsideDiff = Math.max(outsideDiff, Math.abs(r.image.data[i * 3 + k] - bg.data[i * 3 + k]));
        }
      }
    }
    expect(outsideDiff).toBe(0);
    expect(worst).toBeLessThan(2e-3);
  });

  it('matches a dense direct solve on a small problem', () => {
    const h = 9;
    const w = 10;
    const bg = smoothImage(h, w, 1, 3);
    const fg = smoothImage(h, w, 1, 4);
    const mask = createImage(h, w, 1);
    const cells: number[] = [];
    for (let y = 2; y < 8; y++) for (let x = 1; x < 8; x++) if ((x + 2 * y) % 7 !== 0) mask.data[y * w + x] = 255;
    for (let i = 0; i < h * w; i++) if (inside(mask, i, w, h)) cells.push(i);
    // Dense system for f on the unknowns: 4 f_i − Σ_{j unknown} f_j = Σ_j (fg_i − fg_j) + Σ_{j fixed} bg_j.
    const n = cells.length;
    const A = Array.from({ length: n }, () => new Float64Array(n + 1));
    cells.forEach((i, r) => {
      A[r][r] = 4;
      for (const j of [i - 1, i + 1, i - w, i + w]) {
        A[r][n] += fg.data[i] - fg.data[j];
        const c = cells.indexOf(j);
        if (c >= 0) A[r][c] -= 1;
        else A[r][n] += bg.data[j];
      }
    });
    for (let c = 0; c < n; c++) {
      for (let r = c + 1; r < n; r++) {
        const f = A[r][c] / A[c][c];
        for (let k = c; k <= n; k++) A[r][k] -= f * A[c][k];
      }
    }
    const sol = new Float64Array(n);
    for (let r = n - 1; r >= 0; r--) {
      let s = A[r][n];
      for (let k = r + 1; k < n; k++) s -= A[r][k] * sol[k];
      sol[r] = s / A[r][r];
    }
    const res = poissonBlend(bg, fg, mask, { tolerance: 1e-7 });
    cells.forEach((i, r) => expect(res.image.data[i]).toBeCloseTo(sol[r], 3));
  });

  it('solves masks too small for a coarse level (one level, at most 16 unknowns) to the tolerance', () => {
    const bg = smoothImage(12, 12, 3, 16);
    const fg = smoothImage(12, 12, 3, 17);
    for (const side of [1, 3, 4]) {
      const mask = createImage(12, 12, 1);
      for (let y = 3; y < 3 + side; y++) for (let x = 5; x < 5 + side; x++) mask.data[y * 12 + x] = 255;
      const r = poissonBlend(bg, fg, mask, { tolerance: 1e-6 });
      expect(r.unknowns).toBe(side * side);
      expect(r.converged).toBe(true);
      expect(r.iterations).toBeLessThan(10);
      for (let i = 0; i < 144; i++) {
        if (!inside(mask, i, 12, 12)) continue;
        for (let k = 0; k < 3; k++) {
          const v = (j: number): number => r.image.data[j * 3 + k] - fg.data[j * 3 + k];
          expect(Math.abs(4 * v(i) - v(i - 1) - v(i + 1) - v(i - 12) - v(i + 12))).toBeLessThan(1e-3);
        }
      }
    }
  });

  it('reproduces the background when the foreground differs from it by a constant', () => {
    const bg = smoothImage(64, 64, 3, 5);
    const fg = createImage(64, 64, 3, 'float64');
    for (let i = 0; i < fg.data.length; i++) fg.data[i] = bg.data[i] + 37;
    const r = poissonBlend(bg, fg, makeMask(64, 64, 'blob'), { tolerance: 1e-6 });
    let d = 0;
    for (let i = 0; i < bg.data.length; i++) d = Math.max(d, Math.abs(r.image.data[i] - bg.data[i]));
    expect(d).toBeLessThan(5e-3);
  });

  it('handles uint8 images, 1 and 4 channels, float masks, empty and full masks, and a preallocated output', () => {
    const solver = new PoissonSolver();
    for (const c of [1, 3, 4]) {
      const bg = smoothImage(50, 60, c, 6, 'uint8');
      const fg = smoothImage(50, 60, c, 7, 'uint8');
      const r = solver.blend(bg, fg, makeMask(50, 60, 'pentagon', 'float32'));
      expect(r.converged).toBe(true);
      expect(r.image.data).toBeInstanceOf(Uint8Array);
      expect(r.image.shape).toEqual([50, 60, c]);
    }
    const bg = smoothImage(40, 40, 3, 8, 'uint8');
    const fg = smoothImage(40, 40, 3, 9, 'uint8');
    const empty = solver.blend(bg, fg, createImage(40, 40, 1));
    expect(empty.unknowns).toBe(0);
    expect(Array.from(empty.image.data)).toEqual(Array.from(bg.data));
    const full = createImage(40, 40, 1);
    full.data.fill(255);
    const out = createImage(40, 40, 3);
    const r = solver.blend(bg, fg, full, { out });
    expect(r.image).toBe(out);
    expect(r.unknowns).toBe(38 * 38);
    // The image border keeps the background.
    for (let x = 0; x < 40; x++) expect(out.data[x * 3]).toBe(bg.data[x * 3]);
  });

  it('gives the same answer when a solver is reused for other masks and sizes', () => {
    const bg = smoothImage(120, 130, 3, 12, 'uint8');
    const fg = smoothImage(120, 130, 3, 13, 'uint8');
    const small = makeMask(120, 130, 'pentagon');
    const solver = new PoissonSolver();
    solver.blend(smoothImage(200, 210, 3, 14, 'uint8'), smoothImage(200, 210, 3, 15, 'uint8'), makeMask(200, 210, 'blob'));
    const full = createImage(120, 130, 1);
    full.data.fill(255);
    solver.blend(bg, fg, full);
    const reused = solver.blend(bg, fg, small);
    const fresh = new PoissonSolver().blend(bg, fg, small);
    expect(reused.iterations).toBe(fresh.iterations);
    expect(Buffer.from(reused.image.data).equals(Buffer.from(fresh.image.data))).toBe(true);
  });

  it('reaches the default tolerance in a few iterations on the baseline pentagon at 224', () => {
    const bg = smoothImage(224, 224, 3, 10, 'uint8');
    const fg = smoothImage(224, 224, 3, 11, 'uint8');
    const r = poissonBlend(bg, fg, makeMask(224, 224, 'pentagon'));
    expect(r.residual).toBeLessThanOrEqual(1e-3);
    expect(r.iterations).toBeLessThanOrEqual(6);
  });

  it('rejects mismatched inputs and bad options', () => {
    const a = createImage(10, 10, 3);
    expect(() => poissonBlend(a, createImage(10, 11, 3), createImage(10, 10, 1))).toThrow(MfsShapeError);
    expect(() => poissonBlend(a, createImage(10, 10, 1), createImage(10, 10, 1))).toThrow(MfsShapeError);
    expect(() => poissonBlend(a, a, createImage(9, 10, 1))).toThrow(MfsShapeError);
    expect(() => poissonBlend(a, a, createImage(10, 10, 1), { tolerance: 0 })).toThrow(MfsArgumentError);
    expect(() => poissonBlend(a, a, createImage(10, 10, 1), { maxIterations: 0 })).toThrow(MfsArgumentError);
    expect(() => poissonBlend(a, a, createImage(10, 10, 1), { out: createImage(10, 10, 1) })).toThrow(MfsShapeError);
  });
});

describe('PoissonSolver on the wasm kernels', () => {
  // (skipped only when the kernels are switched off on purpose)
  it.skipIf(process.env.CADDM_SIMD === '0')('gives bit-identical results to the scalar loops (same arithmetic), over sizes, masks, dtypes and channel counts', async () => {
    const { simdStatus } = await import('@caddm/simd');
    expect(simdStatus().available).toBe(true);
    const fast = new PoissonSolver();
    const slow = new PoissonSolver({ simd: false });
    const cases: Array<[number, number, number, 'pentagon' | 'blob', 'uint8' | 'float64']> = [
      [64, 80, 3, 'pentagon', 'uint8'],
      [97, 61, 3, 'blob', 'uint8'],
      [40, 40, 1, 'blob', 'float64'],
      [50, 70, 4, 'pentagon', 'float64'],
      // uint8 with two channel groups (3 + 1) and with one channel: the wasm setup's group handling.
      [50, 70, 4, 'blob', 'uint8'],
      [33, 29, 1, 'pentagon', 'uint8'],
      // Smaller than one coarse level, then larger again: the scratch is laid out per solve.
      [9, 12, 3, 'pentagon', 'uint8'],
      [120, 100, 3, 'blob', 'uint8'],
    ];
    let seed = 1;
    for (const [h, w, c, kind, dtype] of cases) {
      const bg = smoothImage(h, w, c, seed++, dtype);
      const fg = smoothImage(h, w, c, seed++, dtype);
      const mask = makeMask(h, w, kind);
      const a = fast.blend(bg, fg, mask, { tolerance: 1e-4 });
      const b = slow.blend(bg, fg, mask, { tolerance: 1e-4 });
      expect(a.iterations).toBe(b.iterations);
      expect(a.residual).toBe(b.residual);
      expect(Array.from(a.image.data)).toEqual(Array.from(b.image.data));
    }
  });
});
