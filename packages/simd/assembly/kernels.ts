// WebAssembly SIMD kernels of @caddm/simd, in AssemblyScript (compiled by scripts/build-wasm.mjs).
//
// The host (src/) lays out every buffer in this module's memory above heapBase() and passes
// byte offsets; nothing here allocates. Kernels are f64x2-vectorised over the interleaved
// (column, channel) axis of a row.

export * from './poisson';
export * from './count';
export * from './warp';
export * from './filter';

/** First free byte: the host's buffers start here (16-byte aligned). */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15;
}

// The 11-tap Gaussian of the SSIM window, symmetric: K0..K4 for offsets ±5..±1, K5 the centre.
let K0: f64 = 0;
let K1: f64 = 0;
let K2: f64 = 0;
let K3: f64 = 0;
let K4: f64 = 0;
let K5: f64 = 0;

/** Sets the window weights (taps 0..5 of the 11-tap kernel; the rest mirror them). */
export function setWindow(k0: f64, k1: f64, k2: f64, k3: f64, k4: f64, k5: f64): void {
  K0 = k0;
  K1 = k1;
  K2 = k2;
  K3 = k3;
  K4 = k4;
  K5 = k5;
}

// Copies input row y into the padded planes a, b, a² + b², ab (each L f64s), columns mapped
// through colMap (i32 per padded column: reflect-101).
function fillPadded(A: usize, B: usize, y: i32, w: i32, c: i32, P: usize, L: i32, colMap: usize): void {
  const rowOff = <usize>(y * w * c);
  const plane = <usize>L << 3;
  let o = P;
  for (let i = 0; i < w + 10; i++) {
    const src = rowOff + <usize>(load<i32>(colMap + (<usize>i << 2)) * c);
    for (let k = 0; k < c; k++, o += 8) {
      const av = <f64>load<u8>(A + src + <usize>k);
      const bv = <f64>load<u8>(B + src + <usize>k);
      store<f64>(o, av);
      store<f64>(o + plane, bv);
      store<f64>(o + 2 * plane, av * av + bv * bv);
      store<f64>(o + 3 * plane, av * bv);
    }
  }
}

// Horizontal Gaussian of the four padded planes into one ring row (4 planes of n2 f64s).
function horizontal(P: usize, L: i32, n2: i32, c: i32, dst: usize): void {
  const k0 = f64x2.splat(K0);
  const k1 = f64x2.splat(K1);
  const k2 = f64x2.splat(K2);
  const k3 = f64x2.splat(K3);
  const k4 = f64x2.splat(K4);
  const k5 = f64x2.splat(K5);
  const c8 = <usize>c << 3;
  for (let q = 0; q < 4; q++) {
    const base = P + (<usize>(q * L) << 3);
    const out = dst + (<usize>(q * n2) << 3);
    for (let j = 0; j < n2; j += 2) {
      const x = base + (<usize>j << 3);
      let acc = f64x2.mul(k5, v128.load(x + 5 * c8));
      acc = f64x2.add(acc, f64x2.mul(k0, f64x2.add(v128.load(x), v128.load(x + 10 * c8))));
      acc = f64x2.add(acc, f64x2.mul(k1, f64x2.add(v128.load(x + c8), v128.load(x + 9 * c8))));
      acc = f64x2.add(acc, f64x2.mul(k2, f64x2.add(v128.load(x + 2 * c8), v128.load(x + 8 * c8))));
      acc = f64x2.add(acc, f64x2.mul(k3, f64x2.add(v128.load(x + 3 * c8), v128.load(x + 7 * c8))));
      acc = f64x2.add(acc, f64x2.mul(k4, f64x2.add(v128.load(x + 4 * c8), v128.load(x + 6 * c8))));
      v128.store(out + (<usize>j << 3), acc);
    }
  }
}

