import ndarray from 'ndarray';
import { readFileSync } from 'node:fs';
import { requireShared } from '@caddm/testkit';
import { describe, expect, it } from 'vitest';
import {
  ImageShapeError,
  createImage,
  createRng,
  filter2D,
  getGaussianKernel,
  wrapImage,
  type Image,
} from '@caddm/image';
import { createSsimScratch, dssimMap, ssimMap } from './map.js';
import { ssim } from './scalar.js';

// the golden fixtures of the shared folder (../shared/golden beside the repository, or $CADDM_SHARED/golden)
const GOLDEN = requireShared('golden/dssim.json');
const haveGolden = GOLDEN !== undefined;

interface DssimGolden {
  shape: [number, number, number];
  a: number[];
  b: number[];
  dssim: number[];
  skimage_ssim_rgb: number;
  skimage_ssim_gray: number;
}

function load(): { g: DssimGolden; a: Image; b: Image } {
  const g = JSON.parse(readFileSync(GOLDEN as string, 'utf8')) as DssimGolden;
  const [h, w, c] = g.shape;
  return { g, a: wrapImage(Uint8Array.from(g.a), h, w, c), b: wrapImage(Uint8Array.from(g.b), h, w, c) };
}

function randomU8(h: number, w: number, c: number, seed: number): Image<Uint8Array> {
  const rng = createRng(seed);
  const img = createImage(h, w, c);
  for (let i = 0; i < img.data.length; i++) img.data[i] = rng.int(0, 256);
  return img;
}

/** The reference's formula, written out with the generic 2-D filter (independent of the fused code). */
function referenceSsim(a: Image, b: Image, win = 11, sigma = 1.5): Float64Array {
  const k = getGaussianKernel(win, sigma);
  const w2 = new Float64Array(win * win);
  for (let i = 0; i < win; i++) for (let j = 0; j < win; j++) w2[i * win + j] = k[i] * k[j];
  const f = (img: Image) => filter2D(img, w2, win, win, { dtype: 'float64' }).data;
  const prod = (x: Image, y: Image) => {
    const out = createImage(x.shape[0], x.shape[1], x.shape[2], 'float64');
    for (let i = 0; i < out.data.length; i++) out.data[i] = x.data[i] * y.data[i];
    return out;
  };
  const m1 = f(a);
  const m2 = f(b);
  const e11 = f(prod(a, a));
  const e22 = f(prod(b, b));
  const e12 = f(prod(a, b));
  const C1 = (0.01 * 255) ** 2;
  const C2 = (0.03 * 255) ** 2;
  const out = new Float64Array(m1.length);
  for (let i = 0; i < out.length; i++) {
    const s11 = e11[i] - m1[i] * m1[i];
    const s22 = e22[i] - m2[i] * m2[i];
    const s12 = e12[i] - m1[i] * m2[i];
    out[i] = ((2 * m1[i] * m2[i] + C1) * (2 * s12 + C2)) / ((m1[i] ** 2 + m2[i] ** 2 + C1) * (s11 + s22 + C2));
  }
  return out;
}

describe.skipIf(!haveGolden)('golden: reference cal_dssim and scikit-image', () => {
  it('dssimMap reproduces every value of dssim.json to 1e-5', () => {
    const { g, a, b } = load();
    const d = dssimMap(a, b);
    expect(d.shape).toEqual(g.shape);
    expect(g.dssim.length).toBe(d.data.length);
    let worst = 0;
    for (let i = 0; i < g.dssim.length; i++) worst = Math.max(worst, Math.abs(d.data[i] - g.dssim[i]));
    expect(worst).toBeLessThan(1e-5);
    expect(worst).toBeLessThan(1e-9); // in fact float64-exact up to summation order
  });

  it('ssim(skimage) matches skimage_ssim_rgb', () => {
    const { g, a, b } = load();
    expect(Math.abs(ssim(a, b) - g.skimage_ssim_rgb)).toBeLessThan(1e-4);
    expect(ssim(a, b)).toBeCloseTo(g.skimage_ssim_rgb, 9);
  });

  it('ssim(skimage, gray) matches skimage_ssim_gray (OpenCV RGB2GRAY grey)', () => {
    const { g, a, b } = load();
    expect(ssim(a, b, { gray: true })).toBeCloseTo(g.skimage_ssim_gray, 9);
  });

  it('float inputs give the same map as uint8 inputs', () => {
    const { g, a, b } = load();
    const af = wrapImage(Float32Array.from(a.data), ...g.shape);
    const bf = wrapImage(Float64Array.from(b.data), ...g.shape);
    const d = dssimMap(af, bf);
    for (let i = 0; i < g.dssim.length; i += 7) expect(d.data[i]).toBeCloseTo(g.dssim[i], 9);
  });
});

