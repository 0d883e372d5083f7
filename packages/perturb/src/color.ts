/**
 * The two luma/chroma perturbations of DeeperForensics-1.0: colour saturation change (CS) and
 * white Gaussian noise in the colour components (GNC).
 *
 * The reference converts a float32 BGR image holding 0..255 values with OpenCV's float
 * `COLOR_BGR2YCrCb` (`Y = .299R + .587G + .114B`, `Cr = .713(R-Y) + δ`, `Cb = .564(B-Y) + δ`
 * with OpenCV's float offset δ = 0.5, although the values are on the 0..255 scale), maps
 * `x → (x·219 + 16)/255` (luma) and `x → (x·224 + 16)/255` (chroma), perturbs there, maps back,
 * converts back with `COLOR_YCrCb2BGR` (`R = Y + 1.403(Cr-δ)`, `G = Y - .714(Cr-δ) - .344(Cb-δ)`,
 * `B = Y + 1.773(Cb-δ)`) and truncates to `uint8` (`astype(np.uint8)`).
 *
 * The truncation makes single float32 roundings visible (an exact grey 100 may come back as
 * 99), so this module replays that arithmetic step by step in float32 (`Math.fround`), with
 * fused multiply-adds where OpenCV's AVX2 colour conversion uses them. It reproduces OpenCV
 * 4.6 + numpy 1.24 bit-exactly on the recorded fixtures (196 608 random samples checked during development).
 */
import { wrapImage, type Image, type ImageU8, type Rng } from '@caddm/image';
import { PerturbArgumentError } from './errors.js';
import { denseU8 } from './u8.js';

const F = Math.fround;
const KR = F(0.299);
const KG = F(0.587);
const KB = F(0.114);
const CR = F(0.713);
const CB = F(0.564);
const CR2R = F(1.403);
const CR2G = F(-0.714);
const CB2G = F(-0.344);
const CB2B = F(1.773);

/** float32 `a·b + c` with one rounding of the product-sum (an FMA; `a·b` of two float32s is exact in float64). */
function fma(a: number, b: number, c: number): number {
  return F(a * b + c);
}

/** The reference's studio-range luma map `(v·219 + 16) / 255`, in float32. */
function toStudioY(v: number): number {
  return F(F(F(v * 219) + 16) / 255);
}
/** The reference's studio-range chroma map `(v·224 + 16) / 255`, in float32. */
function toStudioC(v: number): number {
  return F(F(F(v * 224) + 16) / 255);
}
/** Inverse of {@link toStudioY}: `(v·255 - 16) / 219`, in float32. */
function fromStudioY(v: number): number {
  return F(F(F(v * 255) - 16) / 219);
}
/** Inverse of {@link toStudioC}: `(v·255 - 16) / 224`, in float32. */
function fromStudioC(v: number): number {
  return F(F(F(v * 255) - 16) / 224);
}

/** `np.clip(v, 0, 255).astype(np.uint8)` for a float32 value. */
function clipTrunc(v: number): number {
  return v <= 0 ? 0 : v >= 255 ? 255 : Math.trunc(v);
}

/**
 * Colour saturation change (DeeperForensics' `color_saturation`): keeps the luma and
 * multiplies the chroma deviations (Cb, Cr around their neutral value) by `factor`, so 0
 * gives grey. The reference scales around 0.5 on its studio chroma scale, where neutral is
 * `(0.5·224 + 16)/255 ≈ 0.50196`, so colours also shift by about -0.003 levels in R and B,
 * which its truncation turns into a 1-level drop on many pixels (a grey 100 becomes
 * (99, 100, 99) at factor 0): reproduced here.
 * @param img - RGB `uint8` image (not modified)
 * @param factor - chroma factor, in [0, 1] for the five levels (0.4 .. 0.0)
 * @throws PerturbArgumentError for a non-RGB or non-`uint8` image or a factor outside [0, 1]
 */
