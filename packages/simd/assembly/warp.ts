// Perspective warp of RGB uint8 images with OpenCV's fixed-point bilinear arithmetic
// (cv2.warpPerspective, INTER_LINEAR, constant border 0), for one image or two at once.
//
// Per output pixel: the source position in 1/32 pixels from the double-precision
// homography (OpenCV's block-relative sums, rounded half to even), then four 15-bit
// integer weights from the 1024-entry table (host-built), applied to the three channels
// with i32x4.dot_i16x8_s, `(sum + 2^14) >> 15`. The host's scalar twin does the same.

/** Rounded-to-nearest-even 1/32-pixel coordinate, clamped to the i32 range like cvRound of a clamped double. */
// @ts-ignore: decorator
@inline
function fixed(v: f64): i32 {
  return <i32>nearest(min(max(v, -2147483648.0), 2147483647.0));
}

/** One inlier pixel of one image: taps (sx, sy)..(sx+1, sy+1) fully inside. */
// @ts-ignore: decorator
@inline
function inner(s: usize, p: usize, row: usize, wa: v128, wb: v128, d: usize): void {
  let v = v128.load64_zero(s + p);
  v = v128.load64_lane(s + p + row, v, 1);
  const z = i32x4.splat(0);
  // i16 lanes [r0, r1, g0, g1, b0, b1, 0, 0] of the top row (bytes 0..5), then of the bottom row (8..13).
  const top = i8x16.shuffle(v, z, 0, 16, 3, 16, 1, 16, 4, 16, 2, 16, 5, 16, 16, 16, 16, 16);
  const bot = i8x16.shuffle(v, z, 8, 16, 11, 16, 9, 16, 12, 16, 10, 16, 13, 16, 16, 16, 16, 16);
  let r = i32x4.add(i32x4.dot_i16x8_s(top, wa), i32x4.dot_i16x8_s(bot, wb));
  r = i32x4.shr_s(i32x4.add(r, i32x4.splat(16384)), 15);
  const n = i16x8.narrow_i32x4_s(r, r);
  // Writes 4 bytes: the 4th is the next pixel's first, rewritten by it (the host leaves slack at the end).
  v128.store32_lane(d, i8x16.narrow_i16x8_u(n, n), 0);
}

/** One pixel of one image whose taps are partly outside (they read 0). */
function edge(s: usize, w: i32, h: i32, sx: i32, sy: i32, tab: usize, d: usize): void {
  const row = w * 3;
  const w0 = <i32>load<i16>(tab);
  const w1 = <i32>load<i16>(tab, 2);
  const w2 = <i32>load<i16>(tab, 16);
  const w3 = <i32>load<i16>(tab, 18);
  const in0 = sx >= 0;
  const in1 = sx + 1 < w;
  const t0 = sy >= 0;
  const t1 = sy + 1 < h;
  for (let k = 0; k < 3; k++) {
    const p = s + <usize>(sy * row + sx * 3 + k);
    const v0 = in0 && t0 ? <i32>load<u8>(p) : 0;
    const v1 = in1 && t0 ? <i32>load<u8>(p + 3) : 0;
    const v2 = in0 && t1 ? <i32>load<u8>(p + <usize>row) : 0;
    const v3 = in1 && t1 ? <i32>load<u8>(p + <usize>row + 3) : 0;
    const v = (v0 * w0 + v1 * w1 + v2 * w2 + v3 * w3 + 16384) >> 15;
    store<u8>(d + <usize>k, v < 0 ? 0 : v > 255 ? 255 : v);
  }
}

/**
 * Warps sA (and sB when nonzero) of w x h x 3 into dA (dB) of outW x outH x 3.
 * m: 9 f64, the dst -> src homography. tab: 1024 entries of two i16x8 vectors,
 * [w0, w1] x3 and [w2, w3] x3 (zero-padded), indexed by (fy·32 + fx) of the 1/32-pixel
 * fraction. bw0: OpenCV's block width, on which its coordinate sums depend.
 */