describe('ssimMap / dssimMap', () => {
  it('agree with the formula written out with the generic 2-D filter (reflect-101 border)', () => {
    for (const [h, w, c, seed] of [[13, 17, 3, 1], [11, 11, 1, 2], [4, 6, 2, 3], [1, 9, 1, 4], [30, 3, 3, 5]] as const) {
      const a = randomU8(h, w, c, seed);
      const b = randomU8(h, w, c, seed + 100);
      const ref = referenceSsim(a, b);
      const m = ssimMap(a, b);
      const d = dssimMap(a, b);
      for (let i = 0; i < ref.length; i++) {
        expect(m.data[i]).toBeCloseTo(ref[i], 10);
        expect(d.data[i]).toBeCloseTo(Math.abs((1 - ref[i]) / 2), 10);
      }
    }
  });

  it('other window sizes (generic path) agree with the 2-D filter formula', () => {
    for (const [win, sigma] of [[7, 1.0], [3, 0.8], [13, 2.0]] as const) {
      const a = randomU8(15, 12, 3, 20 + win);
      const b = randomU8(15, 12, 3, 40 + win);
      const ref = referenceSsim(a, b, win, sigma);
      const m = ssimMap(a, b, { windowSize: win, sigma });
      for (let i = 0; i < ref.length; i++) expect(m.data[i]).toBeCloseTo(ref[i], 10);
    }
  });

  it('is 1 (dssim 0) for identical images and in range otherwise', () => {
    const a = randomU8(20, 24, 3, 5);
    const m = ssimMap(a, a);
    for (const v of m.data) expect(v).toBeCloseTo(1, 12);
    const d = dssimMap(a, randomU8(20, 24, 3, 6));
    for (const v of d.data) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
    expect(Math.max(...d.data)).toBeGreaterThan(0.1);
  });

  it('is symmetric', () => {
    const a = randomU8(16, 16, 3, 7);
    const b = randomU8(16, 16, 3, 8);
    const ab = dssimMap(a, b).data;
    const ba = dssimMap(b, a).data;
    for (let i = 0; i < ab.length; i++) expect(ab[i]).toBeCloseTo(ba[i], 12);
  });

  it('localises a change: dssim is zero away from an altered patch (beyond the window radius)', () => {
    const a = randomU8(40, 40, 3, 9);
    const b = wrapImage(a.data.slice(), 40, 40, 3);
    for (let y = 15; y < 20; y++) for (let x = 15; x < 20; x++) for (let k = 0; k < 3; k++) b.set(y, x, k, 255 - a.get(y, x, k));
    const d = dssimMap(a, b);
    expect(d.get(17, 17, 0)).toBeGreaterThan(0.05);
    expect(d.get(17, 10, 1)).toBeGreaterThan(1e-6); // 5 px from the patch: inside the 11x11 window
    expect(d.get(17, 10, 1)).toBeLessThan(d.get(17, 17, 1));
    expect(d.get(17, 9, 1)).toBeLessThan(1e-12); // 6 px away: outside the window
    expect(d.get(30, 30, 2)).toBeLessThan(1e-12);
  });

  it('reuses out and scratch buffers and gives identical results', () => {
    const a = randomU8(12, 14, 3, 10);
    const b = randomU8(12, 14, 3, 11);
    const fresh = dssimMap(a, b);
    const out = createImage(12, 14, 3, 'float64');
    const scratch = createSsimScratch(12, 14, 3);
    expect(dssimMap(a, b, { out, scratch })).toBe(out);
    expect(Array.from(out.data)).toEqual(Array.from(fresh.data));
    dssimMap(b, a, { out, scratch });
    dssimMap(a, b, { out, scratch });
    expect(Array.from(out.data)).toEqual(Array.from(fresh.data));
  });

  it('rejects mismatched sizes, wrong scratch or out, and bad parameters', () => {
    const a = createImage(8, 8, 3);
    expect(() => dssimMap(a, createImage(8, 9, 3))).toThrow(ImageShapeError);
    expect(() => dssimMap(a, createImage(8, 8, 1))).toThrow(/8x8x3.*8x8x1/);
    expect(() => dssimMap(a, a, { scratch: createSsimScratch(8, 8, 1) })).toThrow(/scratch/);
    expect(() => dssimMap(a, a, { out: createImage(8, 8, 3, 'float32') as never })).toThrow(/float64/);
    expect(() => dssimMap(a, a, { windowSize: 4 })).toThrow(/odd/);
    expect(() => dssimMap(a, a, { sigma: 0 })).toThrow(/sigma/);
  });
});

