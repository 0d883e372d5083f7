/**
 * Alpha blending, as the reference's `alpha_blending_func`:
 * `out = m · foreground + (1 − m) · background` with the (usually blurred) mask `m`
 * scaled to `[0, 1]`.
 */
import { contiguous, imageSize, wrapImage, type Image, type ImageData } from '@caddm/image';
import { MfsArgumentError, MfsShapeError } from './errors.js';

/** Options of {@link alphaBlend}. */
export interface AlphaOptions {
  /**
   * Value of a fully opaque mask pixel (default: 255 for `uint8` masks, 1 for float
   * masks; the reference divides its blurred 0..255 mask by 255).
   */
  maskScale?: number;
  /**
   * How `uint8` results are made integers: `truncate` (default, the reference's
   * `astype(np.uint8)`) or `round`. Values are clamped to 0..255 either way.
   */
  rounding?: 'truncate' | 'round';
  /** Preallocated dense output (the background's size, channels and dtype). */
  out?: Image;
}

/**
 * Blends `foreground` over `background` with a per-pixel weight.
 * @param background - HWC image
 * @param foreground - HWC image of the same size and channels
 * @param mask - HW, HW1 or HWC weights (a 1-channel mask weights every channel alike)
 * @throws MfsShapeError when sizes disagree; MfsArgumentError for a non-positive mask scale
 */
export function alphaBlend<D extends ImageData>(
  background: Image<D>,
  foreground: Image,
  mask: Image | { data: ArrayLike<number>; shape: readonly number[] },
  options: AlphaOptions = {},
): Image<D> {
  const { height: H, width: W, channels: C } = imageSize(background);
  const f = imageSize(foreground);
  if (f.height !== H || f.width !== W || f.channels !== C) {
    throw new MfsShapeError(`foreground is ${f.height}x${f.width}x${f.channels}, background is ${H}x${W}x${C}`);
  }
  const mc = mask.shape.length === 3 ? mask.shape[2] : 1;
  if (mask.shape.length < 2 || mask.shape[0] !== H || mask.shape[1] !== W || (mc !== 1 && mc !== C)) {
    throw new MfsShapeError(`mask is ${mask.shape.join('x')}, images are ${H}x${W}x${C} (mask needs 1 or ${C} channels)`);
  }
  const md: ArrayLike<number> = 'stride' in mask && (mask as Image).stride ? contiguous(mask as Image).data : mask.data;
  const scale = options.maskScale ?? (md instanceof Uint8Array ? 255 : 1);
  if (!(scale > 0) || !Number.isFinite(scale)) throw new MfsArgumentError(`maskScale must be > 0, got ${scale}`);
  const bg = contiguous(background).data;
  const fg = contiguous(foreground).data;
  let out: D;
  if (options.out != null) {
    const s = imageSize(options.out);
    if (s.height !== H || s.width !== W || s.channels !== C || options.out.data.constructor !== bg.constructor) {
      throw new MfsShapeError(`out must be a ${H}x${W}x${C} image of the background's dtype`);
    }
    out = contiguous(options.out).data as D;
  } else out = new (bg.constructor as new (n: number) => D)(bg.length);
  const inv = 1 / scale;
  const isU8 = out instanceof Uint8Array;
  const round = options.rounding === 'round';
  const n = H * W;
  if (mc === 1 && C === 3 && isU8 && !round) {
    // The common case (RGB uint8, one-channel mask, reference truncation), same arithmetic:
    // the background is copied whole (one memcpy), then the masked pixels are blended.
    if (out !== bg) (out as Uint8Array).set(bg as Uint8Array);
    for (let p = 0, o = 0; p < n; p++, o += 3) {
      let m = md[p] * inv;
      if (m <= 0) continue;
      if (m > 1) m = 1;
      const q = 1 - m;
      // A convex combination of uint8 values lies in [0, 255]: the uint8 store truncates
      // like Math.floor (which costs more than the blend itself).
      out[o] = m * fg[o] + q * bg[o];
      out[o + 1] = m * fg[o + 1] + q * bg[o + 1];
      out[o + 2] = m * fg[o + 2] + q * bg[o + 2];
    }
    return (options.out as Image<D> | undefined) ?? wrapImage(out, H, W, C);
  }
  for (let p = 0; p < n; p++) {
    for (let k = 0; k < C; k++) {
      const o = p * C + k;
      let m = md[mc === 1 ? p : o] * inv;
      m = m < 0 ? 0 : m > 1 ? 1 : m;
      const v = m * fg[o] + (1 - m) * bg[o];
      out[o] = isU8 ? (v <= 0 ? 0 : v >= 255 ? 255 : round ? Math.round(v) : Math.floor(v)) : v;
    }
  }
  return (options.out as Image<D> | undefined) ?? wrapImage(out, H, W, C);
}
