import { describe, expect, it } from 'vitest';
import { countChangedU8 } from './count.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe('countChangedU8 (u8x16 kernel)', () => {
  it.skipIf(process.env.CADDM_SIMD === '0')('counts the positions differing by more than tol, as a scalar loop does', () => {
    const r = rng(5);
    for (const n of [0, 1, 15, 16, 17, 1000, 4099]) {
      const a = Uint8Array.from({ length: n }, () => Math.floor(r() * 256));
      const b = Uint8Array.from(a, (v) => (r() < 0.5 ? v : Math.floor(r() * 256)));
      for (const tol of [0, 8, 200, 254]) {
        let want = 0;
        for (let i = 0; i < n; i++) if (Math.abs(a[i] - b[i]) > tol) want++;
        expect(countChangedU8(a, b, tol)).toBe(want);
      }
    }
    expect(() => countChangedU8(new Uint8Array(3), new Uint8Array(4), 8)).toThrow(RangeError);
    expect(() => countChangedU8(new Uint8Array(3), new Uint8Array(3), 255)).toThrow(RangeError);
  });
});
