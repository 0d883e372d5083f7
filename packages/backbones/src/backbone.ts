/**
 * The backbone registry: building any supported backbone on a
 * {@link Graph}, describing it without allocating (shapes, parameter
 * counts), and creating a tfjs model of it.
 *
 * @packageDocumentation
 */
import { requireBackend, tf } from '@caddm/tf';
import type { ArchOptions, ArchOutput } from './arch.js';
import { buildEfficientNet, type EfficientNetName } from './efficientnet.js';
import { BackboneConfigError } from './errors.js';
import { ShapeGraph } from './graph/shape-graph.js';
import { countParams } from './graph/shapes.js';
import { TfGraph, type TfGraphOptions } from './graph/tf-graph.js';
import type { Graph, LayerSpec } from './graph/types.js';
import { Scope } from './naming.js';
import { buildResNet, type ResNetName } from './resnet.js';
import {
  loadStateDict,
  stateDict,
  type LoadStateDictOptions,
  type LoadStateDictResult,
  type StateDict,
  type StateDictOptions,
} from './state-dict.js';
import type { SafeTensor } from './safetensors.js';
import { buildXception } from './xception.js';

/** Every supported backbone name. */
export const BACKBONE_NAMES = [
  'resnet18',
  'resnet34',
  'resnet50',
  'efficientnet-b0',
  'efficientnet-b1',
  'efficientnet-b2',
  'efficientnet-b3',
  'efficientnet-b4',
  'efficientnet-b5',
  'efficientnet-b6',
  'efficientnet-b7',
  'xception',
] as const;

/** A supported backbone name. */
export type BackboneName = (typeof BACKBONE_NAMES)[number];

/** Options of a backbone. */
export interface BackboneOptions {
  /** Which network (see {@link BACKBONE_NAMES}). */
  readonly name: BackboneName;
  /** Input size in pixels, square (`224`) or `[height, width]`. Default 224. */
  readonly inputSize?: number | readonly [number, number];
  /** Multiplies every channel count; 1 (default) is the published network. */
  readonly widthMultiplier?: number;
  /**
   * 32 (default): the published network. 16: the last downsampling is
   * removed (stride 1), so e.g. a 112-px input still gives a 7x7 map.
   * Pretrained weights still load (no shape changes).
   */
  readonly outputStride?: 16 | 32;
  /** If > 0, adds the ImageNet-style classifier (`fc` / `_fc`) with this many classes. Default 0. */
  readonly numClasses?: number;
  /** EfficientNet: drop-connect base rate (default 0.2, scaled by block index as in the reference). */
  readonly dropConnectRate?: number;
  /** EfficientNet: dropout on the pooled feature (default: the variant's, 0.2 to 0.5). */
  readonly dropoutRate?: number;
}

/** {@link BackboneOptions} with every default filled in and validated. */
export interface ResolvedBackboneOptions {
  readonly name: BackboneName;
  readonly inputSize: readonly [number, number];
  readonly widthMultiplier: number;
  readonly outputStride: 16 | 32;
  readonly numClasses: number;
  readonly dropConnectRate?: number;
  readonly dropoutRate?: number;
}

/** Validates options and fills defaults. @throws {@link BackboneConfigError} */
export function resolveBackboneOptions(o: BackboneOptions): ResolvedBackboneOptions {
  if (!(BACKBONE_NAMES as readonly string[]).includes(o?.name)) {
    throw new BackboneConfigError(`unknown backbone '${String(o?.name)}'; supported: ${BACKBONE_NAMES.join(', ')}`);
  }
  const size = o.inputSize ?? 224;
  const inputSize: [number, number] = typeof size === 'number' ? [size, size] : [size[0], size[1]];
  if (!inputSize.every((d) => Number.isInteger(d) && d > 0)) {
    throw new BackboneConfigError(`inputSize must be positive integers, got ${JSON.stringify(o.inputSize)}`);
  }
  const widthMultiplier = o.widthMultiplier ?? 1;
  if (!(Number.isFinite(widthMultiplier) && widthMultiplier > 0)) {
    throw new BackboneConfigError(`widthMultiplier must be a positive number, got ${o.widthMultiplier}`);
  }
  const outputStride = o.outputStride ?? 32;
  if (outputStride !== 16 && outputStride !== 32) {
    throw new BackboneConfigError(`outputStride must be 16 or 32, got ${String(o.outputStride)}`);
  }
  const numClasses = o.numClasses ?? 0;
  if (!(Number.isInteger(numClasses) && numClasses >= 0)) {
    throw new BackboneConfigError(`numClasses must be a non-negative integer, got ${o.numClasses}`);
  }
  for (const [k, v] of [
    ['dropConnectRate', o.dropConnectRate],
    ['dropoutRate', o.dropoutRate],
  ] as const) {
    if (v !== undefined && !(v >= 0 && v < 1)) throw new BackboneConfigError(`${k} must be in [0, 1), got ${v}`);
  }
  return {
    name: o.name,
    inputSize,
    widthMultiplier,
    outputStride,
    numClasses,
    ...(o.dropConnectRate !== undefined ? { dropConnectRate: o.dropConnectRate } : {}),
    ...(o.dropoutRate !== undefined ? { dropoutRate: o.dropoutRate } : {}),
  };
}

