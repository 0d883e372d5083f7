import { describe, expect, it } from 'vitest';
import ndarray from 'ndarray';
import { createImage, saturateU8, wrapImage } from './image.js';
import { affineTo3x3, invert3x3, multiply3x3, transformPoints } from './matrix.js';
import { remap, warpAffine, warpPerspective, warpPerspectivePair } from './warp.js';
import { bilinearWeightsI16, opencvBlockWidth, perspectiveFixedU8 } from './warp-fixed.js';
import { ImageArgumentError, ImageShapeError } from './errors.js';
import { createRng } from './rng.js';

function randomImage(h: number, w: number, c: number, seed: number) {
  const img = createImage(h, w, c, 'float64');
  createRng(seed).fillUniform(img.data, 0, 255);
  return img;
}

describe('warpAffine', () => {
  it('identity reproduces the image exactly', () => {
    const img = randomImage(7, 9, 3, 1);
    const out = warpAffine(img, [1, 0, 0, 0, 1, 0], 9, 7);
    expect(Array.from(out.data)).toEqual(Array.from(img.data));
  });

  it('integer translation moves content and fills the border with 0 (or borderValue)', () => {
    const img = randomImage(6, 8, 1, 2);
    const out = warpAffine(img, [1, 0, 2, 0, 1, 1], 8, 6, { borderValue: 7 });
    for (let y = 0; y < 6; y++) {
      for (let x = 0; x < 8; x++) {
        const expected = x >= 2 && y >= 1 ? img.get(y - 1, x - 2, 0) : 7;
        expect(out.get(y, x, 0)).toBeCloseTo(expected, 12);
      }
    }
  });

  it('uses integer pixel centres: a half-pixel shift averages neighbours', () => {
    const img = wrapImage(Float64Array.of(0, 10, 20, 30), 1, 4, 1);
    const out = warpAffine(img, [1, 0, -0.5, 0, 1, 0], 4, 1, { border: 'replicate' });
    expect(Array.from(out.data)).toEqual([5, 15, 25, 30]);
    // with the default constant border, the last pixel blends with 0
    const out0 = warpAffine(img, [1, 0, -0.5, 0, 1, 0], 4, 1);
    expect(Array.from(out0.data)).toEqual([5, 15, 25, 15]);
  });

  it('rounds uint8 output and keeps the dtype', () => {
    const img = wrapImage(Uint8Array.of(0, 3), 1, 2, 1);
    const out = warpAffine(img, [1, 0, 0.5, 0, 1, 0], 2, 1, { border: 'replicate' });
    expect(out.data).toBeInstanceOf(Uint8Array);
    expect(Array.from(out.data)).toEqual([0, 2]); // 1.5 rounds half to even -> 2
  });

  it('scaling by 2 maps dst (x, y) to src (x/2, y/2)', () => {
    const img = randomImage(5, 5, 2, 3);
    const out = warpAffine(img, [2, 0, 0, 0, 2, 0], 9, 9);
    expect(out.get(4, 6, 1)).toBeCloseTo(img.get(2, 3, 1), 12);
    expect(out.get(3, 3, 0)).toBeCloseTo(
      (img.get(1, 1, 0) + img.get(1, 2, 0) + img.get(2, 1, 0) + img.get(2, 2, 0)) / 4,
      12,
    );
  });

  it('inverse: true takes a dst -> src matrix', () => {
    const img = randomImage(10, 12, 3, 4);
    const M = [0.9, 0.2, 1.5, -0.1, 1.1, -2];
    const inv = invert3x3(affineTo3x3(M));
    const a = warpAffine(img, M, 12, 10);
    const b = warpAffine(img, inv.subarray(0, 6), 12, 10, { inverse: true });
    for (let i = 0; i < a.data.length; i++) expect(b.data[i]).toBeCloseTo(a.data[i], 9);
  });

  it('accepts nested matrices and a preallocated out buffer', () => {
    const img = randomImage(4, 4, 3, 5);
    const out = createImage(4, 4, 3, 'float64');
    const r = warpAffine(img, [[1, 0, 1], [0, 1, 0]], 4, 4, { out });
    expect(r).toBe(out);
    expect(out.get(0, 1, 2)).toBeCloseTo(img.get(0, 0, 2), 12);
    expect(() => warpAffine(img, [1, 0, 0, 0, 1, 0], 5, 4, { out })).toThrow(ImageShapeError);
  });

  it('rejects singular and malformed matrices and bad sizes', () => {
    const img = createImage(3, 3, 1);
    expect(() => warpAffine(img, [1, 2, 0, 2, 4, 0], 3, 3)).toThrow(/singular/);
    expect(() => warpAffine(img, [1, 0, 0, 0, 1], 3, 3)).toThrow(ImageArgumentError);
    expect(() => warpAffine(img, [1, 0, NaN, 0, 1, 0], 3, 3)).toThrow(/non-finite/);
    expect(() => warpAffine(img, [1, 0, 0, 0, 1, 0], 0, 3)).toThrow(/positive/);
  });

  it('works on non-contiguous views', () => {
    const img = randomImage(6, 6, 3, 6);
    const view = img.hi(5, 5, 3).lo(1, 1, 0);
    const out = warpAffine(view, [1, 0, 0, 0, 1, 0], 4, 4);
    expect(out.get(2, 3, 1)).toBe(img.get(3, 4, 1));
  });
});

