import { templateLandmarks } from '@caddm/face';
import { createRng, elasticDisplacement, gaussianBlur, remap, resize, warpAffine, wrapImage, type Image } from '@caddm/image';
import { describe, expect, it } from 'vitest';
import {
  affineMatrices,
  assertFaceHull,
  blendMask,
  deformMask,
  elasticField,
  HULL_TYPES,
  hullMask,
  sampleAffine,
  sampleBlendMask,
  SBI_DEFAULTS,
  SbiMaskError,
  type BlendMaskParams,
} from './index.js';
import { foreheadArc } from '@caddm/face';
import fixture from './__fixtures__/lfw-landmarks.json' with { type: 'json' };
import { firstMismatch, same } from './__fixtures__/arrays.js';

const H = 160;
const W = 144;
const lm = templateLandmarks(72, 86, 80, 8);
// real landmarks (face-api on an LFW photo, 250x250): the synthetic template is so regular that
// dfl_full, components and facehull coincide on it
const real = Float32Array.from(Object.values(fixture.faces)[0]);

const count = (m: ArrayLike<number>): number => {
  let n = 0;
  for (let i = 0; i < m.length; i++) if (m[i]) n++;
  return n;
};
const subset = (a: Uint8Array, b: Uint8Array): boolean => a.every((v, i) => !v || b[i] === 1);

describe('hull masks (Face X-ray shapes)', () => {
  it('draws 0/1 masks; the part unions (dfl_full, components) lie inside the hull of all 68 points, extended differs', () => {
    const masks = Object.fromEntries(HULL_TYPES.map((t) => [t, hullMask(250, 250, real, t)]));
    for (const t of HULL_TYPES) {
      expect(count(masks[t])).toBeGreaterThan(1000);
      expect(masks[t].every((v) => v === 0 || v === 1)).toBe(true);
    }
    expect(subset(masks.dfl_full, masks.facehull)).toBe(true);
    expect(subset(masks.components, masks.facehull)).toBe(true);
    // on frontal faces the part unions usually fill the whole hull; extended moves the brows
    expect(same(masks.extended, masks.components)).toBe(false);
    expect(subset(masks.extended, masks.facehull)).toBe(false);
  });

  it('extended pushes the brows up: it reaches rows above the 68-point hull; the forehead enlarges facehull', () => {
    const top = (m: Uint8Array): number => Math.floor(m.findIndex((v) => v === 1) / W);
    const face = hullMask(H, W, lm, 'facehull');
    expect(top(hullMask(H, W, lm, 'extended'))).toBeLessThan(top(face));
    const withForehead = new Float32Array(136 + 26);
    withForehead.set(lm);
    withForehead.set(foreheadArc(lm), 136);
    const big = hullMask(H, W, withForehead, 'facehull');
    expect(subset(face, big)).toBe(true);
    expect(count(big)).toBeGreaterThan(count(face) * 1.2);
    // other shapes ignore the extra points
    expect(firstMismatch(hullMask(H, W, withForehead, 'dfl_full'), hullMask(H, W, lm, 'dfl_full'))).toBeNull();
  });

  it('rejects degenerate hulls and shapes outside the image', () => {
    const line = new Float32Array(136);
    for (let i = 0; i < 68; i++) [line[2 * i], line[2 * i + 1]] = [10 + i, 20 + 2 * i];
    expect(() => assertFaceHull(line)).toThrow(SbiMaskError);
    expect(() => assertFaceHull(new Float32Array(136).fill(5))).toThrow(/degenerate/);
    expect(() => assertFaceHull(lm)).not.toThrow();
    const away = lm.map((v) => v - 500);
    expect(() => hullMask(H, W, away, 'facehull')).toThrow(SbiMaskError);
  });
});