/** Handles produced by {@link buildBackbone}. */
export interface BackboneGraph<T> {
  /** Last feature map `[h, w, channels]`. */
  readonly features: T;
  /** Global-average-pooled feature `[channels]` (after EfficientNet's dropout, as in the reference). */
  readonly pooled: T;
  /** Classifier logits `[numClasses]`, when `numClasses > 0`. */
  readonly logits?: T;
  /** Channels of the feature map. */
  readonly channels: number;
  /** PyTorch module path of the classifier (present or not), e.g. `fc`. */
  readonly classifierPath: string;
}

/**
 * Builds a backbone on any {@link Graph} from the input `x` (`[h, w, 3]`).
 * Layer names and PyTorch paths live under `prefix` (e.g. `'base_model.'`
 * inside CADDM).
 */
export function buildBackbone<T>(
  g: Graph<T>,
  x: T,
  options: ResolvedBackboneOptions,
  prefix = '',
): BackboneGraph<T> {
  const s = new Scope(prefix);
  const arch: ArchOptions = {
    widthMultiplier: options.widthMultiplier,
    outputStride: options.outputStride,
    ...(options.dropConnectRate !== undefined ? { dropConnectRate: options.dropConnectRate } : {}),
    ...(options.dropoutRate !== undefined ? { dropoutRate: options.dropoutRate } : {}),
  };
  let out: ArchOutput<T>;
  if (options.name.startsWith('resnet')) out = buildResNet(g, x, options.name as ResNetName, s, arch);
  else if (options.name.startsWith('efficientnet')) out = buildEfficientNet(g, x, options.name as EfficientNetName, s, arch);
  else out = buildXception(g, x, s, arch);
  let pooled = g.globalAvgPool(out.features, { name: s.tf('global_pool') });
  pooled = g.dropout(pooled, out.dropout, { name: s.tf('pool_dropout') });
  const logits =
    options.numClasses > 0
      ? g.dense(pooled, {
          name: s.tf(out.classifier),
          torch: s.torch(out.classifier),
          units: options.numClasses,
        })
      : undefined;
  return {
    features: out.features,
    pooled,
    channels: out.channels,
    classifierPath: s.torch(out.classifier),
    ...(logits ? { logits } : {}),
  };
}

/** What {@link describeBackbone} reports. */
export interface BackboneDescription {
  readonly options: ResolvedBackboneOptions;
  /** Per-sample shape of the last feature map `[h, w, c]`. */
  readonly featureShape: readonly [number, number, number];
  readonly channels: number;
  /** PyTorch `parameters()` count (BN running statistics excluded). */
  readonly trainableParams: number;
  /** Batch-norm running statistics. */
  readonly nonTrainableParams: number;
  /** Every weight-bearing layer with its PyTorch keys and shapes. */
  readonly layers: readonly LayerSpec[];
}

/**
 * Describes a backbone (feature-map shape, parameter counts, PyTorch key
 * layout) without allocating any tensor.
 */
