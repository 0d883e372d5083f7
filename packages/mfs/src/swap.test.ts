import { templateLandmarks } from '@caddm/face';
import { createImage, createRng, elasticDisplacement, saturateU8, type ImageU8 } from '@caddm/image';
import { dssimMap } from '@caddm/ssim';
import { describe, expect, it } from 'vitest';
import { ElasticWorkspace, elasticField, elasticMask } from './elastic.js';
import { MaskError, MfsArgumentError, MfsShapeError, WindowError } from './errors.js';
import { boxMask, faceCrop, hullMask, softenMask } from './mask.js';
import { globalSwap, hullDssim, partialSwap, SwapWorkspace } from './swap.js';
import { syntheticFrame } from './__fixtures__/faces.js';

describe('masks', () => {
  it('fills the convex hull with vertices truncated like the reference', () => {
    const m = hullMask(20, 20, [2.9, 2.9, 15.9, 2.2, 2.2, 15.7, 15.99, 15.99, 8, 8]);
    expect(m.shape).toEqual([20, 20, 1]);
    expect(m.get(2, 2, 0)).toBe(255);
    expect(m.get(15, 15, 0)).toBe(255);
    expect(m.get(16, 16, 0)).toBe(0); // 15.99 truncates to 15
    expect(m.get(1, 1, 0)).toBe(0);
    expect(m.get(8, 8, 0)).toBe(255);
  });

  it('throws typed errors for degenerate, off-image and non-finite hulls', () => {
    expect(() => hullMask(20, 20, [1, 1, 5, 5, 9, 9, 12, 12])).toThrow(MaskError); // collinear
    expect(() => hullMask(20, 20, [3, 3, 3, 3, 3, 3])).toThrow(MaskError); // coincident
    expect(() => hullMask(20, 20, [1, 1, 5, 5])).toThrow(MaskError); // too few
    expect(() => hullMask(20, 20, [30, 30, 40, 30, 35, 40])).toThrow(/outside/);
    expect(() => hullMask(20, 20, [1, 1, 5, Number.NaN, 9, 2])).toThrow(MfsArgumentError);
    // Partly outside is fine (clipped).
    expect(hullMask(20, 20, [-10, -10, 10, -10, 0, 10]).get(0, 0, 0)).toBe(255);
  });

  it('crops the landmark box x1.2 with the reference arithmetic', () => {
    // x: 10.7..110.2 -> 10..110, width trunc(120) = 120, left 10 - floor(100 * 0.19999999999999996 / 2) = 1;
    // y: 20.5..70.9 -> 20..70, height 60, top 20 - floor(4.999999999999998) = 16 (Python gives the same).
    const box = faceCrop([10.7, 20.5, 110.2, 20.5, 60, 70.9], 200, 200);
    expect(box).toEqual({ x0: 1, y0: 16, x1: 121, y1: 76 });
    // Clipped to the image.
    expect(faceCrop([0.5, 0.5, 50, 0.5, 25, 50], 40, 40)).toEqual({ x0: 0, y0: 0, x1: 40, y1: 40 });
    expect(() => faceCrop([300, 300, 310, 300, 305, 310], 40, 40)).toThrow(MaskError);
  });

  it('blurs like cv2.GaussianBlur 5x5 sigma 3 (uint8) and fills boxes', () => {
    const m = boxMask(9, 9, { x0: 4, y0: 4, x1: 5, y1: 5 });
    expect(m.get(4, 4, 0)).toBe(255);
    expect(m.get(4, 5, 0)).toBe(0);
    const s = softenMask(m);
    // 1-D kernel for 5 taps sigma 3: [0.1784, 0.2104, 0.2224, 0.2104, 0.1784]; centre 255*0.2224² = 12.6.
    expect(s.get(4, 4, 0)).toBe(13);
    expect(s.get(2, 2, 0)).toBe(8);
    expect(s.get(1, 1, 0)).toBe(0);
  });
});

