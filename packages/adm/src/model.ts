/**
 * tfjs models: {@link CaddmModel} (training outputs loc / conf / logits,
 * inference P(fake)) and {@link BaselineModel} (backbone + linear), with
 * PyTorch state-dict import/export and parameter counts.
 *
 * @packageDocumentation
 */
import { requireBackend, tf } from '@caddm/tf';
import {
  Backbone,
  countParams,
  loadStateDict,
  ShapeGraph,
  stateDict,
  TfGraph,
  type LayerSpec,
  type LoadStateDictOptions,
  type ResolvedBackboneOptions,
  type LoadStateDictResult,
  type SafeTensor,
  type StateDictOptions,
  type TfGraphOptions,
} from '@caddm/backbones';
import { BACKBONE_PREFIX, buildBaseline, buildCaddm, buildCaddmHead, FC_PATH } from './caddm-graph.js';
import {
  ANCHORS_PER_CELL,
  resolveCaddmConfig,
  type CaddmOptions,
  type CaddmPreset,
  type ResolvedCaddmConfig,
} from './config.js';
import { CaddmConfigError } from './errors.js';

/** Which network a model is. */
export type ModelKind = 'caddm' | 'baseline';

/** Outputs of {@link CaddmModel.apply}. */
export interface CaddmOutputs {
  /** Box offsets `[B, A, 4]` (cell-major, anchor-minor; A = 168). */
  readonly loc: tf.Tensor3D;
  /** Anchor class logits `[B, A, 2]`. */
  readonly conf: tf.Tensor3D;
  /** Image class logits `[B, 2]` (index 1 = fake). */
  readonly logits: tf.Tensor2D;
}

/** Options of {@link DeepfakeModel.apply}. */
export interface ApplyOptions {
  /** Batch norm on batch statistics and dropout on (default false). */
  readonly training?: boolean;
}

/** Describes how a model was built (stored in saved models). */
export interface ModelInfo {
  readonly kind: ModelKind;
  /** The configuration, or null for the plug-in form on a foreign backbone. */
  readonly config: ResolvedCaddmConfig | null;
  /** Channels of the backbone feature. */
  readonly channels: number;
  /** Weight-bearing layers with their PyTorch keys (the foreign part of a plug-in model is not listed). */
  readonly layers: readonly LayerSpec[];
  /** For a plug-in model on one of our backbones: that backbone's options. */
  readonly pluginBackbone?: ResolvedBackboneOptions;
}

function isTensor4D(x: tf.Tensor): x is tf.Tensor4D {
  return x.rank === 4;
}

/** What the two model kinds share. */
export abstract class DeepfakeModel {
  /** The tfjs model; input NHWC float32 `[B, s, s, 3]`. */
  readonly model: tf.LayersModel;
  /** How it was built. */
  readonly info: ModelInfo;

  /** @param model - the tfjs model. @param info - how it was built. */
  constructor(model: tf.LayersModel, info: ModelInfo) {
    this.model = model;
    this.info = info;
  }

  /** The resolved configuration (null for a plug-in model on a foreign backbone). */
  get config(): ResolvedCaddmConfig | null {
    return this.info.config;
  }

  /** Weight-bearing layers with their PyTorch keys. */
  get layers(): readonly LayerSpec[] {
    return this.info.layers;
  }

  /** Per-sample input shape `[h, w, 3]`. */
  get inputShape(): readonly number[] {
    return this.model.inputs[0].shape.slice(1).map((d) => d ?? -1);
  }

  protected checkInput(x: tf.Tensor): tf.Tensor4D {
    const want = this.inputShape;
    if (!isTensor4D(x) || x.shape.slice(1).some((d, i) => d !== want[i])) {
      throw new CaddmConfigError(`input must be [batch, ${want.join(', ')}] (NHWC), got [${x.shape.join(', ')}]`);
    }
    return x;
  }

  /** The image-level logits `[B, 2]`. */
  abstract logits(x: tf.Tensor4D, options?: ApplyOptions): tf.Tensor2D;