// One plane's vertical Gaussian at byte offset p of the ring rows r0..r10.
// @ts-ignore: decorator
@inline
function vertical(r0: usize, r1: usize, r2: usize, r3: usize, r4: usize, r5: usize, r6: usize, r7: usize, r8: usize, r9: usize, r10: usize, p: usize): v128 {
  let acc = f64x2.mul(f64x2.splat(K5), v128.load(r5 + p));
  acc = f64x2.add(acc, f64x2.mul(f64x2.splat(K0), f64x2.add(v128.load(r0 + p), v128.load(r10 + p))));
  acc = f64x2.add(acc, f64x2.mul(f64x2.splat(K1), f64x2.add(v128.load(r1 + p), v128.load(r9 + p))));
  acc = f64x2.add(acc, f64x2.mul(f64x2.splat(K2), f64x2.add(v128.load(r2 + p), v128.load(r8 + p))));
  acc = f64x2.add(acc, f64x2.mul(f64x2.splat(K3), f64x2.add(v128.load(r3 + p), v128.load(r7 + p))));
  return f64x2.add(acc, f64x2.mul(f64x2.splat(K4), f64x2.add(v128.load(r4 + p), v128.load(r6 + p))));
}

// Vertical Gaussian of the ring rows listed at `rows` (11 byte offsets) and the SSIM formula.
function ssimRow(rows: usize, n2: i32, out: usize, c1: f64, c2: f64, dssim: bool): void {
  const r0 = <usize>load<i32>(rows);
  const r1 = <usize>load<i32>(rows, 4);
  const r2 = <usize>load<i32>(rows, 8);
  const r3 = <usize>load<i32>(rows, 12);
  const r4 = <usize>load<i32>(rows, 16);
  const r5 = <usize>load<i32>(rows, 20);
  const r6 = <usize>load<i32>(rows, 24);
  const r7 = <usize>load<i32>(rows, 28);
  const r8 = <usize>load<i32>(rows, 32);
  const r9 = <usize>load<i32>(rows, 36);
  const r10 = <usize>load<i32>(rows, 40);
  const vc1 = f64x2.splat(c1);
  const vc2 = f64x2.splat(c2);
  const two = f64x2.splat(2);
  const one = f64x2.splat(1);
  const half = f64x2.splat(0.5);
  const plane = <usize>n2 << 3;
  for (let j = 0; j < n2; j += 2) {
    const o = <usize>j << 3;
    const ma = vertical(r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, o);
    const mb = vertical(r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, o + plane);
    const mss = vertical(r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, o + 2 * plane);
    const mab2 = vertical(r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, o + 3 * plane);
    const mab = f64x2.mul(ma, mb);
    const mqq = f64x2.add(f64x2.mul(ma, ma), f64x2.mul(mb, mb));
    const num = f64x2.mul(f64x2.add(f64x2.mul(two, mab), vc1), f64x2.add(f64x2.mul(two, f64x2.sub(mab2, mab)), vc2));
    const den = f64x2.mul(f64x2.add(mqq, vc1), f64x2.add(f64x2.sub(mss, mqq), vc2));
    const v = f64x2.div(num, den);
    v128.store(out + o, dssim ? f64x2.abs(f64x2.mul(f64x2.sub(one, v), half)) : v);
  }
}

/**
 * SSIM (dssim = false) or DSSIM |(1 − SSIM) / 2| map of two uint8 HWC images A and B (h x w x c,
 * dense) into `out` (h·w·c f64s plus one of slack), with the window set by setWindow and
 * reflect-101 borders given by rowMap (h + 10 i32s) and colMap (w + 10 i32s). Scratch: P
 * (4·L f64s, L = (w + 10)·c + 2), ring (11 rows of 4·n2 f64s, n2 = w·c rounded up to even),
 * rows (11 i32s).
 */
export function ssimMapU8(
  A: usize,
  B: usize,
  h: i32,
  w: i32,
  c: i32,
  P: usize,
  ring: usize,
  rowMap: usize,
  colMap: usize,
  rows: usize,
  out: usize,
  c1: f64,
  c2: f64,
  dssim: bool,
): void {
  const n = w * c;
  const n2 = (n + 1) & ~1;
  const L = (w + 10) * c + 2;
  const rowBytes = <usize>(4 * n2) << 3;
  let next = 0;
  for (let y = 0; y < h; y++) {
    const need = min(h - 1, y + 5);
    for (; next <= need; next++) {
      fillPadded(A, B, next, w, c, P, L, colMap);
      horizontal(P, L, n2, c, ring + <usize>(next % 11) * rowBytes);
    }
    for (let t = 0; t < 11; t++) {
      const r = load<i32>(rowMap + (<usize>(y + t) << 2));
      store<i32>(rows + (<usize>t << 2), <i32>(ring + <usize>(r % 11) * rowBytes));
    }
    ssimRow(rows, n2, out + (<usize>(y * n) << 3), c1, c2, dssim);
  }
}