describe('mask deformation', () => {
  it('equals a nearest affine warp (zero border) followed by a nearest elastic remap (reflect-101)', () => {
    const rng = createRng(21);
    const hull = hullMask(H, W, lm, 'components');
    const p = sampleAffine(rng, W, H, { ...SBI_DEFAULTS.stg, translateX: [-0.2, 0.2], scale: [0.8, 1.2] });
    const { forward, inverse } = affineMatrices(p, W, H);
    const field = elasticField(H, W, 50, 7, rng);
    const ours = deformMask(hull, H, W, inverse, field);
    const warped = warpAffine(wrapImage(hull, H, W, 1), forward, W, H, { interpolation: 'nearest' });
    const mx = new Float64Array(H * W);
    const my = new Float64Array(H * W);
    for (let y = 0, i = 0; y < H; y++) for (let x = 0; x < W; x++, i++) [mx[i], my[i]] = [x + field.dx[i], y + field.dy[i]];
    const ref = remap(warped, mx, my, W, H, { interpolation: 'nearest', border: 'reflect101' });
    expect(firstMismatch(ours, ref.data)).toBeNull();
    expect(same(ours, hull)).toBe(false);
  });

  it('the affine is about the image centre ((W-1)/2, (H-1)/2) and its inverse undoes it', () => {
    const p = { scaleX: 1.05, scaleY: 0.95, tx: 3, ty: -2 };
    const { forward: f, inverse: g } = affineMatrices(p, W, H);
    const c = [(W - 1) / 2, (H - 1) / 2];
    expect(f[0] * c[0] + f[1] * c[1] + f[2]).toBeCloseTo(c[0] + 3, 12);
    expect(f[3] * c[0] + f[4] * c[1] + f[5]).toBeCloseTo(c[1] - 2, 12);
    for (const [x, y] of [
      [0, 0],
      [17, 99],
    ]) {
      const u = f[0] * x + f[1] * y + f[2];
      const v = f[3] * x + f[4] * y + f[5];
      expect(g[0] * u + g[1] * v + g[2]).toBeCloseTo(x, 10);
      expect(g[3] * u + g[4] * v + g[5]).toBeCloseTo(y, 10);
    }
  });
});

describe('elastic field (recursive Gaussian)', () => {
  const stats = (d: ArrayLike<number>, h: number, w: number, lag: number): { std: number; corr: number } => {
    let s = 0;
    let s2 = 0;
    let c = 0;
    let n = 0;
    for (let i = 0; i < h * w; i++) [s, s2] = [s + d[i], s2 + d[i] * d[i]];
    const mean = s / (h * w);
    const v = s2 / (h * w) - mean * mean;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x + lag < w; x++, n++) c += (d[y * w + x] - mean) * (d[y * w + x + lag] - mean);
    }
    return { std: Math.sqrt(v), corr: c / n / v };
  };

  it('has the variance and correlation length of the exact scipy-Gaussian field', () => {
    const [h, w] = [192, 192];
    const ours = { std: 0, corr: 0 };
    const exact = { std: 0, corr: 0 };
    const runs = 6;
    for (let r = 0; r < runs; r++) {
      const f = elasticField(h, w, 50, 7, createRng(100 + r));
      const e = elasticDisplacement(h, w, { alpha: 50, sigma: 7, seed: 200 + r });
      for (const [acc, d] of [
        [ours, f.dx],
        [ours, f.dy],
        [exact, e.dx],
        [exact, e.dy],
      ] as const) {
        const s = stats(d, h, w, 7);
        acc.std += s.std / (2 * runs);
        acc.corr += s.corr / (2 * runs);
      }
    }
    // exact: std ≈ 50 · (1/√3) / (2√π · 7) ≈ 1.16 px; lag-σ correlation ≈ exp(-1/4)
    expect(exact.std).toBeGreaterThan(0.9);
    expect(ours.std / exact.std).toBeGreaterThan(0.9);
    expect(ours.std / exact.std).toBeLessThan(1.1);
    expect(Math.abs(ours.corr - exact.corr)).toBeLessThan(0.06);
  });

  it('is deterministic for a seed and scales with alpha', () => {
    const a = elasticField(40, 50, 50, 7, createRng(3));
    const b = elasticField(40, 50, 100, 7, createRng(3));
    expect(Array.from(b.dx, (v, i) => v / 2 - a.dx[i]).every((d) => Math.abs(d) < 1e-5)).toBe(true);
    expect(firstMismatch(elasticField(40, 50, 50, 7, createRng(3)).dy, a.dy)).toBeNull();
    expect(same(a.dx, a.dy)).toBe(false);
  });
});