describe('non-finite pixels', () => {
  it('refuses a float image holding NaN or Infinity, naming where, instead of spreading it through the map', () => {
    const a = ndarray(new Float64Array(8 * 9 * 2).fill(100), [8, 9, 2]);
    const b = ndarray(new Float64Array(8 * 9 * 2).fill(90), [8, 9, 2]);
    expect(Array.from(dssimMap(a, b).data).every(Number.isFinite)).toBe(true);
    b.set(3, 4, 1, Number.NaN);
    expect(() => dssimMap(a, b)).toThrow('image b has a non-finite value NaN at row 3, column 4, channel 1; SSIM needs finite pixels');
    a.set(0, 2, 0, Number.POSITIVE_INFINITY);
    expect(() => ssimMap(a, b)).toThrow(/image a has a non-finite value Infinity at row 0, column 2, channel 0/);
  });
});

describe('ssim (scalar)', () => {
  it('is 1 for identical images, symmetric, and within [-1, 1]', () => {
    const a = randomU8(24, 24, 3, 12);
    const b = randomU8(24, 24, 3, 13);
    expect(ssim(a, a)).toBeCloseTo(1, 12);
    expect(ssim(a, b)).toBeCloseTo(ssim(b, a), 12);
    expect(ssim(a, b)).toBeGreaterThanOrEqual(-1);
    expect(ssim(a, b)).toBeLessThan(0.2); // independent noise is nearly uncorrelated
    expect(ssim(a, b, { mode: 'full' })).toBeLessThan(0.2);
  });

  it('skimage mode averages the map without a radius-wide border; full mode averages all of it', () => {
    const a = randomU8(30, 26, 2, 14);
    const b = randomU8(30, 26, 2, 15);
    for (let i = 0; i < 300; i++) b.data[i] = a.data[i]; // make the top rows agree: the border matters
    const m = ssimMap(a, b);
    const cropped = m.hi(25, 21, 2).lo(5, 5, 0);
    let inner = 0;
    let all = 0;
    for (let y = 0; y < 30; y++) for (let x = 0; x < 26; x++) for (let k = 0; k < 2; k++) all += m.get(y, x, k);
    for (let y = 0; y < 20; y++) for (let x = 0; x < 16; x++) for (let k = 0; k < 2; k++) inner += cropped.get(y, x, k);
    expect(ssim(a, b)).toBeCloseTo(inner / (20 * 16 * 2), 12);
    expect(ssim(a, b, { mode: 'full' })).toBeCloseTo(all / (30 * 26 * 2), 12);
    expect(ssim(a, b, { mode: 'full' })).not.toBeCloseTo(ssim(a, b), 3);
  });

  it('rejects images smaller than the window and gray on non-RGB input', () => {
    const small = createImage(10, 20, 3);
    expect(() => ssim(small, small)).toThrow(/smaller than the 11x11 window/);
    expect(() => ssim(createImage(20, 20, 1), createImage(20, 20, 1), { gray: true })).toThrow(/channel/);
    expect(() => ssim(createImage(20, 20, 3), createImage(20, 20, 3), { mode: 'x' as never })).toThrow(/mode/);
  });
});

describe('the SIMD kernel and the scalar sweep', () => {
  // (skipped only when the kernels are switched off on purpose)
  it.skipIf(process.env.CADDM_SIMD === '0')('agree: uint8 images (f64x2 WebAssembly kernel) and the same values as float64 (scalar sweep)', async () => {
    const { simdStatus } = await import('@caddm/simd');
    expect(simdStatus().available).toBe(true);
    const rng = createRng(77);
    const a = createImage(37, 29, 3);
    const b = createImage(37, 29, 3);
    for (let i = 0; i < a.data.length; i++) {
      a.data[i] = rng.int(0, 255);
      b.data[i] = rng.next() < 0.5 ? a.data[i] : rng.int(0, 255);
    }
    const f64 = (img: Image) => wrapImage(Float64Array.from(img.data), 37, 29, 3);
    for (const f of [dssimMap, ssimMap]) {
      const fast = f(a, b).data;
      const slow = f(f64(a), f64(b)).data;
      let err = 0;
      for (let i = 0; i < fast.length; i++) err = Math.max(err, Math.abs(fast[i] - slow[i]));
      expect(err).toBeLessThan(1e-12);
    }
    // A strided sub-view (rows of a larger image) takes the kernel too, without a copy.
    const subA = a.hi(30, 20, 3).lo(4, 5, 0);
    const subB = b.hi(30, 20, 3).lo(4, 5, 0);
    const fast = dssimMap(subA, subB).data;
    const slow = dssimMap(f64(a).hi(30, 20, 3).lo(4, 5, 0), f64(b).hi(30, 20, 3).lo(4, 5, 0)).data;
    let err = 0;
    for (let i = 0; i < fast.length; i++) err = Math.max(err, Math.abs(fast[i] - slow[i]));
    expect(err).toBeLessThan(1e-12);
  });
});
