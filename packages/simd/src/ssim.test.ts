import { afterEach, describe, expect, it, vi } from 'vitest';
import { ssimMapU8, type RowsU8 } from './ssim.js';
import { simdStatus } from './module.js';

function reflect101(i: number, n: number): number {
  if (n === 1) return 0;
  for (;;) {
    if (i < 0) i = -i;
    else if (i >= n) i = 2 * n - 2 - i;
    else return i;
  }
}

function gaussian(): number[] {
  const g = Array.from({ length: 11 }, (_, i) => Math.exp(-((i - 5) ** 2) / (2 * 1.5 * 1.5)));
  const s = g.reduce((a, b) => a + b, 0);
  return g.map((v) => v / s);
}

/** The formula by direct 11x11 sums per pixel (no separability, no ring). */
function naive(a: Uint8Array, b: Uint8Array, h: number, w: number, c: number, dssim: boolean): Float64Array {
  const g = gaussian();
  const c1 = (0.01 * 255) ** 2;
  const c2 = (0.03 * 255) ** 2;
  const out = new Float64Array(h * w * c);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let k = 0; k < c; k++) {
        let ma = 0, mb = 0, maa = 0, mbb = 0, mab = 0;
        for (let dy = -5; dy <= 5; dy++) {
          for (let dx = -5; dx <= 5; dx++) {
            const wgt = g[dy + 5] * g[dx + 5];
            const i = (reflect101(y + dy, h) * w + reflect101(x + dx, w)) * c + k;
            ma += wgt * a[i];
            mb += wgt * b[i];
            maa += wgt * a[i] * a[i];
            mbb += wgt * b[i] * b[i];
            mab += wgt * a[i] * b[i];
          }
        }
        const v = ((2 * ma * mb + c1) * (2 * (mab - ma * mb) + c2)) / ((ma * ma + mb * mb + c1) * (maa + mbb - ma * ma - mb * mb + c2));
        out[(y * w + x) * c + k] = dssim ? Math.abs((1 - v) / 2) : v;
      }
    }
  }
  return out;
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe('ssimMapU8 (f64x2 kernel)', () => {
  afterEach(() => vi.unstubAllEnvs());

  it.skipIf(process.env.CADDM_SIMD === '0')('loads here (Node 20 has WebAssembly SIMD)', () => {
    expect(simdStatus()).toEqual({ available: true });
  });

  const cases: Array<[number, number, number, boolean]> = [
    [1, 1, 1, true],
    [3, 5, 3, true],
    [12, 17, 1, false],
    [20, 13, 3, true],
    [7, 9, 3, false],
  ];
  it.skipIf(process.env.CADDM_SIMD === '0').each(cases)('matches the direct formula on %ix%ix%i (dssim %s), strided rows', (h, w, c, dssim) => {
    const r = rng(h * 100 + w * 10 + c);
    const n = w * c;
    // Rows of the images live at a stride with junk between them.
    const stride = n + 5;
    const mk = (): RowsU8 => ({ data: Uint8Array.from({ length: 3 + h * stride }, () => Math.floor(r() * 256)), offset: 3, rowStride: stride });
    const A = mk();
    const B = mk();
    for (let i = 0; i < B.data.length; i++) if (r() < 0.6) B.data[i] = A.data[i];
    const dense = (x: RowsU8) => Uint8Array.from({ length: h * n }, (_, i) => x.data[x.offset + Math.floor(i / n) * stride + (i % n)]);
    const rowMap = Int32Array.from({ length: h + 10 }, (_, i) => reflect101(i - 5, h));
    const colMap = Int32Array.from({ length: w + 10 }, (_, i) => reflect101(i - 5, w));
    const out = new Float64Array(h * n);
    const c1 = (0.01 * 255) ** 2;
    const c2 = (0.03 * 255) ** 2;
    expect(ssimMapU8({ a: A, b: B, height: h, width: w, channels: c, window: gaussian(), rowMap, colMap, c1, c2, dssim, out })).toBe(true);
    const want = naive(dense(A), dense(B), h, w, c, dssim);
    let err = 0;
    for (let i = 0; i < want.length; i++) err = Math.max(err, Math.abs(out[i] - want[i]));
    expect(err).toBeLessThan(1e-9);
  });

  it('rejects inputs too short for their rows and windows without 11 taps', () => {
    const args = {
      a: { data: new Uint8Array(10), offset: 0, rowStride: 3 },
      b: { data: new Uint8Array(12), offset: 0, rowStride: 3 },
      height: 4,
      width: 1,
      channels: 3,
      window: gaussian(),
      rowMap: new Int32Array(14),
      colMap: new Int32Array(11),
      c1: 1,
      c2: 1,
      dssim: true,
      out: new Float64Array(12),
    };
    expect(() => ssimMapU8(args)).toThrow(/a has 10 values/);
    expect(() => ssimMapU8({ ...args, a: args.b, window: [1, 2, 3] })).toThrow(/11 taps/);
  });

  it('is switched off by CADDM_SIMD=0 (the caller then runs its scalar twin)', async () => {
    vi.stubEnv('CADDM_SIMD', '0');
    vi.resetModules();
    const fresh = await import('./ssim.js');
    const status = (await import('./module.js')).simdStatus();
    expect(status.available).toBe(false);
    expect(status.reason).toMatch(/CADDM_SIMD=0/);
    const out = new Float64Array(3);
    const one = { data: new Uint8Array(3), offset: 0, rowStride: 3 };
    const maps = { rowMap: new Int32Array(11), colMap: new Int32Array(11) };
    expect(fresh.ssimMapU8({ a: one, b: one, height: 1, width: 1, channels: 3, window: gaussian(), ...maps, c1: 1, c2: 1, dssim: true, out })).toBe(false);
  });
});