  /** Inference: P(fake) per image, `softmax(logits)[:, 1]`, shape `[B]` (the reference's eval output column 1). */
  predict(x: tf.Tensor4D): tf.Tensor1D {
    return tf.tidy(() => {
      const p = tf.softmax(this.logits(x, { training: false }));
      return p.slice([0, 1], [-1, 1]).reshape([-1]) as tf.Tensor1D;
    });
  }

  /** Trainable parameters of the tfjs model (= PyTorch `parameters()`). */
  countTrainableParams(): number {
    return this.model.trainableWeights.reduce((a, w) => a + (w.shape as number[]).reduce((p, d) => p * d, 1), 0);
  }

  /**
   * Loads a whole-model state dict in the reference's key names
   * (`base_model.*`, `adm.*`, `fc.*`), e.g. the authors' `checkpoint['network']`
   * as {@link readStateDict} reads it. A `module.` prefix (DataParallel) is
   * stripped. The backbone's unused ImageNet classifier, which every authors'
   * checkpoint carries (`base_model.fc.*`, `base_model._fc.*` for
   * EfficientNet, `base_model.last_linear.*` for Xception), is skipped and
   * listed in the result's `skipped`; any other unused, missing or
   * mis-shaped weight is an error.
   */
  loadStateDict(dict: ReadonlyMap<string, SafeTensor>, options: LoadStateDictOptions = {}): LoadStateDictResult {
    return loadStateDict(this.model, this.info.layers, dict, {
      ...options,
      stripPrefixes: options.stripPrefixes ?? ['module.'],
      ignore: [...(options.ignore ?? []), ...UNUSED_IMAGENET_HEADS],
    });
  }

  /**
   * Loads ImageNet backbone weights (torchvision / efficientnet_pytorch /
   * timm key names, no prefix) into the backbone; the checkpoint's
   * classifier is ignored. Other layers are left as they are.
   */
  loadBackboneStateDict(dict: ReadonlyMap<string, SafeTensor>, options: LoadStateDictOptions = {}): LoadStateDictResult {
    const prefix = this.info.config ? BACKBONE_PREFIX : '';
    const layers = this.info.layers.filter((l) => l.weights[0].torch.startsWith(prefix) && !isHead(l.weights[0].torch));
    const prefixed = new Map([...dict].map(([k, v]) => [`${prefix}${k}`, v]));
    return loadStateDict(this.model, layers, prefixed, {
      ...options,
      ignore: [...(options.ignore ?? []), `${prefix}fc.`, `${prefix}_fc.`, `${prefix}last_linear.`],
    });
  }

  /** The weights as a PyTorch state dict in the reference's key names. */
  stateDict(options?: StateDictOptions): Map<string, SafeTensor> {
    return stateDict(this.model, this.info.layers, options);
  }

  /** Frees every weight. */
  dispose(): void {
    this.model.dispose();
  }
}

/** Key prefixes of the backbone's ImageNet classifier, which the reference keeps in its checkpoints but never uses. */
export const UNUSED_IMAGENET_HEADS = [`${BACKBONE_PREFIX}fc.`, `${BACKBONE_PREFIX}_fc.`, `${BACKBONE_PREFIX}last_linear.`] as const;

function isHead(torchKey: string): boolean {
  return torchKey.startsWith('adm.') || torchKey.startsWith(`${FC_PATH}.`);
}

/**
 * The CADDM model. `apply(x, { training: true })` gives loc `[B, A, 4]`,
 * conf `[B, A, 2]` and logits `[B, 2]` (the reference's training outputs);
 * `predict(x)` gives P(fake) `[B]` (its eval output, column 1).
 */
export class CaddmModel extends DeepfakeModel {
  /** Side lengths of the maps that carry detection heads: `[7, 5, 3, 1]`. */
  readonly featureMapSizes: readonly number[];
  /** Anchors per cell: 2. */
  readonly anchorsPerCell = ANCHORS_PER_CELL;

