/**
 * CADDM model configuration: options, presets, and the feature-map sizes /
 * anchor counts the trainer needs to build matching anchors.
 *
 * @packageDocumentation
 */
import {
  BACKBONE_NAMES,
  BackboneConfigError,
  describeBackbone,
  resolveBackboneOptions,
  type BackboneName,
  type ResolvedBackboneOptions,
} from '@caddm/backbones';
import { CaddmConfigError } from './errors.js';

/** Anchors per feature-map cell (two aspect ratios, as in the reference). */
export const ANCHORS_PER_CELL = 2;

/** Classes per anchor and of the final classifier (genuine = 0, fake = 1). */
export const NUM_CLASSES = 2;

/** The backbone feature-map size the ADM needs: 7 -> 7 -> 5 -> 3 -> 1. */
export const ADM_INPUT_SIZE = 7;

/** Options of a CADDM model (and of the baseline classifier). */
export interface CaddmOptions {
  /** Backbone name; the paper uses `resnet34`, `efficientnet-b3`, `efficientnet-b4`. */
  readonly backbone: BackboneName;
  /** Square input size in pixels. Default 224. */
  readonly inputSize?: number;
  /** Multiplies every backbone channel count (the ADM follows the backbone's channels). Default 1. */
  readonly widthMultiplier?: number;
  /** 32 (default) or 16 (last backbone downsampling removed: 112 px gives a 7x7 map). */
  readonly outputStride?: 16 | 32;
  /** EfficientNet drop-connect base rate (default 0.2). */
  readonly dropConnectRate?: number;
  /** EfficientNet dropout on the pooled feature (default: the variant's). */
  readonly dropoutRate?: number;
}

/** {@link CaddmOptions} with defaults filled in, as stored in saved models. */
export interface ResolvedCaddmConfig {
  readonly backbone: ResolvedBackboneOptions;
  /** Backbone (and ADM) channel count. */
  readonly channels: number;
}

/** Ready-made configurations; `paper-*` are the published models, the rest are small profiles. */
export const CADDM_PRESETS = {
  /** The paper's main model: ResNet-34, 224 px, 43,490,162 parameters. */
  'paper-resnet34': { backbone: 'resnet34', inputSize: 224 },
  /** EfficientNet-b3 at 224 px (209,433,178 parameters). */
  'paper-efficientnet-b3': { backbone: 'efficientnet-b3', inputSize: 224 },
  /** EfficientNet-b4 at 224 px (287,943,546 parameters). */
  'paper-efficientnet-b4': { backbone: 'efficientnet-b4', inputSize: 224 },
  /** ResNet-34 at width 1/4 and 224 px: 128 channels, about 2.7M parameters. */
  'small-resnet34-224': { backbone: 'resnet34', inputSize: 224, widthMultiplier: 0.25 },
  /** ResNet-34 at width 1/4, 112 px with output stride 16 (still 7x7): about 2.7M parameters, 4x fewer FLOPs. */
  'small-resnet34-112': { backbone: 'resnet34', inputSize: 112, widthMultiplier: 0.25, outputStride: 16 },
  /** ResNet-18 at width 1/8, 112 px, output stride 16: about 0.3M parameters, for smoke tests. */
  'tiny-resnet18-112': { backbone: 'resnet18', inputSize: 112, widthMultiplier: 0.125, outputStride: 16 },
} as const satisfies Record<string, CaddmOptions>;

/** A preset name. */
export type CaddmPreset = keyof typeof CADDM_PRESETS;

