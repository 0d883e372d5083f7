import { describe, expect, it } from 'vitest';
import { sepFilter5U8 } from './filter.js';

describe('sepFilter5U8 (SIMD kernel)', () => {
  // A 6x7 image, replicated borders, box taps: every output is the rounded mean of its 5x5 clamp neighbourhood.
  const w = 7;
  const h = 6;
  const src = Uint8Array.from({ length: w * h }, (_, i) => (i * 37) % 256);
  const clamp = (v: number, n: number) => Math.min(n - 1, Math.max(0, v));
  const xmap = Int32Array.from({ length: w + 4 }, (_, i) => clamp(i - 2, w));
  const rowsOf = Int32Array.from({ length: h * 5 }, (_, q) => clamp(Math.floor(q / 5) + (q % 5) - 2, h));
  const box = [0.2, 0.2, 0.2, 0.2, 0.2];
  const args = { src, width: w, height: h, region: { x0: 0, y0: 0, x1: w - 1, y1: h - 1 }, r0: 0, r1: h - 1, needed: new Uint8Array(h).fill(1), xmap, rowsOf, kx: box, ky: box };

  it.skipIf(process.env.CADDM_SIMD === '0')('filters the region (odd widths included) and zeroes the rest', () => {
    const dst = new Uint8Array(w * h).fill(9);
    expect(sepFilter5U8({ ...args, dst })).toBe(true);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        let acc = 0;
        for (let t = 0; t < 5; t++) {
          let row = 0;
          for (let u = 0; u < 5; u++) row += 0.2 * src[clamp(y + t - 2, h) * w + clamp(x + u - 2, w)];
          acc += 0.2 * row;
        }
        expect(Math.abs(dst[y * w + x] - acc)).toBeLessThanOrEqual(0.5 + 1e-9);
      }
    }
    const part = new Uint8Array(w * h).fill(9);
    sepFilter5U8({ ...args, region: { x0: 2, y0: 1, x1: 4, y1: 3 }, rowsOf: rowsOf.subarray(5), dst: part });
    expect(part[0]).toBe(0);
    expect(part[1 * w + 2]).toBe(dst[1 * w + 2]);
    expect(part[3 * w + 4]).toBe(dst[3 * w + 4]);
    expect(part[3 * w + 5]).toBe(0);
  });

  it('rejects bad sizes, regions, maps and taps', () => {
    const dst = new Uint8Array(w * h);
    expect(() => sepFilter5U8({ ...args, dst: new Uint8Array(3) })).toThrow(/src and dst/);
    expect(() => sepFilter5U8({ ...args, dst, region: { x0: 0, y0: 0, x1: w, y1: 0 } })).toThrow(/region/);
    expect(() => sepFilter5U8({ ...args, dst, r1: h })).toThrow(/source rows/);
    expect(() => sepFilter5U8({ ...args, dst, xmap: new Int32Array(3) })).toThrow(/xmap/);
    expect(() => sepFilter5U8({ ...args, dst, kx: [1] })).toThrow(/5 taps/);
  });
});