export function warpPerspectiveRgbU8(
  sA: usize,
  sB: usize,
  w: i32,
  h: i32,
  m: usize,
  dA: usize,
  dB: usize,
  outW: i32,
  outH: i32,
  tab: usize,
  bw0: i32,
): void {
  const M0 = load<f64>(m);
  const M1 = load<f64>(m, 8);
  const M2 = load<f64>(m, 16);
  const M3 = load<f64>(m, 24);
  const M4 = load<f64>(m, 32);
  const M5 = load<f64>(m, 40);
  const M6 = load<f64>(m, 48);
  const M7 = load<f64>(m, 56);
  const M8 = load<f64>(m, 64);
  const row = <usize>(w * 3);
  const w1 = <u32>(w - 1);
  const h1 = <u32>(h - 1);
  const m0 = f64x2.splat(M0);
  const m3 = f64x2.splat(M3);
  const m6 = f64x2.splat(M6);
  const k32 = f64x2.splat(32.0);
  const imax = f64x2.splat(2147483647.0);
  const lim = i32x4(w1, w1, h1, h1);
  const rowStep = i32x4(3, 3, <i32>row, <i32>row);
  for (let y = 0; y < outH; y++) {
    const fy = <f64>y;
    for (let xb = 0; xb < outW; xb += bw0) {
      const bw = min(bw0, outW - xb);
      const fxb = <f64>xb;
      const X0 = f64x2.splat(M0 * fxb + M1 * fy + M2);
      const Y0 = f64x2.splat(M3 * fxb + M4 * fy + M5);
      const W0 = f64x2.splat(M6 * fxb + M7 * fy + M8);
      let o = <usize>((y * outW + xb) * 3);
      let xv = f64x2(0, 1);
      for (let x1 = 0; x1 < bw; x1 += 2, o += 6, xv = f64x2.add(xv, f64x2.splat(2))) {
        // Two pixels' positions in 1/32 pixel: [X, X', Y, Y'] (as cvRound of the clamped double; NaN -> INT_MAX).
        let W = f64x2.add(W0, f64x2.mul(m6, xv));
        W = v128.and(f64x2.div(k32, W), f64x2.ne(W, f64x2.splat(0)));
        let fX = f64x2.mul(f64x2.add(X0, f64x2.mul(m0, xv)), W);
        let fY = f64x2.mul(f64x2.add(Y0, f64x2.mul(m3, xv)), W);
        fX = v128.bitselect(fX, imax, f64x2.eq(fX, fX));
        fY = v128.bitselect(fY, imax, f64x2.eq(fY, fY));
        const XY = i32x4.shuffle(
          i32x4.trunc_sat_f64x2_s_zero(f64x2.nearest(fX)),
          i32x4.trunc_sat_f64x2_s_zero(f64x2.nearest(fY)),
          0, 1, 4, 5,
        );
        const S = i32x4.shr_s(XY, 5);
        const F = v128.and(XY, i32x4.splat(31));
        // Table offsets (fy·32 + fx)·32 and source offsets sy·row + sx·3 of both pixels.
        const T = i32x4.shl(v128.or(i32x4.shl(i32x4.shuffle(F, F, 2, 3, 2, 3), 5), F), 5);
        const P = i32x4.mul(S, rowStep);
        const inside = i32x4.lt_u(S, lim);
        const two = x1 + 1 < bw;
        if (i32x4.all_true(two ? inside : i32x4.shuffle(inside, inside, 0, 0, 2, 2))) {
          pixel(sA, sB, <usize>(i32x4.extract_lane(P, 0) + i32x4.extract_lane(P, 2)), row, tab + <usize>i32x4.extract_lane(T, 0), dA + o, dB + o);
          if (two) pixel(sA, sB, <usize>(i32x4.extract_lane(P, 1) + i32x4.extract_lane(P, 3)), row, tab + <usize>i32x4.extract_lane(T, 1), dA + o + 3, dB + o + 3);
          continue;
        }
        outer(sA, sB, w, h, i32x4.extract_lane(S, 0), i32x4.extract_lane(S, 2), row, tab + <usize>i32x4.extract_lane(T, 0), dA + o, dB + o);
        if (two) outer(sA, sB, w, h, i32x4.extract_lane(S, 1), i32x4.extract_lane(S, 3), row, tab + <usize>i32x4.extract_lane(T, 1), dA + o + 3, dB + o + 3);
      }
    }
  }
}

/** An inlier pixel of both images (sB = 0: one image). */
// @ts-ignore: decorator
@inline
function pixel(sA: usize, sB: usize, p: usize, row: usize, t: usize, dA: usize, dB: usize): void {
  const wa = v128.load(t);
  const wb = v128.load(t, 16);
  inner(sA, p, row, wa, wb, dA);
  if (sB != 0) inner(sB, p, row, wa, wb, dB);
}

/** Any pixel of both images (sB = 0: one image), taps outside reading 0. */
function outer(sA: usize, sB: usize, w: i32, h: i32, sx: i32, sy: i32, row: usize, t: usize, dA: usize, dB: usize): void {
  if (<u32>sx < <u32>(w - 1) && <u32>sy < <u32>(h - 1)) {
    pixel(sA, sB, <usize>sy * row + <usize>(sx * 3), row, t, dA, dB);
  } else if (sx >= w || sx + 1 < 0 || sy >= h || sy + 1 < 0) {
    store<u16>(dA, 0);
    store<u8>(dA, 0, 2);
    if (sB != 0) {
      store<u16>(dB, 0);
      store<u8>(dB, 0, 2);
    }
  } else {
    edge(sA, w, h, sx, sy, t, dA);
    if (sB != 0) edge(sB, w, h, sx, sy, t, dB);
  }
}
