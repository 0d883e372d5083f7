/**
 * Options of {@link selfBlend} and their defaults, which are SBI's (the authors'
 * `src/utils/sbi.py`, `blend.py`, `funcs.py`, with Face X-ray's hull library installed as
 * their README recommends). Every random range is `[lo, hi]`; probabilities are in `[0, 1]`.
 */
import type { ForeheadOptions } from '@caddm/face';
import { SbiArgumentError } from './errors.js';

/**
 * The four initial mask shapes of Face X-ray's `random_get_hull` (SBI draws one uniformly):
 * - `dfl_full`: DeepFaceLab's full mask, the union of three hulls (jaw and mouth, nose ridge, brows and eyes);
 * - `components`: eight overlapping part hulls (jaw halves, cheeks, nose, eye regions);
 * - `extended`: `components` with the brows pushed up by half their distance to the eyes;
 * - `facehull`: the convex hull of every point (with the forehead points when they are used).
 */
export type HullType = 'dfl_full' | 'extended' | 'components' | 'facehull';

/** Every {@link HullType}, in the reference's order. */
export const HULL_TYPES: readonly HullType[] = Object.freeze(['dfl_full', 'extended', 'components', 'facehull']);

/** A closed interval `[lo, hi]` that a parameter is drawn from uniformly. */
export type Range = readonly [number, number];

/**
 * Colour part of SBI's source-target augmentation (albumentations `RGBShift`,
 * `HueSaturationValue`, `RandomBrightnessContrast` on `uint8`, applied in that order).
 */
export interface ColorJitterOptions {
  /** Probability of the per-channel RGB shift (SBI: 0.3). */
  rgbShiftProb: number;
  /** Shift added to each of R, G, B, drawn independently (SBI: [-20, 20] levels). */
  rgbShift: Range;
  /** Probability of the HSV shift (SBI: 1). */
  hsvProb: number;
  /**
   * Hue shift in OpenCV `uint8` hue units (0..180) (SBI: [-0.3, 0.3]). SBI passes ±0.3 to
   * albumentations, which adds it to the `uint8` HSV channels and truncates, so its HSV step
   * is nearly the identity (a −1 on channels drawn negative, plus the RGB↔HSV rounding).
   * We reproduce that; widen the ranges (e.g. ±10/±20/±20) for a real colour jitter.
   */
  hueShift: Range;
  /** Saturation shift in levels (SBI: [-0.3, 0.3], see `hueShift`). */
  satShift: Range;
  /** Value shift in levels (SBI: [-0.3, 0.3], see `hueShift`). */
  valShift: Range;
  /** Probability of the brightness/contrast change (SBI: 1). */
  brightnessContrastProb: number;
  /** Brightness offset as a fraction of 255 (SBI: [-0.1, 0.1]). */
  brightness: Range;
  /** Contrast gain minus one (SBI: [-0.1, 0.1]). */
  contrast: Range;
}

/** Quality part of the source-target augmentation: one of a down-up scaling or a sharpening. */
export interface QualityOptions {
  /** Probability of applying one of the two (SBI: 1). */
  prob: number;
  /** Probability that the one is the down-up scaling rather than the sharpening (SBI: 0.5, albumentations `OneOf`). */
  downscaleProb: number;
  /** Down-scaling factors, one drawn uniformly: nearest down to `W/r`, bilinear back up (SBI: [2, 4]). */
  downscaleRatios: readonly number[];
  /** Sharpen blend `alpha` (albumentations `Sharpen`; SBI: [0.2, 0.5]). */
  sharpenAlpha: Range;
  /** Sharpen `lightness` (SBI: [0.5, 1.0]; at most 5). */
  sharpenLightness: Range;
}

