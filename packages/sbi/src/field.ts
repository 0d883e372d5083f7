/**
 * The elastic displacement field of albumentations' `ElasticTransform` (non-approximate:
 * `alpha · G_σ * U(-1, 1)` per axis, scipy `gaussian_filter` with a `reflect` border), computed
 * with a recursive Gaussian (Young & van Vliet 1995, third order) instead of the 57-tap FIR
 * that σ = 7 needs: O(1) work per pixel. The field is random, so only its distribution
 * matters; the recursive filter is rescaled so the field's variance equals the one the exact
 * Gaussian gives, and signals are padded by reflection like scipy's border.
 *
 * For σ >= 4 the field is generated on a grid of every second pixel (with σ/2, its amplitude
 * matched) and interpolated bilinearly: the smoothed field has no content above 1/4 cycle per
 * pixel (the Gaussian's response there is below e⁻¹⁹ for σ = 4, e⁻⁶⁰ for SBI's σ = 7), so the
 * coarse grid loses nothing but a quarter of the work.
 */
import { borderIndex, type Rng } from '@caddm/image';

interface Coeffs {
  /** input gain B */
  b: number;
  /** feedback b1/b0, b2/b0, b3/b0 */
  a1: number;
  a2: number;
  a3: number;
  /** rescaling of one 1-D pass so its squared norm equals the exact Gaussian's */
  gain: number;
  /** padding on each side */
  pad: number;
  /** squared norm of the exact (scipy) 1-D kernel */
  energy: number;
}

const cache = new Map<number, Coeffs>();

/** Runs the causal and anti-causal recursions over `x[0..n)` in place (steady-state starts). */
function recurse1d(x: Float64Array, n: number, c: Coeffs): void {
  let w1 = x[0];
  let w2 = w1;
  let w3 = w1;
  for (let i = 0; i < n; i++) {
    const w = c.b * x[i] + c.a1 * w1 + c.a2 * w2 + c.a3 * w3;
    x[i] = w;
    w3 = w2;
    w2 = w1;
    w1 = w;
  }
  let y1 = x[n - 1];
  let y2 = y1;
  let y3 = y1;
  for (let i = n - 1; i >= 0; i--) {
    const y = c.b * x[i] + c.a1 * y1 + c.a2 * y2 + c.a3 * y3;
    x[i] = y;
    y3 = y2;
    y2 = y1;
    y1 = y;
  }
}

function coefficients(sigma: number): Coeffs {
  let c = cache.get(sigma);
  if (c) return c;
  const q = sigma >= 2.5 ? 0.98711 * sigma - 0.9633 : 3.97156 - 4.14554 * Math.sqrt(1 - 0.26891 * sigma);
  const q2 = q * q;
  const q3 = q2 * q;
  const b0 = 1.57825 + 2.44413 * q + 1.4281 * q2 + 0.422205 * q3;
  const b1 = 2.44413 * q + 2.85619 * q2 + 1.26661 * q3;
  const b2 = -(1.4281 * q2 + 1.26661 * q3);
  const b3 = 0.422205 * q3;
  const radius = Math.floor(4 * sigma + 0.5); // scipy's truncate = 4
  c = { b: 1 - (b1 + b2 + b3) / b0, a1: b1 / b0, a2: b2 / b0, a3: b3 / b0, gain: 1, pad: radius, energy: 0 };
  // squared norms: exact (scipy) kernel vs the recursive filter's impulse response
  let sum = 0;
  let sq = 0;
  for (let i = -radius; i <= radius; i++) sum += Math.exp((-0.5 * i * i) / (sigma * sigma));
  for (let i = -radius; i <= radius; i++) sq += (Math.exp((-0.5 * i * i) / (sigma * sigma)) / sum) ** 2;
  const n = 2 * Math.ceil(12 * sigma) + 1;
  const imp = new Float64Array(n);
  imp[n >> 1] = 1;
  recurse1d(imp, n, c);
  let sqIir = 0;
  for (let i = 0; i < n; i++) sqIir += imp[i] * imp[i];
  c.gain = Math.sqrt(sq / sqIir);
  c.energy = sq;
  cache.set(sigma, c);
  return c;
}

/** Reusable buffers of {@link elasticField} for one image size. */
export class FieldScratch {
  /** padded, transposed rows: `(w + 2 * pad) * h` */
  readonly rowsT: Float32Array;
  /** reflect index of each padded row position */
  readonly rowIdx: Int32Array;
  /** padded columns, `(h + 2 * pad) * w` */
  readonly cols: Float32Array;
  /** a field of this grid's size (the coarse grid's field) */
  readonly grid: Float32Array;
  /** reflect index of each padded column position */
  readonly colIdx: Int32Array;
  /**
   * @param h - field height
   * @param w - field width
   * @param pad - padding on each side (the Gaussian's radius)
   */
  constructor(
    readonly h: number,
    readonly w: number,
    readonly pad: number,
  ) {
    this.rowsT = new Float32Array((w + 2 * pad) * h);
    this.rowIdx = Int32Array.from({ length: w + 2 * pad }, (_, i) => borderIndex(i - pad, w, 'reflect'));
    this.cols = new Float32Array((h + 2 * pad) * w);
    this.colIdx = Int32Array.from({ length: h + 2 * pad }, (_, i) => borderIndex(i - pad, h, 'reflect'));
    this.grid = new Float32Array(h * w);
  }
}

/**
 * Runs the causal then anti-causal recursion down the `n` rows of `buf` (`n x lanes`), every
 * lane (column) independently: no loop-carried dependency inside a row, so it pipelines.
 */
