import { describe, expect, it } from 'vitest';
import { createImage, wrapImage } from './image.js';
import { filter2D, gaussianBlur, getGaussianKernel, sepFilter2D } from './filter.js';
import { createRng } from './rng.js';
import { ImageArgumentError } from './errors.js';
import { borderIndex } from './border.js';

function random(h: number, w: number, c: number, seed: number) {
  const img = createImage(h, w, c, 'float64');
  createRng(seed).fillUniform(img.data, 0, 255);
  return img;
}

describe('border modes', () => {
  it('map outside indices like OpenCV', () => {
    const idx = (mode: Parameters<typeof borderIndex>[2]) => [-3, -2, -1, 0, 3, 4, 5, 6].map((i) => borderIndex(i, 4, mode));
    expect(idx('reflect101')).toEqual([3, 2, 1, 0, 3, 2, 1, 0]);
    expect(idx('reflect')).toEqual([2, 1, 0, 0, 3, 3, 2, 1]);
    expect(idx('replicate')).toEqual([0, 0, 0, 0, 3, 3, 3, 3]);
    expect(idx('constant')).toEqual([-1, -1, -1, 0, 3, -1, -1, -1]);
    expect(borderIndex(-7, 1, 'reflect101')).toBe(0);
    expect(borderIndex(9, 3, 'reflect101')).toBe(1); // repeated reflections
  });
});

describe('filters', () => {
  it('getGaussianKernel sums to 1, is symmetric and rejects even sizes', () => {
    const k = getGaussianKernel(11, 1.5);
    expect(k.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
    for (let i = 0; i < 5; i++) expect(k[i]).toBe(k[10 - i]);
    expect(() => getGaussianKernel(4, 1)).toThrow(/odd/);
  });

  it('sepFilter2D equals filter2D with the outer-product kernel for every border', () => {
    const img = random(9, 8, 3, 1);
    const kx = [0.1, -0.3, 0.5, 0.2, 0.7];
    const ky = [0.25, 0.5, -0.25];
    const k2 = new Float64Array(15);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 5; j++) k2[i * 5 + j] = ky[i] * kx[j];
    for (const border of ['reflect101', 'reflect', 'replicate', 'constant'] as const) {
      const a = sepFilter2D(img, kx, ky, { border, borderValue: 9 });
      const b = filter2D(img, k2, 5, 3, { border, borderValue: 9 });
      for (let i = 0; i < a.data.length; i++) expect(a.data[i]).toBeCloseTo(b.data[i], 9);
    }
  });

  it('a delta kernel with an off-centre tap shifts the image (correlation, anchor at the centre)', () => {
    const img = random(5, 6, 1, 2);
    const out = filter2D(img, [0, 0, 1], 3, 1, { border: 'replicate' });
    for (let y = 0; y < 5; y++) for (let x = 0; x < 5; x++) expect(out.get(y, x, 0)).toBe(img.get(y, x + 1, 0));
  });

  it('gaussianBlur keeps constants, rounds uint8 output, derives the size from sigma', () => {
    const c = createImage(7, 7, 3);
    c.data.fill(200);
    expect(new Set(gaussianBlur(c, 5, 3).data)).toEqual(new Set([200]));
    const img = random(20, 20, 1, 3);
    // ksize 0 with sigma 2 on float data: OpenCV picks round(2*4*2+1)|1 = 17
    const auto = gaussianBlur(img, 0, 2);
    const explicit = gaussianBlur(img, 17, 2);
    expect(Array.from(auto.data)).toEqual(Array.from(explicit.data));
    expect(() => gaussianBlur(img, 0, 0)).toThrow(ImageArgumentError);
  });

  it('output dtype can differ from the input (uint8 in, float64 out)', () => {
    const u = wrapImage(Uint8Array.of(0, 255, 0), 1, 3, 1);
    const f = sepFilter2D(u, [0.25, 0.5, 0.25], [1], { dtype: 'float64' });
    expect(f.data).toBeInstanceOf(Float64Array);
    expect(Array.from(f.data)).toEqual([127.5, 127.5, 127.5]);
    const r = sepFilter2D(u, [0.25, 0.5, 0.25], [1]);
    expect(Array.from(r.data)).toEqual([128, 128, 128]); // 127.5 rounds half to even
  });

  it('rejects malformed kernels', () => {
    const img = createImage(3, 3, 1);
    expect(() => sepFilter2D(img, [], [1])).toThrow(/kx/);
    expect(() => filter2D(img, [1, 2, 3], 2, 2)).toThrow(/3 entries, expected 2x2/);
    expect(() => filter2D(img, [NaN], 1, 1)).toThrow(/non-finite/);
    expect(() => sepFilter2D(img, [1], [1], { border: 'wrap' as never })).toThrow(/unknown border mode/);
  });
});