describe('elastic masks', () => {
  it('matches the exact Gaussian field statistics (fast coarse-grid approximation)', () => {
    const ws = new ElasticWorkspace();
    const sigma = 0.08 * 224;
    const std = (a: ArrayLike<number>): number => {
      let s = 0;
      let q = 0;
      for (let i = 0; i < a.length; i++) {
        s += a[i];
        q += a[i] * a[i];
      }
      return Math.sqrt(q / a.length - (s / a.length) ** 2);
    };
    // Correlation at a horizontal lag; exp(-1/4) = 0.78 at lag sigma for Gaussian-smoothed white noise.
    const corr = (a: ArrayLike<number>, lag: number): number => {
      let sab = 0;
      let saa = 0;
      for (let y = 0; y < 224; y++) {
        for (let x = 0; x + lag < 224; x++) {
          sab += a[y * 224 + x] * a[y * 224 + x + lag];
          saa += a[y * 224 + x] * a[y * 224 + x];
        }
      }
      return sab / saa;
    };
    // One field has only ~(224/18)² independent patches: average a few.
    const seeds = [1, 2, 3, 4, 5, 6];
    const lag = Math.round(sigma);
    let sf = 0;
    let se = 0;
    let cf = 0;
    let ce = 0;
    for (const seed of seeds) {
      const fast = elasticField(224, 224, { alpha: 1, sigma, rng: createRng(seed) }, ws).dx;
      sf += std(fast) / seeds.length;
      cf += corr(fast, lag) / seeds.length;
      const exact = elasticDisplacement(224, 224, { alpha: 1, sigma, rng: createRng(seed) }).dx;
      se += std(exact) / seeds.length;
      ce += corr(exact, lag) / seeds.length;
    }
    expect(sf / se).toBeGreaterThan(0.85);
    expect(sf / se).toBeLessThan(1.18);
    expect(Math.abs(cf - ce)).toBeLessThan(0.1);
    expect(Math.abs(ce - Math.exp(-0.25))).toBeLessThan(0.1);
  });

  it('deforms a hull mask reproducibly, keeping most of its area', () => {
    const lm = templateLandmarks(112, 112, 120);
    const m = hullMask(224, 224, lm);
    const a = elasticMask(m, { alpha: 400, sigma: 17.9, rng: createRng(3) });
    const b = elasticMask(m, { alpha: 400, sigma: 17.9, rng: createRng(3) });
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    let before = 0;
    let after = 0;
    let changed = 0;
    for (let i = 0; i < m.data.length; i++) {
      before += m.data[i] / 255;
      after += a.data[i] / 255;
      if (Math.abs(a.data[i] - m.data[i]) > 127) changed++;
    }
    expect(changed).toBeGreaterThan(50);
    expect(Math.abs(after - before) / before).toBeLessThan(0.1);
    const ex = elasticMask(m, { alpha: 400, sigma: 17.9, rng: createRng(3), mode: 'exact' });
    expect(ex.shape).toEqual([224, 224, 1]);
    expect(() => elasticMask(m, { alpha: 400, sigma: 0, rng: createRng(3) })).toThrow(MfsArgumentError);
  });
});

describe('elasticMask (fast) is the bilinear resampling of elasticField', () => {
  it('equals sampling the mask at (x + dx, y + dy) of the same field, zero outside, for every pixel', () => {
    for (const [seed, alpha, cx, soft] of [[5, 450, 112, 0], [6, 300, 40, 0], [7, 500, 200, 0], [8, 400, 112, 1]]) {
      const m = hullMask(224, 224, templateLandmarks(cx, 112, 140));
      if (soft) {
        // Soft edges, a hole and a stray pixel: rows that are neither empty nor all 255 inside their run.
        m.data.set(softenMask(m).data);
        for (let y = 100; y < 110; y++) m.data.fill(0, y * 224 + 100, y * 224 + 120);
        m.data[3 * 224 + 3] = 90;
      }
      const got = elasticMask(m, { alpha, sigma: 17.92, rng: createRng(seed) });
      const { dx, dy } = elasticField(224, 224, { alpha, sigma: 17.92, rng: createRng(seed) });
      const at = (x: number, y: number): number => (x >= 0 && x < 224 && y >= 0 && y < 224 ? m.data[y * 224 + x] : 0);
      let diff = 0;
      for (let y = 0; y < 224; y++) {
        for (let x = 0; x < 224; x++) {
          const i = y * 224 + x;
          const sx = x + dx[i];
          const sy = y + dy[i];
          const xi = Math.floor(sx);
          const yi = Math.floor(sy);
          const fx = sx - xi;
          const fy = sy - yi;
          const v = (1 - fx) * (1 - fy) * at(xi, yi) + fx * (1 - fy) * at(xi + 1, yi) + (1 - fx) * fy * at(xi, yi + 1) + fx * fy * at(xi + 1, yi + 1);
          if (got.data[i] !== saturateU8(v)) diff++;
        }
      }
      expect(diff).toBe(0);
    }
  });
});