export function describeBackbone(options: BackboneOptions): BackboneDescription {
  const o = resolveBackboneOptions(options);
  const g = new ShapeGraph();
  const b = buildBackbone(g, g.input([o.inputSize[0], o.inputSize[1], 3]), o);
  const f = b.features.shape;
  const c = g.counts();
  return {
    options: o,
    featureShape: [f[0], f[1], f[2]],
    channels: b.channels,
    trainableParams: c.trainable,
    nonTrainableParams: c.nonTrainable,
    layers: g.layers,
  };
}

/** Outputs of {@link Backbone.apply}. */
export interface BackboneOutputs {
  /** `[batch, h, w, c]`. */
  readonly features: tf.Tensor4D;
  /** `[batch, c]`. */
  readonly pooled: tf.Tensor2D;
  /** `[batch, numClasses]`, when the backbone has a classifier. */
  readonly logits?: tf.Tensor2D;
}

/**
 * A backbone as a tfjs model with outputs `[features, pooled]` (plus
 * `logits` with a classifier). Input: NHWC float32 `[batch, h, w, 3]`.
 */
export class Backbone {
  /** The tfjs model. */
  readonly model: tf.LayersModel;
  /** Resolved options. */
  readonly options: ResolvedBackboneOptions;
  /** Weight-bearing layers with their PyTorch keys. */
  readonly layers: readonly LayerSpec[];
  /** Per-sample feature map shape `[h, w, c]`. */
  readonly featureShape: readonly [number, number, number];
  /** PyTorch path of the classifier (`fc`, `_fc`), present or not. */
  readonly classifierPath: string;

  /** Use {@link createBackbone}. */
  constructor(model: tf.LayersModel, options: ResolvedBackboneOptions, layers: readonly LayerSpec[], classifierPath: string) {
    this.model = model;
    this.options = options;
    this.layers = layers;
    const f = model.outputs[0].shape;
    this.featureShape = [f[1] as number, f[2] as number, f[3] as number];
    this.classifierPath = classifierPath;
  }

  /** Runs the model; `training` switches batch norm to batch statistics and enables dropout. */
  apply(x: tf.Tensor4D, options: { training?: boolean } = {}): BackboneOutputs {
    const outs = this.model.apply(x, { training: options.training ?? false }) as tf.Tensor[];
    return {
      features: outs[0] as tf.Tensor4D,
      pooled: outs[1] as tf.Tensor2D,
      ...(outs[2] ? { logits: outs[2] as tf.Tensor2D } : {}),
    };
  }

  /** PyTorch-style parameter count (trainable weights only). */
  countTrainableParams(): number {
    return countParams(this.layers).trainable;
  }

  /**
   * Loads a PyTorch state dict (torchvision / efficientnet_pytorch / timm
   * key names). Without a classifier, the checkpoint's classifier keys
   * (`fc.*`, `_fc.*`) are ignored, so ImageNet checkpoints load as they are.
   */
  loadStateDict(dict: StateDict | ReadonlyMap<string, SafeTensor>, options: LoadStateDictOptions = {}): LoadStateDictResult {
    const ignore = [...(options.ignore ?? [])];
    if (this.options.numClasses === 0) ignore.push(`${this.classifierPath}.`);
    return loadStateDict(this.model, this.layers, dict, { ...options, ignore });
  }

  /** The weights as a PyTorch state dict (see {@link stateDict}). */
  stateDict(options?: StateDictOptions): Map<string, SafeTensor> {
    return stateDict(this.model, this.layers, options);
  }

  /** Frees every weight. */
  dispose(): void {
    this.model.dispose();
  }
}

/**
 * Creates a backbone as a tfjs model.
 *
 * ```ts
 * const b = createBackbone({ name: 'resnet34', inputSize: 112, widthMultiplier: 0.25, outputStride: 16 });
 * b.featureShape; // [7, 7, 128]
 * ```
 */
export function createBackbone(options: BackboneOptions, graphOptions: TfGraphOptions = {}): Backbone {
  requireBackend('createBackbone');
  const o = resolveBackboneOptions(options);
  const g = new TfGraph(graphOptions);
  const x = g.input([o.inputSize[0], o.inputSize[1], 3], 'input');
  const b = buildBackbone(g, x, o);
  const outputs = [b.features, b.pooled, ...(b.logits ? [b.logits] : [])];
  const model = tf.model({ inputs: x, outputs, name: o.name.replace(/-/g, '_') });
  return new Backbone(model, o, g.layers, b.classifierPath);
}
