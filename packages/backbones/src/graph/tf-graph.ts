import { tf } from '@caddm/tf';
import { FastBatchNormalization } from './batch-norm-layer.js';
import { FastConv2D } from './conv-layer.js';
import { BackboneConfigError } from '../errors.js';
import { ShapeGraph, type ShapeHandle } from './shape-graph.js';
import { expectHwc, padsAreSame, resolvePads, type Pads } from './shapes.js';
import type {
  ActivationKind,
  BatchNormSpec,
  ConvSpec,
  DenseSpec,
  DepthwiseSpec,
  Graph,
  KernelInit,
  LayerSpec,
  MaxPoolSpec,
  SeparableSpec,
} from './types.js';

type Sym = tf.SymbolicTensor;

/** Options of {@link TfGraph}. */
export interface TfGraphOptions {
  /**
   * `'random'` (default): kernels drawn as each spec says (PyTorch-like
   * defaults). `'zeros'`: every weight starts at zero (BN gamma and moving
   * variance at one), which is much faster when the weights will be
   * replaced by an import anyway.
   */
  readonly init?: 'random' | 'zeros';
  /**
   * Seed of the random initialisation: the same seed builds the same
   * weights (each layer draws from its own seed, derived from this one and
   * the layer's position). Default: unseeded (tfjs' global random state).
   */
  readonly seed?: number;
}

/**
 * A {@link Graph} that builds real tfjs layers (`tf.layers.*`) on
 * `SymbolicTensor`s. Only standard tfjs layer classes are used, so models
 * built with it serialise to a plain tfjs `model.json` that any tfjs
 * runtime (browser included) can load.
 *
 * Every op is mirrored on a {@link ShapeGraph}; a disagreement between the
 * tfjs shape and the computed one is a bug and throws.
 */
export class TfGraph implements Graph<Sym> {
  private readonly mirror = new ShapeGraph();
  private readonly init: 'random' | 'zeros';
  private readonly seed: number | undefined;
  private drawn = 0;

  /** @param options - see {@link TfGraphOptions}. */
  constructor(options: TfGraphOptions = {}) {
    this.init = options.init ?? 'random';
    if (options.seed != null && !Number.isFinite(options.seed)) throw new BackboneConfigError(`seed must be a finite number, got ${options.seed}`);
    this.seed = options.seed;
  }

  /** The seed of the next random initialiser, or undefined when unseeded. */
  private nextSeed(): number | undefined {
    if (this.seed == null) return undefined;
    // Distinct, well-spread per-layer seeds (tfjs seeds its alea generator from the number).
    return (Math.imul(this.seed | 0, 0x9e3779b1) ^ Math.imul(++this.drawn, 0x85ebca6b)) >>> 0;
  }

  /** Every weight-bearing layer created so far. */
  get layers(): readonly LayerSpec[] {
    return this.mirror.layers;
  }

  private h(x: Sym): ShapeHandle {
    return { shape: x.shape.slice(1) as number[] };
  }

  private check(out: Sym, expected: ShapeHandle, what: string): Sym {
    const got = out.shape.slice(1);
    if (got.length !== expected.shape.length || got.some((d, i) => d !== expected.shape[i])) {
      throw new Error(`internal: ${what} gave [${got.join(', ')}], expected [${expected.shape.join(', ')}]`);
    }
    return out;
  }

  private kernelInit(init: KernelInit | undefined, fanIn: number): ReturnType<typeof tf.initializers.zeros> {
    if (this.init === 'zeros') return tf.initializers.zeros();
    const i = init ?? { kind: 'uniform', bound: 1 / Math.sqrt(fanIn) };
    return i.kind === 'uniform'
      ? tf.initializers.randomUniform({ minval: -i.bound, maxval: i.bound, seed: this.nextSeed() })
      : tf.initializers.randomNormal({ mean: 0, stddev: i.std, seed: this.nextSeed() });
  }

  private pad(x: Sym, pads: Pads, name: string): Sym {
    return tf.layers
      .zeroPadding2d({
        name,
        padding: [
          [pads[0], pads[1]],
          [pads[2], pads[3]],
        ],
      })
      .apply(x) as Sym;
  }

