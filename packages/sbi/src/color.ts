/**
 * The colour part of SBI's source-target augmentation on `uint8` RGB, with albumentations'
 * `uint8` arithmetic: per-channel look-up tables built in float32 and truncated
 * (`astype(uint8)`), the HSV shift through OpenCV's `uint8` RGB↔HSV conversions.
 * One fused pass per image, no per-pixel allocation.
 */
import { saturateU8, type Rng } from '@caddm/image';
import type { ColorJitterOptions } from './options.js';

/** The drawn colour parameters (`null`: the step was not applied). */
export interface ColorJitterParams {
  /** R, G, B shifts in levels. */
  rgbShift: [number, number, number] | null;
  /** Hue, saturation, value shifts (OpenCV `uint8` units). */
  hsvShift: [number, number, number] | null;
  /** Contrast gain `alpha` and brightness `beta` (fraction of 255). */
  brightnessContrast: [number, number] | null;
}

const f32 = Math.fround;
const clamp255 = (v: number): number => (v < 0 ? 0 : v > 255 ? 255 : v);

/**
 * Draws the colour parameters, in the order albumentations applies the steps.
 * @param rng - random source
 * @param o - ranges and probabilities
 */
export function sampleColorJitter(rng: Rng, o: ColorJitterOptions): ColorJitterParams {
  const u = (r: readonly [number, number]): number => rng.uniform(r[0], r[1]);
  const rgbShift = rng.next() < o.rgbShiftProb ? ([u(o.rgbShift), u(o.rgbShift), u(o.rgbShift)] as [number, number, number]) : null;
  const hsvShift = rng.next() < o.hsvProb ? ([u(o.hueShift), u(o.satShift), u(o.valShift)] as [number, number, number]) : null;
  const brightnessContrast = rng.next() < o.brightnessContrastProb ? ([1 + u(o.contrast), u(o.brightness)] as [number, number]) : null;
  return { rgbShift, hsvShift, brightnessContrast };
}

/** albumentations `_shift_image_uint8`: `clip(float32(v) + shift, 0, 255).astype(uint8)`. */
function shiftLut(shift: number): Uint8Array {
  const lut = new Uint8Array(256);
  const s = f32(shift);
  for (let v = 0; v < 256; v++) lut[v] = Math.trunc(clamp255(f32(v + s)));
  return lut;
}

/** albumentations `_brightness_contrast_adjust_uint` with `brightness_by_max`. */
function brightnessContrastLut(alpha: number, beta: number): Uint8Array {
  const lut = new Uint8Array(256);
  const a = f32(alpha);
  const b = f32(beta * 255);
  for (let v = 0; v < 256; v++) {
    let x = alpha !== 1 ? f32(v * a) : v;
    if (beta !== 0) x = f32(x + b);
    lut[v] = Math.trunc(clamp255(x));
  }
  return lut;
}

const IDENTITY = Uint8Array.from({ length: 256 }, (_, i) => i);

// OpenCV's uint8 RGB2HSV division tables (hsv_shift = 12)
const HSV_SHIFT = 12;
let sdiv: Int32Array | undefined;
let hdiv: Int32Array | undefined;
function hsvTables(): [Int32Array, Int32Array] {
  if (!sdiv || !hdiv) {
    sdiv = new Int32Array(256);
    hdiv = new Int32Array(256);
    for (let i = 1; i < 256; i++) {
      sdiv[i] = Math.round((255 << HSV_SHIFT) / i);
      hdiv[i] = Math.round((180 << HSV_SHIFT) / (6 * i));
    }
  }
  return [sdiv, hdiv];
}

// HSV2RGB factors that depend on (H, S) only, OpenCV's float32 arithmetic:
// sector of H, then p = v·(1 − s), q = v·(1 − s·f), t = v·(1 − s·(1 − f)) with f the hue fraction.
let tables: { sector: Int32Array; unit: Float64Array; pf: Float64Array; qf: Float64Array; tf: Float64Array } | undefined;
function hsv2rgbTables(): NonNullable<typeof tables> {
  if (!tables) {
    const sector = new Int32Array(256);
    const frac = new Float64Array(256);
    const unit = new Float64Array(256);
    const hscale = f32(6 / 180);
    const s255 = f32(1 / 255);
    for (let i = 0; i < 256; i++) {
      let hh = f32(i * hscale);
      while (hh >= 6) hh = f32(hh - 6);
      sector[i] = Math.floor(hh);
      frac[i] = f32(hh - sector[i]);
      unit[i] = f32(i * s255);
    }
    const pf = new Float64Array(256);
    const qf = new Float64Array(256 * 256);
    const tf = new Float64Array(256 * 256);
    for (let S = 0; S < 256; S++) {
      const sv = unit[S];
      pf[S] = f32(1 - sv);
      for (let H = 0; H < 256; H++) {
        qf[H * 256 + S] = f32(1 - f32(sv * frac[H]));
        tf[H * 256 + S] = f32(1 - f32(sv * f32(1 - frac[H])));
      }
    }
    tables = { sector, unit, pf, qf, tf };
  }
  return tables;
}