/** SBI's get_blend_mask written plainly with @caddm/image's OpenCV-style operations. */
function naiveBlendMask(mask: Uint8Array, h: number, w: number, p: BlendMaskParams): Float32Array {
  const [sw, sh] = p.size;
  const f = wrapImage(Float64Array.from(mask), h, w, 1);
  let m: Image = resize(f, sw, sh);
  m = gaussianBlur(m, p.erodeKernel, 0);
  let max = Math.max(...m.data);
  for (let i = 0; i < m.data.length; i++) m.data[i] = m.data[i] / max >= 1 - 1e-9 ? 1 : 0; // OpenCV: == max, up to float noise
  m = gaussianBlur(m, p.blurKernel, p.blurSigma);
  max = Math.max(...m.data);
  for (let i = 0; i < m.data.length; i++) m.data[i] /= max;
  return Float32Array.from(resize(m, w, h).data);
}

describe('blend mask (get_blend_mask)', () => {
  it('equals resize, Gaussian, keep-the-maximum, Gaussian, normalise, resize back', () => {
    const rng = createRng(5);
    for (const type of HULL_TYPES) {
      const hull = hullMask(H, W, lm, type);
      const p = sampleBlendMask(rng, SBI_DEFAULTS.mask);
      const ours = blendMask(hull, H, W, p);
      const ref = naiveBlendMask(hull, H, W, p);
      let maxDiff = 0;
      for (let i = 0; i < ours.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ours[i] - ref[i]));
      expect(maxDiff, `${type} ${JSON.stringify(p)}`).toBeLessThan(1e-4);
      expect(Math.max(...ours)).toBeGreaterThan(0.99);
    }
  });

  it('keeps the reference`s behaviour when no window is fully covered (a hull thinner than the kernel)', () => {
    const thin = new Uint8Array(H * W);
    for (let y = 40; y < 120; y++) for (let x = 70; x < 76; x++) thin[y * W + x] = 1; // 6 px wide
    const p: BlendMaskParams = { size: [W, H], erodeKernel: 25, blurKernel: 9, blurSigma: 6 };
    const ours = blendMask(thin, H, W, p);
    const ref = naiveBlendMask(thin, H, W, p);
    let maxDiff = 0;
    for (let i = 0; i < ours.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ours[i] - ref[i]));
    expect(maxDiff).toBeLessThan(1e-4);
    expect(count(ours)).toBeGreaterThan(0);
  });

  it('stays within the hull dilated by the blur radius, and reaches 1 only inside the hull', () => {
    const hull = hullMask(H, W, lm, 'dfl_full');
    const p: BlendMaskParams = { size: [200, 230], erodeKernel: 11, blurKernel: 15, blurSigma: 9 };
    const m = blendMask(hull, H, W, p);
    const reach = Math.ceil((p.blurKernel >> 1) * Math.max(W / p.size[0], H / p.size[1])) + 2;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const v = m[y * W + x];
        if (v === 0) continue;
        let near = false;
        for (let dy = -reach; dy <= reach && !near; dy++) {
          for (let dx = -reach; dx <= reach && !near; dx++) {
            const yy = y + dy;
            const xx = x + dx;
            near = yy >= 0 && yy < H && xx >= 0 && xx < W && hull[yy * W + xx] === 1;
          }
        }
        if (!near) expect.fail(`mask ${v} at (${x}, ${y}) is more than ${reach} px from the hull`);
        if (v >= 1 - 1e-6 && hull[y * W + x] !== 1) expect.fail(`full weight at (${x}, ${y}) outside the hull`);
      }
    }
  });

  it('draws sizes, odd kernels and sigmas in SBI`s ranges', () => {
    const rng = createRng(9);
    const kernels = new Set<number>();
    const sizes = new Set<number>();
    const sigmas = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const p = sampleBlendMask(rng, SBI_DEFAULTS.mask);
      for (const s of p.size) sizes.add(s);
      kernels.add(p.erodeKernel).add(p.blurKernel);
      sigmas.add(p.blurSigma);
    }
    const span = (lo: number, hi: number, step = 1): number[] => Array.from({ length: (hi - lo) / step + 1 }, (_, i) => lo + step * i);
    expect([...sizes].sort((a, b) => a - b)).toEqual(span(192, 256));
    expect([...kernels].sort((a, b) => a - b)).toEqual(span(5, 25, 2));
    expect([...sigmas].sort((a, b) => a - b)).toEqual(span(5, 45));
  });

  it('fails with a typed error when the mask is empty', () => {
    const p: BlendMaskParams = { size: [200, 200], erodeKernel: 5, blurKernel: 5, blurSigma: 5 };
    expect(() => blendMask(new Uint8Array(H * W), H, W, p)).toThrow(SbiMaskError);
  });
});