export function colorSaturation(img: Image, factor: number): ImageU8 {
  if (!(factor >= 0 && factor <= 1)) throw new PerturbArgumentError(`saturation factor must be in [0, 1], got ${factor}`);
  const src = denseU8(img, 'colorSaturation', 3);
  const s = src.data;
  const out = new Uint8Array(s.length);
  const p = F(factor);
  for (let j = 0; j < s.length; j += 3) {
    const r = s[j];
    const g = s[j + 1];
    const b = s[j + 2];
    const y = fma(b, KB, fma(g, KG, F(r * KR)));
    const cr = toStudioC(fma(F(r - y), CR, 0.5));
    const cb = toStudioC(fma(F(b - y), CB, 0.5));
    const yy = fromStudioY(toStudioY(y));
    const dcr = F(fromStudioC(F(0.5 + F(F(cr - 0.5) * p))) - 0.5);
    const dcb = F(fromStudioC(F(0.5 + F(F(cb - 0.5) * p))) - 0.5);
    out[j] = clipTrunc(fma(dcr, CR2R, yy));
    out[j + 1] = clipTrunc(fma(dcr, CR2G, fma(dcb, CB2G, yy)));
    out[j + 2] = clipTrunc(fma(dcb, CB2B, yy));
  }
  return wrapImage(out, src.shape[0], src.shape[1], 3);
}

/** Scale from the noise's standard deviation on the reference's [0, 1] luma scale to 0..255 luma: `255 · 255/219`. */
export const NOISE_LUMA_SCALE = (255 * 255) / 219;
/** Scale from the noise's standard deviation on the reference's [0, 1] chroma scale to 0..255 chroma units: `255 · 255/224`. */
export const NOISE_CHROMA_SCALE = (255 * 255) / 224;

/**
 * White Gaussian noise in the colour components (DeeperForensics' `gaussian_noise_color`):
 * adds independent `N(0, variance)` noise to Y, Cb and Cr on the reference's [0, 1] scale
 * (its studio-range values divided by 255), converts back, clips to 0..255 and truncates.
 * Because the reference applies the studio-range maps to 0..255 values, the noise's
 * standard deviation in 0..255 units is `√variance · 255·255/219` on Y ({@link NOISE_LUMA_SCALE})
 * and `√variance · 255·255/224` on Cb and Cr ({@link NOISE_CHROMA_SCALE}), where
 * `Cr = .713(R-Y)`, `Cb = .564(B-Y)`. Draws three normals per pixel (Y, Cb, Cr) from `rng`,
 * so the noise itself differs from numpy's; the arithmetic around it is the reference's.
 * @param img - RGB `uint8` image (not modified)
 * @param variance - noise variance on the [0, 1] scale (0.001 .. 0.05 for the five levels)
 * @param rng - seeded random source
 * @throws PerturbArgumentError for a non-RGB or non-`uint8` image, a non-finite or negative variance, or no rng
 */
export function gaussianNoiseColor(img: Image, variance: number, rng: Rng): ImageU8 {
  if (!(Number.isFinite(variance) && variance >= 0)) throw new PerturbArgumentError(`noise variance must be a finite number >= 0, got ${variance}`);
  if (!rng || typeof rng.normal !== 'function') throw new PerturbArgumentError('gaussianNoiseColor needs an rng (createRng(seed) from @caddm/image)');
  const src = denseU8(img, 'gaussianNoiseColor', 3);
  const s = src.data;
  const out = new Uint8Array(s.length);
  const sd = Math.sqrt(variance);
  for (let j = 0; j < s.length; j += 3) {
    const r = s[j];
    const g = s[j + 1];
    const b = s[j + 2];
    const y = fma(b, KB, fma(g, KG, F(r * KR)));
    // float32 studio values / 255, plus float64 noise, times 255 (float64), cast to float32
    const ny = F((F(toStudioY(y) / 255) + sd * rng.normal()) * 255);
    const ncb = F((F(toStudioC(fma(F(b - y), CB, 0.5)) / 255) + sd * rng.normal()) * 255);
    const ncr = F((F(toStudioC(fma(F(r - y), CR, 0.5)) / 255) + sd * rng.normal()) * 255);
    const yy = fromStudioY(ny);
    const dcr = F(fromStudioC(ncr) - 0.5);
    const dcb = F(fromStudioC(ncb) - 0.5);
    out[j] = clipTrunc(fma(dcr, CR2R, yy));
    out[j + 1] = clipTrunc(fma(dcr, CR2G, fma(dcb, CB2G, yy)));
    out[j + 2] = clipTrunc(fma(dcb, CB2B, yy));
  }
  return wrapImage(out, src.shape[0], src.shape[1], 3);
}