/**
 * Applies drawn colour parameters: `dst = BC(HSV(RGBshift(src)))` per pixel.
 * @param src - dense RGB `uint8` data (`n*3` bytes)
 * @param dst - output of the same length (may be `src`)
 * @param p - parameters from {@link sampleColorJitter}
 */
export function applyColorJitter(src: Uint8Array, dst: Uint8Array, p: ColorJitterParams): void {
  const lr = p.rgbShift ? shiftLut(p.rgbShift[0]) : IDENTITY;
  const lg = p.rgbShift ? shiftLut(p.rgbShift[1]) : IDENTITY;
  const lb = p.rgbShift ? shiftLut(p.rgbShift[2]) : IDENTITY;
  const bc = p.brightnessContrast ? brightnessContrastLut(p.brightnessContrast[0], p.brightnessContrast[1]) : IDENTITY;
  const n = src.length;
  const hsv = p.hsvShift;
  if (!hsv || (hsv[0] === 0 && hsv[1] === 0 && hsv[2] === 0)) {
    // no HSV step: the look-up tables compose
    const cr = new Uint8Array(256);
    const cg = new Uint8Array(256);
    const cb = new Uint8Array(256);
    for (let v = 0; v < 256; v++) {
      cr[v] = bc[lr[v]];
      cg[v] = bc[lg[v]];
      cb[v] = bc[lb[v]];
    }
    for (let j = 0; j < n; j += 3) {
      dst[j] = cr[src[j]];
      dst[j + 1] = cg[src[j + 1]];
      dst[j + 2] = cb[src[j + 2]];
    }
    return;
  }
  // albumentations _shift_hsv_uint8: hue mod 180, saturation and value clipped, truncated
  const lh = new Uint8Array(256);
  const ls = new Uint8Array(256);
  const lv = new Uint8Array(256);
  for (let v = 0; v < 256; v++) {
    lh[v] = hsv[0] !== 0 ? Math.trunc((((v + hsv[0]) % 180) + 180) % 180) : v;
    ls[v] = hsv[1] !== 0 ? Math.trunc(clamp255(v + hsv[1])) : v;
    lv[v] = hsv[2] !== 0 ? Math.trunc(clamp255(v + hsv[2])) : v;
  }
  const [sd, hd] = hsvTables();
  const { sector, unit, pf, qf, tf } = hsv2rgbTables();
  const half = 1 << (HSV_SHIFT - 1);
  for (let j = 0; j < n; j += 3) {
    const r = lr[src[j]];
    const g = lg[src[j + 1]];
    const b = lb[src[j + 2]];
    // RGB -> HSV, OpenCV uint8 fixed point
    const v = r > g ? (r > b ? r : b) : g > b ? g : b;
    const vmin = r < g ? (r < b ? r : b) : g < b ? g : b;
    const diff = v - vmin;
    let hh = v === r ? g - b : v === g ? b - r + 2 * diff : r - g + 4 * diff;
    const s0 = (diff * sd[v] + half) >> HSV_SHIFT;
    hh = (hh * hd[diff] + half) >> HSV_SHIFT;
    if (hh < 0) hh += 180;
    // shift
    const H = lh[hh];
    const S = ls[s0];
    const vf = unit[lv[v]];
    // HSV -> RGB, OpenCV float32 path
    if (S === 0) {
      const x = bc[saturateU8(f32(vf * 255))];
      dst[j] = x;
      dst[j + 1] = x;
      dst[j + 2] = x;
      continue;
    }
    const V = saturateU8(f32(vf * 255));
    const P = saturateU8(f32(f32(vf * pf[S]) * 255));
    const hs = H * 256 + S;
    let ro: number;
    let go: number;
    let bo: number;
    switch (sector[H]) {
      case 0:
        bo = P;
        go = saturateU8(f32(f32(vf * tf[hs]) * 255));
        ro = V;
        break;
      case 1:
        bo = P;
        go = V;
        ro = saturateU8(f32(f32(vf * qf[hs]) * 255));
        break;
      case 2:
        bo = saturateU8(f32(f32(vf * tf[hs]) * 255));
        go = V;
        ro = P;
        break;
      case 3:
        bo = V;
        go = saturateU8(f32(f32(vf * qf[hs]) * 255));
        ro = P;
        break;
      case 4:
        bo = V;
        go = P;
        ro = saturateU8(f32(f32(vf * tf[hs]) * 255));
        break;
      default:
        bo = saturateU8(f32(f32(vf * qf[hs]) * 255));
        go = P;
        ro = V;
    }
    dst[j] = bc[ro];
    dst[j + 1] = bc[go];
    dst[j + 2] = bc[bo];
  }
}