/** Geometric part of the source-target generator: a random affine of the source and the mask, then an elastic deformation of the mask. */
export interface StgOptions {
  /** Horizontal translation as a fraction of the width (SBI: [-0.03, 0.03]). */
  translateX: Range;
  /** Vertical translation as a fraction of the height (SBI: [-0.015, 0.015]). */
  translateY: Range;
  /** Scale about the image centre (SBI: [0.95, 1/0.95]). */
  scale: Range;
  /** Use one scale for both axes (SBI: false, albumentations `Affine(keep_ratio=False)` draws x and y scales independently). */
  keepRatio: boolean;
  /** Elastic displacement scale in pixels (SBI: 50); 0 disables the elastic deformation. */
  elasticAlpha: number;
  /** Elastic field smoothing in pixels (SBI: 7). */
  elasticSigma: number;
}

/** Blurring of the (deformed) hull mask, SBI's `get_blend_mask`. */
export interface MaskOptions {
  /** The mask is resized to a random size in this integer range per axis before blurring (SBI: [192, 256]). */
  resize: Range;
  /** Odd size range of the first Gaussian, after which only its fully covered interior is kept (an erosion; SBI: [5, 25]). */
  erodeKernel: Range;
  /** Odd size range of the second, softening Gaussian (SBI: [5, 25]). */
  blurKernel: Range;
  /** Integer sigma range of the second Gaussian (SBI: [5, 45]). */
  blurSigma: Range;
}

/** Options of {@link selfBlend}; every field is optional and defaults to SBI's value. */
export interface SbiOptions {
  /** Initial mask shapes, one drawn uniformly (default: all four {@link HULL_TYPES}). */
  hullTypes?: readonly HullType[];
  /**
   * Probability of adding forehead points to the landmarks (SBI: 0.75, it keeps dlib's 81
   * points except with probability 0.25). Only the `facehull` shape uses them. With 68 input
   * points they come from `foreheadArc` of `@caddm/face`; with 81 they are points 68..80.
   */
  foreheadProb?: number;
  /** Options of `foreheadArc` (68-point input only). */
  forehead?: ForeheadOptions;
  /** Probability that the source is the augmented copy; otherwise the target is (SBI: 0.5). */
  augmentSourceProb?: number;
  /** Colour augmentation of the augmented copy. */
  color?: Partial<ColorJitterOptions>;
  /** Quality augmentation of the augmented copy. */
  quality?: Partial<QualityOptions>;
  /** Random affine of the source and mask, elastic deformation of the mask. */
  stg?: Partial<StgOptions>;
  /** Mask blurring. */
  mask?: Partial<MaskOptions>;
  /** Blend ratios, one drawn uniformly, multiplying the blurred mask (SBI: [0.25, 0.5, 0.75, 1, 1, 1]). */
  blendRatios?: readonly number[];
  /** The artifact box bounds the pixels where the blurred mask (before the blend ratio) exceeds this (default 0.5). */
  boxThreshold?: number;
}

/** {@link SbiOptions} with every field filled in. */
export interface ResolvedSbiOptions {
  /** see {@link SbiOptions.hullTypes} */
  hullTypes: readonly HullType[];
  /** see {@link SbiOptions.foreheadProb} */
  foreheadProb: number;
  /** see {@link SbiOptions.forehead} */
  forehead: ForeheadOptions;
  /** see {@link SbiOptions.augmentSourceProb} */
  augmentSourceProb: number;
  /** see {@link SbiOptions.color} */
  color: ColorJitterOptions;
  /** see {@link SbiOptions.quality} */
  quality: QualityOptions;
  /** see {@link SbiOptions.stg} */
  stg: StgOptions;
  /** see {@link SbiOptions.mask} */
  mask: MaskOptions;
  /** see {@link SbiOptions.blendRatios} */
  blendRatios: readonly number[];
  /** see {@link SbiOptions.boxThreshold} */
  boxThreshold: number;
}

