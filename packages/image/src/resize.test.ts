import { describe, expect, it } from 'vitest';
import { createImage, wrapImage } from './image.js';
import { linearTaps, resize } from './resize.js';
import { createRng } from './rng.js';
import { ImageArgumentError, ImageShapeError } from './errors.js';

describe('resize', () => {
  it('same size is the identity for every interpolation', () => {
    const img = createImage(5, 7, 3, 'float64');
    createRng(1).fillUniform(img.data, 0, 255);
    for (const interpolation of ['bilinear', 'area', 'nearest'] as const) {
      expect(Array.from(resize(img, 7, 5, { interpolation }).data)).toEqual(Array.from(img.data));
    }
  });

  it('area halving is the exact 2x2 block mean', () => {
    const img = createImage(4, 6, 2, 'float64');
    createRng(2).fillUniform(img.data, 0, 255);
    const out = resize(img, 3, 2, { interpolation: 'area' });
    for (let y = 0; y < 2; y++) for (let x = 0; x < 3; x++) for (let k = 0; k < 2; k++) {
      const m = (img.get(2 * y, 2 * x, k) + img.get(2 * y, 2 * x + 1, k) + img.get(2 * y + 1, 2 * x, k) + img.get(2 * y + 1, 2 * x + 1, k)) / 4;
      expect(out.get(y, x, k)).toBeCloseTo(m, 10);
    }
  });

  it('bilinear uses half-pixel centres and replicated edges', () => {
    const img = wrapImage(Float64Array.of(0, 100), 1, 2, 1);
    // 2 -> 4: sx = (dx + 0.5)/2 - 0.5 = -0.25, 0.25, 0.75, 1.25 -> clamp, 25, 75, clamp
    expect(Array.from(resize(img, 4, 1).data)).toEqual([0, 25, 75, 100]);
  });

  it('keeps constant images constant and the dtype', () => {
    const img = createImage(9, 9, 3);
    img.data.fill(77);
    for (const interpolation of ['bilinear', 'area', 'nearest'] as const) {
      const small = resize(img, 4, 3, { interpolation });
      const big = resize(img, 20, 13, { interpolation });
      expect(small.data).toBeInstanceOf(Uint8Array);
      expect(new Set(small.data)).toEqual(new Set([77]));
      expect(new Set(big.data)).toEqual(new Set([77]));
    }
  });

  it('downscale then upscale (the "resize down-up" augmentation) preserves the mean', () => {
    const img = createImage(32, 32, 1, 'float64');
    for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) img.set(y, x, 0, 100 + 50 * Math.sin(x / 5) * Math.cos(y / 7));
    const back = resize(resize(img, 16, 16, { interpolation: 'area' }), 32, 32);
    let d = 0;
    let mean0 = 0;
    let mean1 = 0;
    for (let i = 0; i < img.data.length; i++) {
      d = Math.max(d, Math.abs(back.data[i] - img.data[i]));
      mean0 += img.data[i];
      mean1 += back.data[i];
    }
    expect(d).toBeLessThan(6);
    expect(mean1 / 1024).toBeCloseTo(mean0 / 1024, 0);
  });

  it('rejects bad sizes, interpolation names and output buffers', () => {
    const img = createImage(3, 3, 1);
    expect(() => resize(img, 0, 3)).toThrow(ImageArgumentError);
    expect(() => resize(img, 3, 3, { interpolation: 'cubic' as never })).toThrow(/unknown interpolation "cubic"/);
    expect(() => resize(img, 4, 4, { out: createImage(3, 3, 1) })).toThrow(ImageShapeError);
    const out = createImage(2, 2, 1);
    expect(resize(img, 2, 2, { out })).toBe(out);
  });
});

describe('linearTaps', () => {
  it('maps half-pixel centres and clamps at the edges (replicated border)', () => {
    // Upscaling 2 -> 4: s = (d + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25.
    const up = linearTaps(2, 4);
    expect(Array.from(up.i0)).toEqual([0, 0, 0, 1]);
    expect(Array.from(up.i1)).toEqual([1, 1, 1, 1]);
    expect(Array.from(up.frac)).toEqual([0, 0.25, 0.75, 0]);
    // Downscaling 6 -> 3: s = 2d + 0.5 (the last one, 4.5, still inside).
    const down = linearTaps(6, 3);
    expect([Array.from(down.i0), Array.from(down.i1), Array.from(down.frac)]).toEqual([[0, 2, 4], [1, 3, 5], [0.5, 0.5, 0.5]]);
    // A one-pixel source: every tap is pixel 0 with weight 1.
    const one = linearTaps(1, 3);
    expect([Array.from(one.i0), Array.from(one.i1), Array.from(one.frac)]).toEqual([[0, 0, 0], [0, 0, 0], [0, 0, 0]]);
  });

  it('gives the weights resize uses: a 1-row bilinear resize equals the taps applied by hand', () => {
    const src = wrapImage(Float64Array.from([3, 10, -4, 7, 1]), 1, 5, 1);
    const out = resize(src, 8, 1, { interpolation: 'bilinear' });
    const t = linearTaps(5, 8);
    const byHand = Array.from({ length: 8 }, (_, d) => (1 - t.frac[d]) * src.data[t.i0[d]] + t.frac[d] * src.data[t.i1[d]]);
    Array.from(out.data).forEach((v, d) => expect(v).toBeCloseTo(byHand[d], 12));
  });
});
