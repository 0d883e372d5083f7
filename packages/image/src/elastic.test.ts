import { describe, expect, it } from 'vitest';
import { createImage } from './image.js';
import { elasticDisplacement, elasticTransform } from './elastic.js';
import { createRng } from './rng.js';
import { ImageArgumentError } from './errors.js';
import { convexHullMask } from './polygon.js';

describe('elastic deformation', () => {
  it('is reproducible from a seed and different across seeds', () => {
    const a = elasticDisplacement(32, 40, { alpha: 300, sigma: 3, seed: 1 });
    const b = elasticDisplacement(32, 40, { alpha: 300, sigma: 3, seed: 1 });
    const c = elasticDisplacement(32, 40, { alpha: 300, sigma: 3, seed: 2 });
    expect(Array.from(a.dx)).toEqual(Array.from(b.dx));
    expect(Array.from(a.dx)).not.toEqual(Array.from(c.dx));
    expect(Array.from(a.dx)).not.toEqual(Array.from(a.dy)); // independent fields
  });

  it('scales linearly with alpha and is smooth at the scale of sigma', () => {
    const one = elasticDisplacement(64, 64, { alpha: 1, sigma: 5, seed: 3 });
    const big = elasticDisplacement(64, 64, { alpha: 400, sigma: 5, seed: 3 });
    for (let i = 0; i < one.dx.length; i += 97) expect(big.dx[i]).toBeCloseTo(400 * one.dx[i], 9);
    // neighbouring displacements are strongly correlated; the field is not white noise
    let num = 0;
    let den = 0;
    for (let y = 0; y < 64; y++) for (let x = 0; x < 63; x++) {
      const i = y * 64 + x;
      num += one.dx[i] * one.dx[i + 1];
      den += one.dx[i] * one.dx[i];
    }
    expect(num / den).toBeGreaterThan(0.9);
    // smoothing U(-1,1) (std 0.577) by a 2-D Gaussian of sigma 5 leaves std ~ 0.577 / (2 sqrt(pi) 5) ~ 0.033
    let s2 = 0;
    for (const v of one.dx) s2 += v * v;
    const std = Math.sqrt(s2 / one.dx.length);
    expect(std).toBeGreaterThan(0.015);
    expect(std).toBeLessThan(0.07);
  });

  it('alpha 0 is the identity; a deformed mask keeps its value range and roughly its area', () => {
    const r = createRng(4);
    const pts = Array.from({ length: 30 }, () => [r.int(30, 90), r.int(30, 90)]);
    const mask = convexHullMask(128, 128, pts);
    const same = elasticTransform(mask, { alpha: 0, sigma: 10, seed: 5 });
    expect(Array.from(same.data)).toEqual(Array.from(mask.data));
    const warped = elasticTransform(mask, { alpha: 400, sigma: 0.08 * 128, seed: 5 });
    expect(warped.shape).toEqual(mask.shape);
    expect(warped.data).toBeInstanceOf(Uint8Array);
    let a0 = 0;
    let a1 = 0;
    let changed = 0;
    for (let i = 0; i < mask.data.length; i++) {
      a0 += mask.data[i] / 255;
      a1 += warped.data[i] / 255;
      if (mask.data[i] !== warped.data[i]) changed++;
    }
    expect(changed).toBeGreaterThan(50);
    expect(a1 / a0).toBeGreaterThan(0.7);
    expect(a1 / a0).toBeLessThan(1.3);
  });

  it('rejects bad parameters', () => {
    const img = createImage(8, 8, 1);
    expect(() => elasticTransform(img, { alpha: 1, sigma: 0 })).toThrow(ImageArgumentError);
    expect(() => elasticTransform(img, { alpha: NaN, sigma: 1 })).toThrow(/alpha/);
  });
});