const defaults: ResolvedSbiOptions = {
  hullTypes: HULL_TYPES,
  foreheadProb: 0.75,
  forehead: {},
  augmentSourceProb: 0.5,
  color: {
    rgbShiftProb: 0.3,
    rgbShift: [-20, 20],
    hsvProb: 1,
    hueShift: [-0.3, 0.3],
    satShift: [-0.3, 0.3],
    valShift: [-0.3, 0.3],
    brightnessContrastProb: 1,
    brightness: [-0.1, 0.1],
    contrast: [-0.1, 0.1],
  },
  quality: {
    prob: 1,
    downscaleProb: 0.5,
    downscaleRatios: [2, 4],
    sharpenAlpha: [0.2, 0.5],
    sharpenLightness: [0.5, 1.0],
  },
  stg: {
    translateX: [-0.03, 0.03],
    translateY: [-0.015, 0.015],
    scale: [0.95, 1 / 0.95],
    keepRatio: false,
    elasticAlpha: 50,
    elasticSigma: 7,
  },
  mask: {
    resize: [192, 256],
    erodeKernel: [5, 25],
    blurKernel: [5, 25],
    blurSigma: [5, 45],
  },
  blendRatios: [0.25, 0.5, 0.75, 1, 1, 1],
  boxThreshold: 0.5,
};

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

/** SBI's defaults (deeply frozen). */
export const SBI_DEFAULTS: Readonly<ResolvedSbiOptions> = deepFreeze(defaults);

function prob(name: string, v: number): number {
  if (!(typeof v === 'number' && v >= 0 && v <= 1)) throw new SbiArgumentError(`${name} must be a probability in [0, 1], got ${v}`);
  return v;
}

interface RangeRule {
  min?: number;
  max?: number;
  int?: boolean;
  odd?: boolean;
}

function range(name: string, r: Range, rule: RangeRule = {}): Range {
  if (r == null || r.length !== 2 || !Number.isFinite(r[0]) || !Number.isFinite(r[1]) || r[0] > r[1]) {
    throw new SbiArgumentError(`${name} must be a finite range [lo, hi] with lo <= hi, got ${JSON.stringify(r)}`);
  }
  for (const v of r) {
    if (rule.min != null && v < rule.min) throw new SbiArgumentError(`${name} must be >= ${rule.min}, got ${JSON.stringify(r)}`);
    if (rule.max != null && v > rule.max) throw new SbiArgumentError(`${name} must be <= ${rule.max}, got ${JSON.stringify(r)}`);
    if (rule.int && !Number.isInteger(v)) throw new SbiArgumentError(`${name} must hold integers, got ${JSON.stringify(r)}`);
    if (rule.odd && v % 2 !== 1) throw new SbiArgumentError(`${name} must hold odd sizes, got ${JSON.stringify(r)}`);
  }
  return [r[0], r[1]];
}

function finite(name: string, v: number, min: number): number {
  if (!(Number.isFinite(v) && v >= min)) throw new SbiArgumentError(`${name} must be a finite number >= ${min}, got ${v}`);
  return v;
}

/**
 * Fills in SBI's defaults and validates every option.
 * @throws SbiArgumentError naming the first bad option
 */