  /** Use {@link createCaddm} or {@link attachAdm}. */
  constructor(model: tf.LayersModel, info: ModelInfo, featureMapSizes: readonly number[]) {
    super(model, info);
    if (model.outputs.length !== 3) throw new CaddmConfigError(`a CADDM model has 3 outputs, got ${model.outputs.length}`);
    this.featureMapSizes = featureMapSizes;
  }

  /** Total anchors A (168). */
  get numAnchors(): number {
    return this.featureMapSizes.reduce((a, f) => a + f * f * this.anchorsPerCell, 0);
  }

  /** Runs the network: loc, conf and logits. */
  apply(x: tf.Tensor4D, options: ApplyOptions = {}): CaddmOutputs {
    const out = this.model.apply(this.checkInput(x), { training: options.training ?? false }) as tf.Tensor[];
    return { loc: out[0] as tf.Tensor3D, conf: out[1] as tf.Tensor3D, logits: out[2] as tf.Tensor2D };
  }

  logits(x: tf.Tensor4D, options: ApplyOptions = {}): tf.Tensor2D {
    return tf.tidy(() => {
      const o = this.apply(x, options);
      return o.logits;
    });
  }
}

/** The binary-classifier baseline: backbone + linear, outputs logits `[B, 2]`. */
export class BaselineModel extends DeepfakeModel {
  /** Runs the network. */
  apply(x: tf.Tensor4D, options: ApplyOptions = {}): { readonly logits: tf.Tensor2D } {
    return { logits: this.model.apply(this.checkInput(x), { training: options.training ?? false }) as tf.Tensor2D };
  }

  logits(x: tf.Tensor4D, options: ApplyOptions = {}): tf.Tensor2D {
    return this.apply(x, options).logits;
  }
}

/** Parameter counts and layout of a configuration, computed without allocating. */
export interface CaddmDescription {
  readonly kind: ModelKind;
  readonly config: ResolvedCaddmConfig;
  /** PyTorch `parameters()` of the whole model. */
  readonly trainableParams: number;
  /** The backbone's share (without its ImageNet classifier). */
  readonly backboneParams: number;
  /** The ADM's share (extra layers and heads); 0 for the baseline. */
  readonly admParams: number;
  /** The final classifier's share. */
  readonly fcParams: number;
  /** Batch-norm running statistics (not parameters in PyTorch). */
  readonly nonTrainableParams: number;
  readonly featureMapSizes: readonly number[];
  readonly numAnchors: number;
  readonly layers: readonly LayerSpec[];
}

/**
 * Describes a CADDM (or baseline) configuration: parameter counts per part,
 * ADM map sizes and anchor count, PyTorch key layout. Allocates nothing, so
 * it is instant even for EfficientNet-b4 (288M parameters).
 */
export function describeCaddm(options: CaddmOptions | CaddmPreset, kind: ModelKind = 'caddm'): CaddmDescription {
  const config = resolveCaddmConfig(options);
  const g = new ShapeGraph();
  const x = g.input([config.backbone.inputSize[0], config.backbone.inputSize[1], 3]);
  let mapSizes: readonly number[] = [];
  if (kind === 'caddm') mapSizes = buildCaddm(g, x, config).mapSizes;
  else buildBaseline(g, x, config);
  const part = (p: (key: string) => boolean) => countParams(g.layers.filter((l) => p(l.weights[0].torch))).trainable;
  const c = g.counts();
  return {
    kind,
    config,
    trainableParams: c.trainable,
    nonTrainableParams: c.nonTrainable,
    backboneParams: part((k) => k.startsWith(BACKBONE_PREFIX)),
    admParams: part((k) => k.startsWith('adm.')),
    fcParams: part((k) => k.startsWith(`${FC_PATH}.`)),
    featureMapSizes: mapSizes,
    numAnchors: mapSizes.reduce((a, f) => a + f * f * ANCHORS_PER_CELL, 0),
    layers: g.layers,
  };
}

/**
 * Creates the CADDM model.
 *
 * ```ts
 * const m = createCaddm({ backbone: 'resnet34', inputSize: 224 });
 * m.countTrainableParams();           // 43,490,162
 * const { loc, conf, logits } = m.apply(x, { training: true });
 * const pFake = m.predict(x);          // [B]
 * ```
 *
 * @param graphOptions - `{ init: 'zeros' }` skips random initialisation (fast when weights are loaded next).
 * @throws {@link CaddmConfigError} for configurations the ADM cannot serve.
 */