function aligned(seed: number): { img: ImageU8; lm: Float32Array } {
  const f = syntheticFrame(seed, 224, 224, { cx: 112, cy: 105, size: 130, rotation: 0 });
  return { img: f.image, lm: f.landmarks };
}

describe('globalSwap', () => {
  it('pastes the foreground inside the hull with alpha blending; the box is the whole canvas', () => {
    const { img: bg, lm } = aligned(1);
    const { img: fg } = aligned(2);
    const r = globalSwap(bg, fg, lm, { blend: 'alpha' });
    expect(r.box).toEqual({ x0: 0, y0: 0, x1: 224, y1: 224 });
    const at = (im: ImageU8, x: number, y: number): number[] => [0, 1, 2].map((k) => im.data[(y * 224 + x) * 3 + k]);
    // Nose bridge: well inside -> foreground; a corner -> background.
    expect(at(r.image, Math.round(lm[54]), Math.round(lm[55]))).toEqual(at(fg, Math.round(lm[54]), Math.round(lm[55])));
    expect(at(r.image, 3, 3)).toEqual(at(bg, 3, 3));
    expect(r.poisson).toBeUndefined();
  });

  it('keeps the background outside the hull with Poisson blending and reports convergence', () => {
    const { img: bg, lm } = aligned(3);
    const { img: fg } = aligned(4);
    const r = globalSwap(bg, fg, lm, { blend: 'poisson' });
    expect(r.poisson?.converged).toBe(true);
    let outsideDiff = 0;
    for (let i = 0; i < 224 * 224; i++) {
      if (r.mask.data[i] >= 128) continue;
      for (let k = 0; k < 3; k++) outsideDiff = Math.max(outsideDiff, Math.abs(r.image.data[i * 3 + k] - bg.data[i * 3 + k]));
    }
    expect(outsideDiff).toBe(0);
  });

  it('rejects mismatched canvases', () => {
    const { img, lm } = aligned(1);
    expect(() => globalSwap(img, createImage(224, 200, 3), lm)).toThrow(MfsShapeError);
    expect(() => globalSwap(img, createImage(224, 224, 3, 'float32') as unknown as ImageU8, lm)).toThrow(MfsShapeError);
  });
});

