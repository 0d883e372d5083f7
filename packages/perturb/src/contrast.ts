/**
 * Colour contrast change (DeeperForensics' `color_contrast`).
 */
import { wrapImage, type Image, type ImageU8 } from '@caddm/image';
import { PerturbArgumentError } from './errors.js';
import { denseU8 } from './u8.js';

/**
 * Multiplies every sample by `factor` and truncates, exactly as the reference's
 * `(img.astype(np.float32) * factor).astype(np.uint8)`: the product is rounded to float32
 * and then truncated, so `180 × 0.35` gives 63 where exact arithmetic would truncate
 * 62.999… to 62. Note that this scales towards
 * black; it does not keep the mean (the image gets darker and flatter together).
 * @param img - `uint8` image with any number of channels (not modified)
 * @param factor - in [0, 1] for the five levels (0.85 .. 0.35)
 * @throws PerturbArgumentError for a non-`uint8` image or a factor outside [0, 1]
 */
export function colorContrast(img: Image, factor: number): ImageU8 {
  if (!(factor >= 0 && factor <= 1)) throw new PerturbArgumentError(`contrast factor must be in [0, 1], got ${factor}`);
  const src = denseU8(img, 'colorContrast');
  const s = src.data;
  // The 256 possible results, each computed as float32(x) * float32(factor) in float32:
  // the double product of an 8-bit integer and a 24-bit mantissa is exact, so one fround
  // gives the float32 product.
  const f = Math.fround(factor);
  const lut = new Uint8Array(256);
  for (let v = 0; v < 256; v++) lut[v] = Math.trunc(Math.fround(v * f));
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = lut[s[i]];
  const [h, w, c] = src.shape;
  return wrapImage(out, h, w, c);
}