  /** Pads explicitly unless `'valid'`/`'same'` already mean the same thing. */
  private padFor(x: Sym, name: string, kernel: number, stride: number, pads: Pads): { x: Sym; padding: 'valid' | 'same' } {
    const [h, w] = expectHwc(this.h(x).shape, name);
    if (pads.every((p) => p === 0)) return { x, padding: 'valid' };
    if (padsAreSame(pads, kernel, stride, h, w)) return { x, padding: 'same' };
    return { x: this.pad(x, pads, `${name}.pad`), padding: 'valid' };
  }

  input(shape: readonly number[], name: string): Sym {
    return tf.input({ shape: [...shape], name });
  }

  conv2d(x: Sym, spec: ConvSpec): Sym {
    const expected = this.mirror.conv2d(this.h(x), spec);
    const [h, w, cin] = expectHwc(this.h(x).shape, spec.name);
    const stride = spec.stride ?? 1;
    const p = this.padFor(x, spec.name, spec.kernel, stride, resolvePads(spec.padding, spec.kernel, stride, h, w));
    const out = new FastConv2D({
      name: spec.name,
      filters: spec.filters,
      kernelSize: spec.kernel,
      strides: stride,
      padding: p.padding,
      useBias: spec.bias ?? false,
      kernelInitializer: this.kernelInit(spec.init, cin * spec.kernel * spec.kernel),
      biasInitializer: 'zeros',
    }).apply(p.x) as Sym;
    return this.check(out, expected, spec.name);
  }

  depthwiseConv2d(x: Sym, spec: DepthwiseSpec): Sym {
    const expected = this.mirror.depthwiseConv2d(this.h(x), spec);
    const [h, w] = expectHwc(this.h(x).shape, spec.name);
    const stride = spec.stride ?? 1;
    const p = this.padFor(x, spec.name, spec.kernel, stride, resolvePads(spec.padding, spec.kernel, stride, h, w));
    const out = tf.layers
      .depthwiseConv2d({
        name: spec.name,
        kernelSize: spec.kernel,
        strides: stride,
        depthMultiplier: 1,
        padding: p.padding,
        useBias: spec.bias ?? false,
        depthwiseInitializer: this.kernelInit(spec.init, spec.kernel * spec.kernel),
        biasInitializer: 'zeros',
      })
      .apply(p.x) as Sym;
    return this.check(out, expected, spec.name);
  }

  separableConv2d(x: Sym, spec: SeparableSpec): Sym {
    const expected = this.mirror.separableConv2d(this.h(x), spec);
    const cin = this.h(x).shape[2];
    const out = tf.layers
      .separableConv2d({
        name: spec.name,
        filters: spec.filters,
        kernelSize: spec.kernel,
        padding: spec.padding ?? 'same',
        depthMultiplier: 1,
        useBias: false,
        depthwiseInitializer: this.kernelInit(spec.init, spec.kernel * spec.kernel),
        pointwiseInitializer: this.kernelInit(spec.init, cin),
      })
      .apply(x) as Sym;
    return this.check(out, expected, spec.name);
  }

  batchNorm(x: Sym, spec: BatchNormSpec): Sym {
    this.mirror.batchNorm(this.h(x), spec);
    return new FastBatchNormalization({
      name: spec.name,
      axis: -1,
      epsilon: spec.epsilon,
      momentum: spec.momentum,
      gammaInitializer: 'ones',
      betaInitializer: 'zeros',
      movingMeanInitializer: 'zeros',
      movingVarianceInitializer: 'ones',
    }).apply(x) as Sym;
  }

  activation(x: Sym, kind: ActivationKind, name?: string): Sym {
    return tf.layers.activation({ activation: kind, ...(name ? { name } : {}) }).apply(x) as Sym;
  }

  maxPool(x: Sym, spec: MaxPoolSpec): Sym {
    const expected = this.mirror.maxPool(this.h(x), spec);
    const p = spec.padding;
    let input = x;
    if (p > 0) {
      input =
        spec.padMode === 'zero' ? this.pad(x, [p, p, p, p], `${spec.name}.pad`) : this.edgePad(x, p, spec.name);
    }
    const out = tf.layers
      .maxPooling2d({
        poolSize: spec.size,
        strides: spec.stride,
        padding: 'valid',
        name: spec.name,
      })
      .apply(input) as Sym;
    return this.check(out, expected, spec.name);
  }

