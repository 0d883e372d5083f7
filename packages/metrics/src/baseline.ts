import type { tf } from '@caddm/tf';
import { MetricsInputError } from './errors.js';

/**
 * The baseline value that stands for "unit absent" in the Shapley
 * interaction (the rest of the image when one unit is kept):
 * - `'zeros'`: 0 in the model's input space (with mean-subtracted inputs,
 *   that is the dataset's mean colour);
 * - `'mean'`: each image's own mean colour (per channel);
 * - `'blur'` or `{ blurSigma }`: the image blurred with a Gaussian (sigma in
 *   pixels; default one grid unit), so that only coarse colour is kept;
 * - `{ image }`: a custom baseline, `[H, W, C]` (shared) or `[B, H, W, C]`
 *   (one per image), as a tensor or a `Float32Array` of that many values.
 */
export type BaselineSpec =
  | 'zeros'
  | 'mean'
  | 'blur'
  | { readonly blurSigma: number }
  | { readonly image: tf.Tensor | Float32Array };

/** A {@link BaselineSpec} with a custom image read into memory. @internal */
export type ResolvedBaseline =
  | 'zeros'
  | 'mean'
  | 'blur'
  | { readonly blurSigma: number }
  | { readonly image: Float32Array };

/** Image geometry of a `[B, H, W, C]` batch. @internal */
export interface Geometry {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

/**
 * Writes the baseline of one image (`src`, HWC) into `out`. `index` picks
 * the image of a per-image custom baseline; `defaultSigma` is used by
 * `'blur'`.
 * @internal
 */
export function fillBaseline(
  spec: ResolvedBaseline,
  src: Float32Array,
  out: Float32Array,
  geo: Geometry,
  index: number,
  defaultSigma: number,
  scratch: Float32Array,
): void {
  const { height: h, width: w, channels: c } = geo;
  const size = h * w * c;
  if (spec === 'zeros') {
    out.fill(0);
  } else if (spec === 'mean') {
    const sums = new Float64Array(c);
    for (let p = 0; p < size; p += c) for (let k = 0; k < c; k++) sums[k] += src[p + k];
    for (let k = 0; k < c; k++) sums[k] /= h * w;
    for (let p = 0; p < size; p += c) for (let k = 0; k < c; k++) out[p + k] = sums[k];
  } else if (spec === 'blur') {
    gaussianBlur(src, out, geo, defaultSigma, scratch);
  } else if ('blurSigma' in spec) {
    gaussianBlur(src, out, geo, spec.blurSigma, scratch);
  } else {
    const img = spec.image;
    const offset = img.length === size ? 0 : index * size;
    out.set(img.subarray(offset, offset + size));
  }
}

/**
 * Checks a baseline spec against the batch geometry (`count` images).
 * @internal
 */
export function checkBaseline(spec: ResolvedBaseline, geo: Geometry, count: number): void {
  const size = geo.height * geo.width * geo.channels;
  if (spec === 'zeros' || spec === 'mean' || spec === 'blur') return;
  if (typeof spec === 'object' && spec !== null && 'blurSigma' in spec) {
    if (!(typeof spec.blurSigma === 'number' && spec.blurSigma > 0 && Number.isFinite(spec.blurSigma))) {
      throw new MetricsInputError('bad-option', `shapleyInteraction: blurSigma must be a positive number, got ${String(spec.blurSigma)}`);
    }
    return;
  }
  if (typeof spec === 'object' && spec !== null && 'image' in spec && spec.image instanceof Float32Array) {
    const n = spec.image.length;
    if (n !== size && n !== size * count) {
      throw new MetricsInputError(
        'bad-shape',
        `shapleyInteraction: baseline image has ${n} values; expected ${size} ([H, W, C] = [${geo.height}, ${geo.width}, ${geo.channels}]) or ${size * count} (one per image)`,
      );
    }
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(spec.image[i])) {
        throw new MetricsInputError('non-finite', `shapleyInteraction: baseline image value ${i} is ${spec.image[i]}`);
      }
    }
    return;
  }
  throw new MetricsInputError('bad-option', `shapleyInteraction: unknown baseline ${JSON.stringify(spec)}`);
}

/**
 * Separable Gaussian blur of an HWC image with edge clamping, radius
 * ceil(3 sigma). `scratch` must hold H*W*C values.
 * @internal
 */
export function gaussianBlur(
  src: Float32Array,
  out: Float32Array,
  geo: Geometry,
  sigma: number,
  scratch: Float32Array,
): void {
  const { height: h, width: w, channels: c } = geo;
  const r = Math.max(1, Math.ceil(3 * sigma));
  const kernel = new Float64Array(2 * r + 1);
  let norm = 0;
  for (let t = -r; t <= r; t++) {
    const v = Math.exp(-(t * t) / (2 * sigma * sigma));
    kernel[t + r] = v;
    norm += v;
  }
  for (let t = 0; t < kernel.length; t++) kernel[t] /= norm;
  // Horizontal pass: src -> scratch.
  for (let y = 0; y < h; y++) {
    const row = y * w * c;
    for (let x = 0; x < w; x++) {
      for (let k = 0; k < c; k++) {
        let acc = 0;
        for (let t = -r; t <= r; t++) {
          const xx = x + t < 0 ? 0 : x + t >= w ? w - 1 : x + t;
          acc += kernel[t + r] * src[row + xx * c + k];
        }
        scratch[row + x * c + k] = acc;
      }
    }
  }
  // Vertical pass: scratch -> out.
  const stride = w * c;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < stride; x++) {
      let acc = 0;
      for (let t = -r; t <= r; t++) {
        const yy = y + t < 0 ? 0 : y + t >= h ? h - 1 : y + t;
        acc += kernel[t + r] * scratch[yy * stride + x];
      }
      out[y * stride + x] = acc;
    }
  }
}
