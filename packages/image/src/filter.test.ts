import { describe, expect, it } from 'vitest';
import { createImage, saturateU8, wrapImage } from './image.js';
import { filter2D, gaussianBlur, getGaussianKernel, nonZeroBox, sepFilter2D } from './filter.js';
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

/** Separable correlation written out: rows by kx, then columns by ky, summed in kernel order. */
function naiveSep(img: ReturnType<typeof random>, kx: number[], ky: number[], border: 'reflect101' | 'reflect' | 'replicate' | 'constant', bv = 0): Float64Array {
  const [h, w, c] = img.shape;
  const ax = kx.length >> 1;
  const ay = ky.length >> 1;
  const tmp = new Float64Array(h * w * c);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let k = 0; k < c; k++) {
        let acc = 0;
        for (let t = 0; t < kx.length; t++) {
          const xi = borderIndex(x + t - ax, w, border);
          acc += kx[t] * (xi < 0 ? bv : img.data[(y * w + xi) * c + k]);
        }
        tmp[(y * w + x) * c + k] = acc;
      }
    }
  }
  let kxSum = 0;
  for (const v of kx) kxSum += v;
  const out = new Float64Array(h * w * c);
  for (let y = 0; y < h; y++) {
    for (let j = 0; j < w * c; j++) {
      let acc = 0;
      let constAcc = 0;
      for (let t = 0; t < ky.length; t++) {
        const yi = borderIndex(y + t - ay, h, border);
        if (yi < 0) constAcc += ky[t] * bv * kxSum;
        else acc += ky[t] * tmp[yi * w * c + j];
      }
      out[y * w * c + j] = acc + constAcc;
    }
  }
  return out;
}

describe('sepFilter2D on sparse images (only the non-zero support is computed)', () => {
  /** A float image that is zero except in a box, with a random patch. */
  function sparse(h: number, w: number, c: number, box: [number, number, number, number], seed: number) {
    const img = createImage(h, w, c, 'float64');
    const rng = createRng(seed);
    for (let y = box[1]; y < box[3]; y++) for (let x = box[0]; x < box[2]; x++) for (let k = 0; k < c; k++) img.data[(y * w + x) * c + k] = rng.uniform(-50, 255);
    return img;
  }

  it('equals the written-out separable correlation bit for bit, support inside, on the edge, or everywhere', () => {
    const kx = [0.1, -0.3, 0.5, 0.2, 0.7];
    const ky = [0.25, 0.5, -0.25, 0.125];
    const boxes: Array<[number, number, number, number]> = [[5, 4, 9, 8], [0, 0, 3, 2], [10, 11, 14, 15], [0, 0, 14, 15]];
    for (const box of boxes) {
      for (const c of [1, 3]) {
        const img = sparse(15, 14, c, box, box[0] + c);
        for (const border of ['reflect101', 'reflect', 'replicate', 'constant'] as const) {
          const got = sepFilter2D(img, kx, ky, { border });
          expect(Array.from(got.data)).toEqual(Array.from(naiveSep(img, kx, ky, border)));
        }
        // A non-zero constant border reaches everywhere: the whole image is computed.
        const lit = sepFilter2D(img, kx, ky, { border: 'constant', borderValue: 9 });
        expect(Array.from(lit.data)).toEqual(Array.from(naiveSep(img, kx, ky, 'constant', 9)));
      }
    }
  });

  it('a uint8 mask blur equals the full computation, and a reused output is cleared outside the support', () => {
    const m = createImage(40, 50, 1);
    for (let y = 12; y < 30; y++) for (let x = 3 + (y % 5); x < 44 - (y % 3); x++) m.data[y * 50 + x] = 255;
    const full = naiveSep(wrapImage(Float64Array.from(m.data), 40, 50, 1), Array.from(getGaussianKernel(5, 3)), Array.from(getGaussianKernel(5, 3)), 'reflect101');
    const out = createImage(40, 50, 1);
    out.data.fill(77);
    const got = gaussianBlur(m, 5, 3, 0, { out });
    expect(got).toBe(out);
    for (let i = 0; i < full.length; i++) expect(got.data[i]).toBe(saturateU8(full[i]));
    expect(got.data[0]).toBe(0);
    const zero = gaussianBlur(createImage(40, 50, 1), 5, 3, 0, { out });
    expect(zero).toBe(out);
    expect(zero.data.every((v) => v === 0)).toBe(true);
  });

  it('nonZeroBox finds the support (exclusive ends), NaN included, or undefined', () => {
    expect(nonZeroBox(sparse(15, 14, 3, [5, 4, 9, 8], 1))).toEqual({ x0: 5, y0: 4, x1: 9, y1: 8 });
    expect(nonZeroBox(createImage(4, 4, 1))).toBeUndefined();
    const n = createImage(4, 5, 2, 'float32');
    n.data[(2 * 5 + 3) * 2 + 1] = NaN;
    expect(nonZeroBox(n)).toEqual({ x0: 3, y0: 2, x1: 4, y1: 3 });
  });
});

describe('sepFilter2D of one-channel uint8 with 5x5 kernels (the SIMD mask blur)', () => {
  it('gives the bytes of the float64 path, rounded: masks, soft and random images, every non-constant border', () => {
    const rng = createRng(21);
    const kernels: Array<[number[], number[]]> = [
      [Array.from(getGaussianKernel(5, 3)), Array.from(getGaussianKernel(5, 3))],
      [[0.1, 0.2, 0.4, 0.2, 0.1], [-0.05, 0.3, 0.5, 0.3, -0.05]],
    ];
    for (const [h, w] of [[40, 37], [9, 6], [5, 5], [64, 3]]) {
      const images: Array<ReturnType<typeof createImage>> = [];
      const mask = createImage(h, w, 1);
      for (let y = Math.floor(h / 4); y < Math.floor((3 * h) / 4); y++) mask.data.fill(255, y * w + Math.floor(w / 5), y * w + Math.floor((4 * w) / 5));
      images.push(mask);
      const noisy = createImage(h, w, 1);
      for (let i = 0; i < noisy.data.length; i++) noisy.data[i] = rng.int(0, 256);
      images.push(noisy);
      const corner = createImage(h, w, 1);
      corner.data[0] = 200;
      corner.data[h * w - 1] = 77;
      images.push(corner);
      for (const img of images) {
        const f = wrapImage(Float64Array.from(img.data), h, w, 1);
        for (const border of ['reflect101', 'reflect', 'replicate'] as const) {
          for (const [kx, ky] of kernels) {
            const got = sepFilter2D(img, kx, ky, { border });
            const want = Array.from(sepFilter2D(f, kx, ky, { border }).data, saturateU8);
            expect(Array.from(got.data)).toEqual(want);
          }
        }
      }
    }
  });
});
