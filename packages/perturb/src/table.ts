/**
 * The seven DeeperForensics-1.0 perturbation types, their five levels and parameters
 * (`get_distortion_parameter` of DeeperForensics' `add_distortion_to_video.py`), and the
 * column each feeds in the paper's Table 4.
 */
import { PerturbArgumentError } from './errors.js';

/** DeeperForensics' codes of the seven perturbation types. */
export type PerturbationType = 'CS' | 'CC' | 'BW' | 'GNC' | 'GB' | 'JPEG' | 'VC';

/** A perturbation type and a level (1 = mildest, 5 = strongest). */
export interface PerturbSpec {
  /** DeeperForensics code ({@link PerturbationType}) or one of the aliases of {@link resolveType}. */
  type: PerturbationType | string;
  /** 1..5 */
  level: number;
}

/** What the table says about one perturbation type. */
export interface PerturbationInfo {
  /** DeeperForensics code. */
  readonly code: PerturbationType;
  /** DeeperForensics' long name. */
  readonly name: string;
  /** Column header in Table 4 of the CADDM paper (and of LipForensics' robustness table, for `VC`). */
  readonly column: string;
  /** Whether the CADDM paper's Table 4 reports this type (it has no compression column). */
  readonly inTable4: boolean;
  /** What the parameter means. */
  readonly parameter: string;
  /** Parameter of levels 1..5 (index 0 is level 1). */
  readonly params: readonly [number, number, number, number, number];
  /** Whether the perturbation draws random numbers (an RNG is then required). */
  readonly random: boolean;
  /** Whether it acts on a whole video rather than on single frames. */
  readonly video: boolean;
}

/** The seven types in DeeperForensics' order, keyed by code. */
export const PERTURBATIONS: Readonly<Record<PerturbationType, PerturbationInfo>> = Object.freeze({
  CS: Object.freeze({
    code: 'CS',
    name: 'color saturation change',
    column: 'Saturation',
    inTable4: true,
    parameter: 'factor on the chroma (Cb, Cr) deviation from neutral; luma kept',
    params: Object.freeze([0.4, 0.3, 0.2, 0.1, 0.0]) as PerturbationInfo['params'],
    random: false,
    video: false,
  }),
  CC: Object.freeze({
    code: 'CC',
    name: 'color contrast change',
    column: 'Contrast',
    inTable4: true,
    parameter: 'factor on every pixel value (scaling towards black)',
    params: Object.freeze([0.85, 0.725, 0.6, 0.475, 0.35]) as PerturbationInfo['params'],
    random: false,
    video: false,
  }),
  BW: Object.freeze({
    code: 'BW',
    name: 'local block-wise',
    column: 'Block',
    inTable4: true,
    parameter: 'grey 8x8 blocks per 256 pixels of the shorter side',
    params: Object.freeze([16, 32, 48, 64, 80]) as PerturbationInfo['params'],
    random: true,
    video: false,
  }),
  GNC: Object.freeze({
    code: 'GNC',
    name: 'white Gaussian noise in color components',
    column: 'Noise',
    inTable4: true,
    parameter: 'variance of the noise added to Y, Cb and Cr on a [0, 1] scale',
    params: Object.freeze([0.001, 0.002, 0.005, 0.01, 0.05]) as PerturbationInfo['params'],
    random: true,
    video: false,
  }),
  GB: Object.freeze({
    code: 'GB',
    name: 'Gaussian blur',
    column: 'Blur',
    inTable4: true,
    parameter: 'kernel size (sigma = size / 6)',
    params: Object.freeze([7, 9, 13, 17, 21]) as PerturbationInfo['params'],
    random: false,
    video: false,
  }),
  JPEG: Object.freeze({
    code: 'JPEG',
    name: 'pixelation (DeeperForensics calls it JPEG compression)',
    column: 'Pixel',
    inTable4: true,
    parameter: 'bilinear down- then up-sampling factor',
    params: Object.freeze([2, 3, 4, 5, 6]) as PerturbationInfo['params'],
    random: false,
    video: false,
  }),
  VC: Object.freeze({
    code: 'VC',
    name: 'video compression',
    column: 'Compress',
    inTable4: false,
    parameter: 'H.264 (libx264) constant rate factor',
    params: Object.freeze([30, 32, 35, 38, 40]) as PerturbationInfo['params'],
    random: false,
    video: true,
  }),
});

/** The seven codes in DeeperForensics' order. */
export const PERTURBATION_TYPES: readonly PerturbationType[] = Object.freeze(['CS', 'CC', 'BW', 'GNC', 'GB', 'JPEG', 'VC']);

/** The levels every type has. */
export const LEVELS: readonly number[] = Object.freeze([1, 2, 3, 4, 5]);

const ALIASES: Readonly<Record<string, PerturbationType>> = {
  cs: 'CS',
  saturation: 'CS',
  cc: 'CC',
  contrast: 'CC',
  bw: 'BW',
  block: 'BW',
  gnc: 'GNC',
  noise: 'GNC',
  gb: 'GB',
  blur: 'GB',
  jpeg: 'JPEG',
  px: 'JPEG',
  pixel: 'JPEG',
  pixelation: 'JPEG',
  vc: 'VC',
  compress: 'VC',
  compression: 'VC',
};

/**
 * The code of a perturbation type given by code or Table 4 column name, case-insensitively:
 * `CS`/`saturation`, `CC`/`contrast`, `BW`/`block`, `GNC`/`noise`, `GB`/`blur`,
 * `JPEG`/`PX`/`pixel`/`pixelation`, `VC`/`compress`/`compression`.
 * @throws PerturbArgumentError for anything else
 */
export function resolveType(type: string): PerturbationType {
  const code = typeof type === 'string' ? ALIASES[type.toLowerCase()] : undefined;
  if (!code) {
    throw new PerturbArgumentError(
      `unknown perturbation type ${JSON.stringify(type)} (expected one of ${PERTURBATION_TYPES.join(', ')}, or saturation, contrast, block, noise, blur, pixel, compress)`,
    );
  }
  return code;
}

/**
 * Checks a level: an integer in 1..5.
 * @throws PerturbArgumentError otherwise
 */
export function checkLevel(level: number, type = 'perturbation'): number {
  if (!Number.isInteger(level) || level < 1 || level > 5) {
    throw new PerturbArgumentError(`${type} level must be an integer in 1..5, got ${JSON.stringify(level)}`);
  }
  return level;
}

/**
 * The parameter of a type at a level, e.g. `parameter('GB', 3)` is 13 (the kernel size).
 * @throws PerturbArgumentError for an unknown type or a level outside 1..5
 */
export function parameter(type: PerturbationType | string, level: number): number {
  const code = resolveType(type);
  return PERTURBATIONS[code].params[checkLevel(level, code) - 1];
}

/** One level of a type and its parameter. */
export interface LevelInfo {
  /** 1..5 */
  level: number;
  /** The parameter at this level (see {@link PerturbationInfo.parameter}). */
  param: number;
}

/**
 * The five levels of a type with their parameters, mildest first.
 * @throws PerturbArgumentError for an unknown type
 */
export function levels(type: PerturbationType | string): LevelInfo[] {
  const info = PERTURBATIONS[resolveType(type)];
  return info.params.map((param, i) => ({ level: i + 1, param }));
}