export function resolveSbiOptions(options: SbiOptions = {}): ResolvedSbiOptions {
  const d = SBI_DEFAULTS;
  const hullTypes = options.hullTypes ?? d.hullTypes;
  if (!Array.isArray(hullTypes) || hullTypes.length === 0 || hullTypes.some((t) => !HULL_TYPES.includes(t))) {
    throw new SbiArgumentError(`hullTypes must be a non-empty list of ${HULL_TYPES.join(', ')}, got ${JSON.stringify(hullTypes)}`);
  }
  const c = { ...d.color, ...options.color };
  const color: ColorJitterOptions = {
    rgbShiftProb: prob('color.rgbShiftProb', c.rgbShiftProb),
    rgbShift: range('color.rgbShift', c.rgbShift, { min: -255, max: 255 }),
    hsvProb: prob('color.hsvProb', c.hsvProb),
    hueShift: range('color.hueShift', c.hueShift, { min: -180, max: 180 }),
    satShift: range('color.satShift', c.satShift, { min: -255, max: 255 }),
    valShift: range('color.valShift', c.valShift, { min: -255, max: 255 }),
    brightnessContrastProb: prob('color.brightnessContrastProb', c.brightnessContrastProb),
    brightness: range('color.brightness', c.brightness, { min: -1, max: 1 }),
    contrast: range('color.contrast', c.contrast, { min: -1 }),
  };
  const q = { ...d.quality, ...options.quality };
  if (!Array.isArray(q.downscaleRatios) || q.downscaleRatios.length === 0 || q.downscaleRatios.some((r) => !(Number.isFinite(r) && r >= 1))) {
    throw new SbiArgumentError(`quality.downscaleRatios must be a non-empty list of factors >= 1, got ${JSON.stringify(q.downscaleRatios)}`);
  }
  const quality: QualityOptions = {
    prob: prob('quality.prob', q.prob),
    downscaleProb: prob('quality.downscaleProb', q.downscaleProb),
    downscaleRatios: [...q.downscaleRatios],
    sharpenAlpha: range('quality.sharpenAlpha', q.sharpenAlpha, { min: 0, max: 1 }),
    sharpenLightness: range('quality.sharpenLightness', q.sharpenLightness, { min: 0, max: 5 }),
  };
  const s = { ...d.stg, ...options.stg };
  const stg: StgOptions = {
    translateX: range('stg.translateX', s.translateX, { min: -1, max: 1 }),
    translateY: range('stg.translateY', s.translateY, { min: -1, max: 1 }),
    scale: range('stg.scale', s.scale, { min: 1e-3 }),
    keepRatio: Boolean(s.keepRatio),
    elasticAlpha: finite('stg.elasticAlpha', s.elasticAlpha, 0),
    elasticSigma: finite('stg.elasticSigma', s.elasticSigma, 0),
  };
  if (stg.elasticAlpha > 0 && !(stg.elasticSigma >= 0.5)) {
    throw new SbiArgumentError(`stg.elasticSigma must be >= 0.5 when the elastic deformation is on, got ${stg.elasticSigma}`);
  }
  const m = { ...d.mask, ...options.mask };
  const mask: MaskOptions = {
    resize: range('mask.resize', m.resize, { min: 8, max: 8192, int: true }),
    erodeKernel: range('mask.erodeKernel', m.erodeKernel, { min: 1, max: 255, int: true, odd: true }),
    blurKernel: range('mask.blurKernel', m.blurKernel, { min: 1, max: 255, int: true, odd: true }),
    blurSigma: range('mask.blurSigma', m.blurSigma, { min: 1, max: 1000, int: true }),
  };
  const blendRatios = options.blendRatios ?? d.blendRatios;
  if (!Array.isArray(blendRatios) || blendRatios.length === 0 || blendRatios.some((r) => !(r >= 0 && r <= 1))) {
    throw new SbiArgumentError(`blendRatios must be a non-empty list of numbers in [0, 1], got ${JSON.stringify(blendRatios)}`);
  }
  const boxThreshold = options.boxThreshold ?? d.boxThreshold;
  if (!(boxThreshold >= 0 && boxThreshold < 1)) throw new SbiArgumentError(`boxThreshold must be in [0, 1), got ${boxThreshold}`);
  return {
    hullTypes: [...hullTypes],
    foreheadProb: prob('foreheadProb', options.foreheadProb ?? d.foreheadProb),
    forehead: { ...(options.forehead ?? d.forehead) },
    augmentSourceProb: prob('augmentSourceProb', options.augmentSourceProb ?? d.augmentSourceProb),
    color,
    quality,
    stg,
    mask,
    blendRatios: [...blendRatios],
    boxThreshold,
  };
}