function recurseRows(buf: Float32Array, n: number, lanes: number, c: Coeffs): void {
  const { b, a1, a2, a3 } = c;
  for (let i = 0; i < n; i++) {
    const o = i * lanes;
    const o1 = (i > 0 ? i - 1 : 0) * lanes;
    const o2 = (i > 1 ? i - 2 : 0) * lanes;
    const o3 = (i > 2 ? i - 3 : 0) * lanes;
    for (let x = 0; x < lanes; x++) buf[o + x] = b * buf[o + x] + a1 * buf[o1 + x] + a2 * buf[o2 + x] + a3 * buf[o3 + x];
  }
  for (let i = n - 1; i >= 0; i--) {
    const o = i * lanes;
    const o1 = (i < n - 1 ? i + 1 : n - 1) * lanes;
    const o2 = (i < n - 2 ? i + 2 : n - 1) * lanes;
    const o3 = (i < n - 3 ? i + 3 : n - 1) * lanes;
    for (let x = 0; x < lanes; x++) buf[o + x] = b * buf[o + x] + a1 * buf[o1 + x] + a2 * buf[o2 + x] + a3 * buf[o3 + x];
  }
}

/** Smooths `field` (`h*w`, row-major) in place by the recursive Gaussian, scaled by `scale`. */
function smooth(field: Float32Array, c: Coeffs, scale: number, s: FieldScratch): void {
  const { h, w, pad, rowsT, rowIdx, cols, colIdx } = s;
  // along x: transpose into padded rows of length h, recurse, transpose back
  const nw = w + 2 * pad;
  for (let i = 0; i < nw; i++) {
    const src = rowIdx[i];
    const dst = i * h;
    for (let y = 0; y < h; y++) rowsT[dst + y] = field[y * w + src];
  }
  recurseRows(rowsT, nw, h, c);
  for (let y = 0; y < h; y++) {
    const dst = y * w;
    for (let x = 0; x < w; x++) field[dst + x] = rowsT[(x + pad) * h + y];
  }
  // along y
  const nh = h + 2 * pad;
  for (let i = 0; i < nh; i++) {
    const src = colIdx[i] * w;
    const dst = i * w;
    for (let x = 0; x < w; x++) cols[dst + x] = field[src + x];
  }
  recurseRows(cols, nh, w, c);
  const k = c.gain * c.gain * scale;
  for (let y = 0; y < h; y++) {
    const src = (y + pad) * w;
    const dst = y * w;
    for (let x = 0; x < w; x++) field[dst + x] = cols[src + x] * k;
  }
}

/** Fills `out` with uniform floats in `[-1, 1)` from an inline mulberry32 stream. */
function fillNoise(out: Float32Array, seed: number): void {
  let s = seed >>> 0;
  for (let i = 0; i < out.length; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
}

/** Bilinear 2x upsampling: `out(x, y) = lo(x / 2, y / 2)` (`lo` is `lh x lw`, covering `(h-1)/2`, `(w-1)/2`). */
function upsample2(lo: Float32Array, lw: number, out: Float32Array, h: number, w: number): void {
  for (let y = 0; y < h; y++) {
    const r0 = (y >> 1) * lw;
    const odd = y & 1;
    const r1 = r0 + (odd ? lw : 0);
    const o = y * w;
    for (let x = 0; x < w; x++) {
      const c0 = x >> 1;
      const c1 = c0 + (x & 1);
      out[o + x] = 0.25 * (lo[r0 + c0] + lo[r0 + c1] + lo[r1 + c0] + lo[r1 + c1]);
    }
  }
}

/**
 * An elastic displacement field `dx`, `dy` (`h*w` each): `alpha · G_σ * U(-1, 1)`.
 * @param h - height
 * @param w - width
 * @param alpha - displacement scale in pixels
 * @param sigma - smoothing in pixels (>= 0.5)
 * @param rng - random source (two draws seed the noise of `dx` and `dy`)
 * @param out - optional `{ dx, dy }` buffers of `h*w` and a {@link FieldScratch} to reuse (replaced in `out` when missing or of another size)
 */
export function elasticField(
  h: number,
  w: number,
  alpha: number,
  sigma: number,
  rng: Rng,
  out?: { dx: Float32Array; dy: Float32Array; scratch?: FieldScratch },
): { dx: Float32Array; dy: Float32Array } {
  const coarse = sigma >= 4 && h > 2 && w > 2;
  const gh = coarse ? ((h - 1) >> 1) + 2 : h;
  const gw = coarse ? ((w - 1) >> 1) + 2 : w;
  const c = coefficients(coarse ? sigma / 2 : sigma);
  // per-pixel variance of the exact field / of the grid's field, per axis
  const amp = coarse ? coefficients(sigma).energy / c.energy : 1;
  let scratch = out?.scratch;
  if (!scratch || scratch.h !== gh || scratch.w !== gw || scratch.pad !== c.pad) scratch = new FieldScratch(gh, gw, c.pad);
  if (out) out.scratch = scratch;
  const dx = out?.dx ?? new Float32Array(h * w);
  const dy = out?.dy ?? new Float32Array(h * w);
  for (const f of [dx, dy]) {
    const g = coarse ? scratch.grid : f;
    fillNoise(g, Math.floor(rng.next() * 4294967296));
    smooth(g, c, alpha * amp, scratch);
    if (coarse) upsample2(g, gw, f, h, w);
  }
  return { dx, dy };
}