describe('warpPerspective', () => {
  it('equals warpAffine for an affine homography', () => {
    const img = randomImage(16, 20, 3, 7);
    const M = [1.1, 0.15, -3, -0.2, 0.95, 2.5];
    const a = warpAffine(img, M, 18, 14);
    const p = warpPerspective(img, affineTo3x3(M), 18, 14);
    for (let i = 0; i < a.data.length; i++) expect(p.data[i]).toBeCloseTo(a.data[i], 9);
  });

  it('puts the source pixel at H·p (with the perspective division)', () => {
    const img = createImage(40, 40, 1, 'float64');
    img.set(10, 12, 0, 100);
    const H = [1.05, 0.02, 3, 0.01, 0.98, -2, 0.0008, -0.0005, 1];
    const out = warpPerspective(img, H, 48, 48);
    const [[x, y]] = transformPoints(H, [[12, 10]]);
    // the peak of the bilinear splat lies within one pixel of (x, y)
    let best = -1;
    let bx = 0;
    let by = 0;
    for (let yy = 0; yy < 48; yy++) for (let xx = 0; xx < 48; xx++) {
      const v = out.get(yy, xx, 0);
      if (v > best) [best, bx, by] = [v, xx, yy];
    }
    expect(Math.abs(bx - x)).toBeLessThan(1);
    expect(Math.abs(by - y)).toBeLessThan(1);
    expect(best).toBeGreaterThan(20);
  });

  it('composes: warping by A then B equals warping by B·A (up to interpolation)', () => {
    const img = randomImage(20, 20, 1, 8);
    const A = [1, 0, 2, 0, 1, 3, 0, 0, 1];
    const B = [1, 0, -1, 0, 1, 1, 0, 0, 1];
    const twice = warpPerspective(warpPerspective(img, A, 20, 20), B, 20, 20);
    const once = warpPerspective(img, multiply3x3(B, A), 20, 20);
    for (let y = 4; y < 20; y++) for (let x = 1; x < 19; x++) expect(twice.get(y, x, 0)).toBeCloseTo(once.get(y, x, 0), 9);
  });
});

describe('remap', () => {
  it('samples at the given coordinates with reflect101 borders', () => {
    const img = wrapImage(Float64Array.of(0, 10, 20, 30), 1, 4, 1);
    const out = remap(img, [-1, 0.25, 3, 4], [0, 0, 0, 0], 4, 1, { border: 'reflect101' });
    expect(Array.from(out.data)).toEqual([10, 2.5, 30, 20]);
    expect(() => remap(img, [0], [0, 0, 0, 0], 4, 1)).toThrow(ImageShapeError);
  });

  it('nearest interpolation rounds coordinates', () => {
    const img = ndarray(Float64Array.of(1, 2, 3, 4), [2, 2, 1]);
    const out = remap(img, [0.4, 0.6, -0.6, 1.4], [0.6, 0.4, 0, 1.6], 4, 1, { interpolation: 'nearest' });
    expect(Array.from(out.data)).toEqual([3, 2, 0, 0]);
  });
});