  /** Replicates the border `p` times on every side with standard crop/concat layers. */
  private edgePad(x: Sym, p: number, base: string): Sym {
    const [h, w] = expectHwc(this.h(x).shape, base);
    const crop = (t: Sym, c: [[number, number], [number, number]], n: string) =>
      tf.layers.cropping2D({ cropping: c, name: n }).apply(t) as Sym;
    const top = crop(x, [[0, h - 1], [0, 0]], `${base}.edge_top`);
    const bottom = crop(x, [[h - 1, 0], [0, 0]], `${base}.edge_bottom`);
    const rows = [...Array<Sym>(p).fill(top), x, ...Array<Sym>(p).fill(bottom)];
    const tall = tf.layers.concatenate({ axis: 1, name: `${base}.edge_rows` }).apply(rows) as Sym;
    const left = crop(tall, [[0, 0], [0, w - 1]], `${base}.edge_left`);
    const right = crop(tall, [[0, 0], [w - 1, 0]], `${base}.edge_right`);
    const cols = [...Array<Sym>(p).fill(left), tall, ...Array<Sym>(p).fill(right)];
    return tf.layers.concatenate({ axis: 2, name: `${base}.edge_cols` }).apply(cols) as Sym;
  }

  globalAvgPool(x: Sym, opts: { readonly keepDims?: boolean; readonly name?: string } = {}): Sym {
    const expected = this.mirror.globalAvgPool(this.h(x), opts);
    const pooled = tf.layers
      .globalAveragePooling2d({ ...(opts.name && !opts.keepDims ? { name: opts.name } : {}) })
      .apply(x) as Sym;
    const out = opts.keepDims
      ? (tf.layers
          .reshape({ targetShape: [...expected.shape], ...(opts.name ? { name: opts.name } : {}) })
          .apply(pooled) as Sym)
      : pooled;
    return this.check(out, expected, opts.name ?? 'globalAvgPool');
  }

  dense(x: Sym, spec: DenseSpec): Sym {
    const expected = this.mirror.dense(this.h(x), spec);
    const out = tf.layers
      .dense({
        name: spec.name,
        units: spec.units,
        useBias: spec.bias ?? true,
        kernelInitializer: this.kernelInit(spec.init, this.h(x).shape[0]),
        biasInitializer: 'zeros',
      })
      .apply(x) as Sym;
    return this.check(out, expected, spec.name);
  }

  dropout(x: Sym, rate: number, opts: { readonly perSample?: boolean; readonly name?: string } = {}): Sym {
    if (!(rate >= 0 && rate < 1)) throw new BackboneConfigError(`dropout rate must be in [0, 1), got ${rate}`);
    if (rate === 0) return x;
    const rank = x.shape.length;
    return tf.layers
      .dropout({
        rate,
        // tfjs replaces null entries by the input's size; its typings say number[].
        ...(opts.perSample ? { noiseShape: [null, ...Array<number>(rank - 1).fill(1)] as unknown as number[] } : {}),
        ...(opts.name ? { name: opts.name } : {}),
      })
      .apply(x) as Sym;
  }

  add(xs: readonly Sym[], name?: string): Sym {
    const expected = this.mirror.add(xs.map((x) => this.h(x)), name);
    return this.check(tf.layers.add(name ? { name } : {}).apply([...xs]) as Sym, expected, name ?? 'add');
  }

  multiply(xs: readonly Sym[], name?: string): Sym {
    const expected = this.mirror.multiply(xs.map((x) => this.h(x)), name);
    return this.check(tf.layers.multiply(name ? { name } : {}).apply([...xs]) as Sym, expected, name ?? 'multiply');
  }

  reshape(x: Sym, shape: readonly number[], name?: string): Sym {
    const expected = this.mirror.reshape(this.h(x), shape, name);
    const out = tf.layers.reshape({ targetShape: [...shape], ...(name ? { name } : {}) }).apply(x) as Sym;
    return this.check(out, expected, name ?? 'reshape');
  }

  concat(xs: readonly Sym[], axis: number, name?: string): Sym {
    const expected = this.mirror.concat(xs.map((x) => this.h(x)), axis, name);
    if (xs.length === 1) return xs[0];
    const out = tf.layers.concatenate({ axis: axis + 1, ...(name ? { name } : {}) }).apply([...xs]) as Sym;
    return this.check(out, expected, name ?? 'concat');
  }

  shapeOf(x: Sym): readonly number[] {
    return this.h(x).shape;
  }
}
