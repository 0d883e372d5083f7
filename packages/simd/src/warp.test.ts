import { describe, expect, it } from 'vitest';
import { warpPerspectiveRgbU8 } from './warp.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** A bilinear table like OpenCV's: rounded 15-bit weights, the deficit on the last one. */
function table(): Int16Array {
  const t = new Int16Array(4096);
  for (let i = 0; i < 1024; i++) {
    const fy = (i >> 5) / 32;
    const fx = (i & 31) / 32;
    const w = [(1 - fx) * (1 - fy), fx * (1 - fy), (1 - fx) * fy, fx * fy].map((v) => Math.min(32767, Math.round(v * 32768)));
    w[3] += 32768 - (w[0] + w[1] + w[2] + w[3]);
    t.set(w, 4 * i);
  }
  return t;
}

describe('warpPerspectiveRgbU8 (SIMD kernel)', () => {
  const weights = table();
  const r = rng(3);
  const src = Uint8Array.from({ length: 17 * 19 * 3 }, () => Math.floor(r() * 256));
  const srcB = Uint8Array.from({ length: 17 * 19 * 3 }, () => Math.floor(r() * 256));

  it.skipIf(process.env.CADDM_SIMD === '0')('reproduces the image under the identity (edge taps read 0) and warps two images as one each', () => {
    const dst = new Uint8Array(src.length);
    expect(warpPerspectiveRgbU8({ src, width: 19, height: 17, inverse: [1, 0, 0, 0, 1, 0, 0, 0, 1], dst, outWidth: 19, outHeight: 17, weights, blockWidth: 64 })).toBe(true);
    expect(Array.from(dst)).toEqual(Array.from(src));
    const H = [0.9, 0.2, -1.5, -0.15, 1.1, 2.25, 0.004, -0.002, 1];
    const one = (s: Uint8Array) => {
      const d = new Uint8Array(23 * 21 * 3);
      warpPerspectiveRgbU8({ src: s, width: 19, height: 17, inverse: H, dst: d, outWidth: 23, outHeight: 21, weights, blockWidth: 5 });
      return d;
    };
    const dA = new Uint8Array(23 * 21 * 3);
    const dB = new Uint8Array(23 * 21 * 3);
    warpPerspectiveRgbU8({ src, srcB, width: 19, height: 17, inverse: H, dst: dA, dstB: dB, outWidth: 23, outHeight: 21, weights, blockWidth: 5 });
    expect(Array.from(dA)).toEqual(Array.from(one(src)));
    expect(Array.from(dB)).toEqual(Array.from(one(srcB)));
    // a shift by (-2, +3) pixels: whole pixels move, the uncovered band is 0
    const s = new Uint8Array(src.length);
    warpPerspectiveRgbU8({ src, width: 19, height: 17, inverse: [1, 0, 2, 0, 1, -3, 0, 0, 1], dst: s, outWidth: 19, outHeight: 17, weights, blockWidth: 64 });
    expect(s[(5 * 19 + 4) * 3 + 1]).toBe(src[(2 * 19 + 6) * 3 + 1]);
    expect(s[(1 * 19 + 4) * 3]).toBe(0);
  });

  it('rejects bad sizes, buffers and tables', () => {
    const dst = new Uint8Array(9);
    const base = { src: new Uint8Array(12), width: 2, height: 2, inverse: [1, 0, 0, 0, 1, 0, 0, 0, 1], dst, outWidth: 3, outHeight: 1, weights, blockWidth: 64 };
    expect(() => warpPerspectiveRgbU8({ ...base, width: 0 })).toThrow(/width/);
    expect(() => warpPerspectiveRgbU8({ ...base, src: new Uint8Array(11) })).toThrow(/sources/);
    expect(() => warpPerspectiveRgbU8({ ...base, dst: new Uint8Array(8) })).toThrow(/outputs/);
    expect(() => warpPerspectiveRgbU8({ ...base, srcB: new Uint8Array(12) })).toThrow(/srcB and dstB/);
    expect(() => warpPerspectiveRgbU8({ ...base, inverse: [1, 0, 0] })).toThrow(/9 values/);
    expect(() => warpPerspectiveRgbU8({ ...base, weights: new Int16Array(4) })).toThrow(/1024x4/);
  });
});