export function createCaddm(options: CaddmOptions | CaddmPreset, graphOptions: TfGraphOptions = {}): CaddmModel {
  requireBackend('createCaddm');
  const config = resolveCaddmConfig(options);
  const g = new TfGraph(graphOptions);
  const x = g.input([config.backbone.inputSize[0], config.backbone.inputSize[1], 3], 'input');
  const heads = buildCaddm(g, x, config);
  const model = tf.model({ inputs: x, outputs: [heads.loc, heads.conf, heads.logits], name: 'caddm' });
  return new CaddmModel(model, { kind: 'caddm', config, channels: config.channels, layers: g.layers }, heads.mapSizes);
}

/** Creates the binary-classifier baseline (backbone + linear to 2 logits) used by the ablations. */
export function createBaseline(options: CaddmOptions | CaddmPreset, graphOptions: TfGraphOptions = {}): BaselineModel {
  requireBackend('createBaseline');
  const config = resolveCaddmConfig(options);
  const g = new TfGraph(graphOptions);
  const x = g.input([config.backbone.inputSize[0], config.backbone.inputSize[1], 3], 'input');
  const logits = buildBaseline(g, x, config);
  const model = tf.model({ inputs: x, outputs: logits, name: 'baseline' });
  return new BaselineModel(model, { kind: 'baseline', config, channels: config.channels, layers: g.layers });
}

/** Options of {@link attachAdm}. */
export interface AttachAdmOptions {
  /** Which output of the backbone model is the `[B, 7, 7, C]` feature map. Default 0. */
  readonly featureOutput?: number;
  /** Which output is the pooled `[B, C]` feature; default: global average pooling of the map. */
  readonly pooledOutput?: number;
  /** Initialisation of the new layers (see {@link TfGraphOptions}). */
  readonly init?: TfGraphOptions['init'];
}

/**
 * The plug-and-play form (paper Table 6): attaches the ADM, the short
 * connection and a 2-way classifier to an existing backbone — one of ours
 * ({@link Backbone}) or any tfjs model with a 7x7 feature-map output — and
 * returns a {@link CaddmModel} sharing the backbone's layers.
 */
export function attachAdm(backbone: Backbone | tf.LayersModel, options: AttachAdmOptions = {}): CaddmModel {
  const ours = backbone instanceof Backbone;
  const model = ours ? backbone.model : backbone;
  const fi = options.featureOutput ?? 0;
  const features = model.outputs[fi];
  if (!features) throw new CaddmConfigError(`the backbone has no output ${fi} (it has ${model.outputs.length})`);
  if (features.shape.length !== 4) {
    throw new CaddmConfigError(`backbone output ${fi} must be a [B, h, w, C] feature map, got [${features.shape.join(', ')}]`);
  }
  const g = new TfGraph({ init: options.init ?? 'random' });
  let pooled: tf.SymbolicTensor;
  if (options.pooledOutput !== undefined) {
    const p = model.outputs[options.pooledOutput];
    if (!p) throw new CaddmConfigError(`the backbone has no output ${options.pooledOutput}`);
    pooled = p;
  } else if (ours) {
    pooled = model.outputs[1];
  } else {
    pooled = g.globalAvgPool(features, { name: 'plugin_global_pool' });
  }
  const heads = buildCaddmHead(g, features, pooled);
  const combined = tf.model({ inputs: model.inputs, outputs: [heads.loc, heads.conf, heads.logits], name: 'caddm_plugin' });
  const channels = features.shape[3] as number;
  const layers = [...(ours ? backbone.layers : []), ...g.layers];
  const info: ModelInfo = {
    kind: 'caddm',
    config: null,
    channels,
    layers,
    ...(ours ? { pluginBackbone: backbone.options } : {}),
  };
  return new CaddmModel(combined, info, heads.mapSizes);
}
