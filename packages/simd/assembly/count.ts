// Counting kernels on uint8 data, u8x16-vectorised.

/** How many of the n byte pairs of a and b differ by more than tol (0..254). */
export function countChangedU8(a: usize, b: usize, n: i32, tol: i32): i32 {
  const t = i8x16.splat(<i8>tol);
  let count = 0;
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const x = v128.load(a + <usize>i);
    const y = v128.load(b + <usize>i);
    // |x − y| as unsigned saturating differences both ways.
    const d = v128.or(i8x16.sub_sat_u(x, y), i8x16.sub_sat_u(y, x));
    count += popcnt<i32>(i8x16.bitmask(i8x16.gt_u(d, t)));
  }
  for (; i < n; i++) {
    const d = <i32>load<u8>(a + <usize>i) - <i32>load<u8>(b + <usize>i);
    if (d > tol || d < -tol) count++;
  }
  return count;
}