describe('warpPerspective on RGB uint8 (the specialised loop) and warpPerspectivePair', () => {
  function rgb(h: number, w: number, seed: number) {
    const img = createImage(h, w, 3);
    const rng = createRng(seed);
    for (let i = 0; i < img.data.length; i++) img.data[i] = rng.int(0, 256);
    return img;
  }
  // Rotation + stretch + perspective, part of the output outside the source; a blow-up (many edge taps).
  const homographies = [
    [0.93, -0.31, 14.2, 0.27, 1.04, -9.7, 0.0011, -0.0007, 1],
    [3.1, 0.2, -20.5, -0.1, 2.9, -15.25, 0, 0, 1],
    [1, 0, 0.5, 0, 1, -0.5, 0, 0, 1],
  ];

  it('runs the SIMD kernel bit-identically to its scalar twin (OpenCV fixed point)', () => {
    const img = rgb(37, 41, 1);
    const rng = createRng(8);
    const cases = [...homographies];
    for (let i = 0; i < 12; i++) {
      const a = rng.uniform(-0.5, 0.5);
      const s = rng.uniform(0.3, 3);
      cases.push([s * Math.cos(a), -s * Math.sin(a), rng.uniform(-30, 30), s * Math.sin(a), s * Math.cos(a), rng.uniform(-30, 30), rng.uniform(-4e-3, 4e-3), rng.uniform(-4e-3, 4e-3), 1]);
    }
    // a singular row of the inverse map: W = 0 on a line of the output
    cases.push([1, 0, 0, 0, 1, 0, 0.05, 0, 1]);
    for (const H of cases) {
      for (const [W, Ht] of [[45, 39], [131, 7], [3, 2]]) {
        const fast = warpPerspective(img, H, W, Ht);
        const twin = new Uint8Array(W * Ht * 3);
        perspectiveFixedU8({ data: img.data, w: 41, h: 37, c: 3 }, invert3x3(H), twin, W, Ht, [0, 0, 0]);
        expect(Buffer.from(fast.data).equals(Buffer.from(twin))).toBe(true);
      }
    }
    // float images keep the float64 sampler. Inside, uint8 differs from it by the 1/32-pixel
    // quantisation of positions (at most 1/64 px, i.e. 255/64 levels between neighbours 255 apart) plus rounding.
    const H = homographies[0];
    const f = warpPerspective(wrapImage(Float64Array.from(img.data), 37, 41, 3), H, 45, 39);
    const u = warpPerspective(img, H, 45, 39);
    let inside = 0;
    for (let i = 0; i < u.data.length; i++) if (u.data[i] !== 0 && f.data[i] > 1) inside = Math.max(inside, Math.abs(u.data[i] - saturateU8(f.data[i])));
    expect(inside).toBeGreaterThan(0);
    expect(inside).toBeLessThanOrEqual(5);
  });

  it("builds OpenCV's bilinear weight table (15-bit, its sum correction included)", () => {
    const t = bilinearWeightsI16();
    expect(t.length).toBe(4096);
    expect(bilinearWeightsI16()).toBe(t);
    expect(Array.from(t.subarray(0, 4))).toEqual([32767, 0, 0, 1]);
    // fx = 1/2, fy = 0: an even split of the top row
    expect(Array.from(t.subarray(16 * 4, 16 * 4 + 4))).toEqual([16384, 16384, 0, 0]);
    for (let i = 0; i < 1024; i++) {
      expect(t[4 * i] + t[4 * i + 1] + t[4 * i + 2] + t[4 * i + 3]).toBe(32768);
      for (let k = 0; k < 4; k++) expect(t[4 * i + k]).toBeGreaterThanOrEqual(0);
    }
    expect(opencvBlockWidth(224, 224)).toBe(64);
    expect(opencvBlockWidth(70, 10)).toBe(70);
    expect(opencvBlockWidth(300, 8)).toBe(128);
  });

  it('warpPerspectivePair equals two warps, writes into out/outB, and falls back for other images', () => {
    const a = rgb(30, 33, 2);
    const b = rgb(30, 33, 3);
    for (const H of homographies) {
      const outA = createImage(28, 31, 3);
      const outB = createImage(28, 31, 3);
      outA.data.fill(9);
      const [pa, pb] = warpPerspectivePair(a, b, H, 31, 28, { out: outA, outB });
      expect(pa).toBe(outA);
      expect(pb).toBe(outB);
      expect(Array.from(pa.data)).toEqual(Array.from(warpPerspective(a, H, 31, 28).data));
      expect(Array.from(pb.data)).toEqual(Array.from(warpPerspective(b, H, 31, 28).data));
      const inv = invert3x3(H);
      const [ia] = warpPerspectivePair(a, b, inv, 31, 28, { inverse: true });
      expect(Array.from(ia.data)).toEqual(Array.from(pa.data));
    }
    const g1 = randomImage(12, 13, 1, 5);
    const g2 = randomImage(12, 13, 1, 6);
    const [q1, q2] = warpPerspectivePair(g1, g2, homographies[0], 10, 11, { border: 'replicate' });
    expect(Array.from(q1.data)).toEqual(Array.from(warpPerspective(g1, homographies[0], 10, 11, { border: 'replicate' }).data));
    expect(Array.from(q2.data)).toEqual(Array.from(warpPerspective(g2, homographies[0], 10, 11, { border: 'replicate' }).data));
    expect(() => warpPerspectivePair(a, rgb(30, 32, 1), homographies[0], 10, 10)).toThrow(ImageShapeError);
    expect(() => warpPerspectivePair(a, g1 as never, homographies[0], 10, 10)).toThrow(/warpPerspectivePair/);
  });
});