describe('partialSwap', () => {
  it('finds the window over the changed region, blends only there, and reports canvas boxes', () => {
    const { img: src, lm } = aligned(5);
    const fake = createImage(224, 224, 3);
    fake.data.set(src.data);
    // The "fake" differs from the source in a textured patch around the left eye.
    const rng = createRng(9);
    for (let y = 70; y < 110; y++) for (let x = 50; x < 110; x++) for (let k = 0; k < 3; k++) fake.data[(y * 224 + x) * 3 + k] = rng.int(0, 255);
    const r = partialSwap(src, fake, lm, { window: [40, 80], blend: 'alpha' });
    expect(r.accepted).toBe(true);
    if (!r.accepted) return;
    expect(r.box.x1 - r.box.x0).toBe(80);
    expect(r.box.y1 - r.box.y0).toBe(40);
    // The window covers most of the patch (its DSSIM, inside the hull).
    const ix = Math.min(r.box.x1, 110) - Math.max(r.box.x0, 50);
    const iy = Math.min(r.box.y1, 110) - Math.max(r.box.y0, 70);
    expect(ix * iy).toBeGreaterThan(0.6 * 40 * 60);
    // Exactly where: the 40x80 window of largest DSSIM over the crop (brute force, first maximum
    // in row-major order), moved from crop to canvas coordinates.
    const crop = faceCrop(lm, 224, 224, 1.2);
    const d = hullDssim(fake, src, hullMask(224, 224, lm), crop);
    const [ch, cw] = d.shape;
    let best = -Infinity;
    let at = [0, 0];
    for (let y = 0; y + 40 <= ch; y++) {
      for (let x = 0; x + 80 <= cw; x++) {
        let sum = 0;
        for (let yy = y; yy < y + 40; yy++) for (let xx = x; xx < x + 80; xx++) for (let k = 0; k < 3; k++) sum += d.data[(yy * cw + xx) * 3 + k];
        if (sum > best * (1 + 1e-12)) [best, at] = [sum, [y, x]];
      }
    }
    expect(r.box).toEqual({ x0: at[1] + crop.x0, y0: at[0] + crop.y0, x1: at[1] + crop.x0 + 80, y1: at[0] + crop.y0 + 40 });
    expect(r.changed).toBeGreaterThan(40 * 40 * 3);
    // Far from the box the result is the source.
    expect(r.image.data[(200 * 224 + 200) * 3]).toBe(src.data[(200 * 224 + 200) * 3]);
    // The reference grid answer is a grid position.
    const g = partialSwap(src, fake, lm, { window: [40, 80], windowMode: 'reference', blend: 'poisson' });
    expect(g.accepted).toBe(true);
    if (g.accepted) {
      expect(g.poisson?.converged).toBe(true);
      const ch = r.crop.y1 - r.crop.y0;
      expect((g.box.y0 - g.crop.y0) % Math.floor(ch / 5)).toBe(0);
    }
  });

  it('rejects (like the reference) when fake and source are identical, never with a NaN box', () => {
    const { img, lm } = aligned(6);
    for (const windowMode of ['exact', 'reference'] as const) {
      const r = partialSwap(img, img, lm, { window: [80, 120], windowMode });
      expect(r.accepted).toBe(false);
      if (!r.accepted) {
        expect(r.reason).toMatch(/partial swap/);
        expect(r.changed).toBe(0);
        for (const v of Object.values(r.box)) expect(Number.isFinite(v)).toBe(true);
      }
    }
  });

  it('slides a window larger than the face crop over the canvas, and rejects windows larger than the canvas', () => {
    const small = templateLandmarks(112, 112, 50);
    const { img: src } = aligned(7);
    const { img: fake } = aligned(8);
    const r = partialSwap(src, fake, small, { window: [120, 160], blend: 'alpha' });
    expect(r.box.x1 - r.box.x0).toBe(160);
    expect(r.box.y1 - r.box.y0).toBe(120);
    expect(r.box.x0).toBeGreaterThanOrEqual(0);
    expect(r.box.x1).toBeLessThanOrEqual(224);
    expect(() => partialSwap(src, fake, small, { window: [230, 100] })).toThrow(WindowError);
    expect(() => partialSwap(src, fake, small, { window: [0, 100] })).toThrow(MfsArgumentError);
  });
});

describe('hullDssim', () => {
  it('equals dssimMap over the whole crop with the outside of the hull zeroed, with or without reused buffers', () => {
    const ws = new SwapWorkspace();
    for (const [cx, cy, size] of [[112, 105, 130], [60, 40, 150], [112, 112, 60]]) {
      const { img: a } = aligned(20);
      const { img: b } = aligned(21);
      const lm = templateLandmarks(cx, cy, size);
      const hull = hullMask(224, 224, lm);
      const crop = faceCrop(lm, 224, 224);
      const fast = hullDssim(a, b, hull, crop);
      const full = dssimMap(a.hi(crop.y1, crop.x1, 3).lo(crop.y0, crop.x0, 0), b.hi(crop.y1, crop.x1, 3).lo(crop.y0, crop.x0, 0));
      const cw = crop.x1 - crop.x0;
      let worst = 0;
      for (let i = 0; i < full.data.length; i++) {
        const p = (i - (i % 3)) / 3;
        const x = p % cw;
        const y = (p - x) / cw;
        const want = hull.data[(y + crop.y0) * 224 + x + crop.x0] ? full.data[i] : 0;
        worst = Math.max(worst, Math.abs(fast.data[i] - want));
      }
      expect(worst).toBe(0);
      expect(Array.from(hullDssim(a, b, hull, crop, ws).data)).toEqual(Array.from(fast.data));
    }
  });
});
