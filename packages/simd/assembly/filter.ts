// Separable 5x5 filter of one-channel uint8 images (the mask blur of alpha blending), with the
// arithmetic of @caddm/image's sepFilter2D: float64 taps summed in kernel order, rounded half to
// even and saturated to uint8. Two output columns per f64x2.

/**
 * src: h x w uint8. Output region: columns X0..X1, rows Y0..Y1 (inclusive) of dst (h x w
 * uint8, zeroed here outside it). Source rows r0..r1 are filtered horizontally where
 * needed[y − r0] is 1, into tmp ((r1 − r0 + 1) x w f64s); xmap: the source column of padded
 * column i (w + 4 i32s, border rule applied), rowsOf: the five source rows of each output row
 * (5 i32s per row from Y0). k: kx0..kx4, ky0..ky4 (10 f64s). rowF: w + 6 f64s of scratch.
 */
export function sepFilter5U8(
  src: usize,
  w: i32,
  h: i32,
  X0: i32,
  X1: i32,
  Y0: i32,
  Y1: i32,
  r0: i32,
  r1: i32,
  needed: usize,
  xmap: usize,
  rowsOf: usize,
  k: usize,
  rowF: usize,
  tmp: usize,
  dst: usize,
): void {
  const kx0 = f64x2.splat(load<f64>(k));
  const kx1 = f64x2.splat(load<f64>(k, 8));
  const kx2 = f64x2.splat(load<f64>(k, 16));
  const kx3 = f64x2.splat(load<f64>(k, 24));
  const kx4 = f64x2.splat(load<f64>(k, 32));
  const ky0 = f64x2.splat(load<f64>(k, 40));
  const ky1 = f64x2.splat(load<f64>(k, 48));
  const ky2 = f64x2.splat(load<f64>(k, 56));
  const ky3 = f64x2.splat(load<f64>(k, 64));
  const ky4 = f64x2.splat(load<f64>(k, 72));
  const W8 = <usize>w << 3;
  for (let y = r0; y <= r1; y++) {
    if (load<u8>(needed + <usize>(y - r0)) == 0) continue;
    const row = src + <usize>(y * w);
    for (let i = 0; i < w + 4; i++) store<f64>(rowF + (<usize>i << 3), <f64>load<u8>(row + <usize>load<i32>(xmap + (<usize>i << 2))));
    const t = tmp + <usize>(y - r0) * W8;
    // Pairs of columns; an odd last column is computed with its (unused) neighbour and stored alone.
    for (let x = X0; x <= X1; x += 2) {
      const p = rowF + (<usize>x << 3);
      let acc = f64x2.mul(kx0, v128.load(p));
      acc = f64x2.add(acc, f64x2.mul(kx1, v128.load(p, 8)));
      acc = f64x2.add(acc, f64x2.mul(kx2, v128.load(p, 16)));
      acc = f64x2.add(acc, f64x2.mul(kx3, v128.load(p, 24)));
      acc = f64x2.add(acc, f64x2.mul(kx4, v128.load(p, 32)));
      if (x < X1) v128.store(t + (<usize>x << 3), acc);
      else store<f64>(t + (<usize>x << 3), f64x2.extract_lane(acc, 0));
    }
  }
  memory.fill(dst, 0, <usize>(w * h));
  const zero = f64x2.splat(0);
  const top = f64x2.splat(255);
  for (let y = Y0; y <= Y1; y++) {
    const q = rowsOf + (<usize>((y - Y0) * 5) << 2);
    const o0 = tmp + <usize>(load<i32>(q) - r0) * W8;
    const o1 = tmp + <usize>(load<i32>(q, 4) - r0) * W8;
    const o2 = tmp + <usize>(load<i32>(q, 8) - r0) * W8;
    const o3 = tmp + <usize>(load<i32>(q, 12) - r0) * W8;
    const o4 = tmp + <usize>(load<i32>(q, 16) - r0) * W8;
    const d = dst + <usize>(y * w);
    for (let x = X0; x <= X1; x += 2) {
      const c = <usize>x << 3;
      let acc = f64x2.mul(ky0, v128.load(o0 + c));
      acc = f64x2.add(acc, f64x2.mul(ky1, v128.load(o1 + c)));
      acc = f64x2.add(acc, f64x2.mul(ky2, v128.load(o2 + c)));
      acc = f64x2.add(acc, f64x2.mul(ky3, v128.load(o3 + c)));
      acc = f64x2.add(acc, f64x2.mul(ky4, v128.load(o4 + c)));
      // saturate_cast<uchar>: round half to even, clamp to 0..255 (NaN cannot occur).
      const v = i32x4.trunc_sat_f64x2_s_zero(f64x2.pmin(f64x2.pmax(f64x2.nearest(acc), zero), top));
      store<u8>(d + <usize>x, <u8>i32x4.extract_lane(v, 0));
      if (x < X1) store<u8>(d + <usize>x + 1, <u8>i32x4.extract_lane(v, 1));
    }
  }
}