/** Input sizes (square, pixels) whose backbone map is exactly 7x7, found by bisection. */
export function validInputSizes(
  options: Omit<CaddmOptions, 'inputSize'>,
): { readonly min: number; readonly max: number } | null {
  const f = (n: number) => describeBackbone({ ...backboneOpts(options), inputSize: n }).featureShape[0];
  // Smallest n with f(n) >= target (f is non-decreasing in n).
  const lowest = (target: number): number => {
    let lo = 1;
    let hi = 4096;
    if (f(hi) < target) return Infinity;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      let ok: boolean;
      try {
        ok = f(mid) >= target;
      } catch {
        ok = false; // input too small for the architecture
      }
      if (ok) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  const min = lowest(ADM_INPUT_SIZE);
  const max = lowest(ADM_INPUT_SIZE + 1) - 1;
  return Number.isFinite(min) && max >= min ? { min, max } : null;
}

function backboneOpts(o: Omit<CaddmOptions, 'inputSize'> & { inputSize?: number }) {
  return {
    name: o.backbone,
    inputSize: o.inputSize ?? 224,
    ...(o.widthMultiplier !== undefined ? { widthMultiplier: o.widthMultiplier } : {}),
    ...(o.outputStride !== undefined ? { outputStride: o.outputStride } : {}),
    ...(o.dropConnectRate !== undefined ? { dropConnectRate: o.dropConnectRate } : {}),
    ...(o.dropoutRate !== undefined ? { dropoutRate: o.dropoutRate } : {}),
  };
}

/**
 * Validates CADDM options (or a preset name) and fills defaults.
 *
 * @throws {@link CaddmConfigError} for an unknown backbone or preset, bad
 * options, or an input size whose backbone map is not 7x7 (the message
 * gives the sizes that work).
 */
export function resolveCaddmConfig(options: CaddmOptions | CaddmPreset): ResolvedCaddmConfig {
  let o: CaddmOptions;
  if (typeof options === 'string') {
    if (!Object.prototype.hasOwnProperty.call(CADDM_PRESETS, options)) {
      throw new CaddmConfigError(`unknown preset '${options}'; presets: ${Object.keys(CADDM_PRESETS).join(', ')}`);
    }
    o = CADDM_PRESETS[options];
  } else {
    o = options;
  }
  if (!o || !(BACKBONE_NAMES as readonly string[]).includes(o.backbone)) {
    throw new CaddmConfigError(`unknown backbone '${String(o?.backbone)}'; supported: ${BACKBONE_NAMES.join(', ')}`);
  }
  if (o.inputSize !== undefined && typeof o.inputSize !== 'number') {
    throw new CaddmConfigError(`inputSize must be one number (square input), got ${JSON.stringify(o.inputSize)}`);
  }
  let backbone: ResolvedBackboneOptions;
  let shape: readonly number[];
  let channels: number;
  try {
    backbone = resolveBackboneOptions(backboneOpts(o));
    const d = describeBackbone(backbone);
    shape = d.featureShape;
    channels = d.channels;
  } catch (e) {
    if (e instanceof BackboneConfigError) throw new CaddmConfigError(e.message);
    throw e;
  }
  if (shape[0] !== ADM_INPUT_SIZE || shape[1] !== ADM_INPUT_SIZE) {
    const range = validInputSizes(o);
    const hint = range
      ? `inputSize ${range.min}..${range.max} works for this backbone/outputStride` +
        (backbone.outputStride === 32 ? ' (or use outputStride 16 for about half those sizes)' : '')
      : 'no input size works for this backbone/outputStride';
    throw new CaddmConfigError(
      `the ADM needs a ${ADM_INPUT_SIZE}x${ADM_INPUT_SIZE} backbone feature map (maps 7, 5, 3, 1 and a 1x1 short ` +
        `connection), but ${backbone.name} at ${backbone.inputSize[0]} px with outputStride ${backbone.outputStride} ` +
        `gives ${shape[0]}x${shape[1]}; ${hint}`,
    );
  }
  return { backbone, channels };
}

/**
 * Side lengths of the four ADM feature maps that carry detection heads
 * (`[7, 5, 3, 1]` for every valid configuration). The trainer builds its
 * anchors from these (anchors are in normalised image coordinates, so the
 * same anchors serve a 112-px and a 224-px input).
 */
export function featureMapSizes(options?: CaddmOptions | CaddmPreset): readonly number[] {
  if (options !== undefined) resolveCaddmConfig(options);
  return [ADM_INPUT_SIZE, ADM_INPUT_SIZE - 2, ADM_INPUT_SIZE - 4, ADM_INPUT_SIZE - 6];
}

/** Anchors per cell: 2. */
export function anchorsPerCell(): number {
  return ANCHORS_PER_CELL;
}

/** Total anchors: sum of f^2 over {@link featureMapSizes} times {@link ANCHORS_PER_CELL} (168). */
export function numAnchors(options?: CaddmOptions | CaddmPreset): number {
  return featureMapSizes(options).reduce((a, f) => a + f * f * ANCHORS_PER_CELL, 0);
}
