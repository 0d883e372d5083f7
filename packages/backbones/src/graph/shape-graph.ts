import { BackboneConfigError } from '../errors.js';
import {
  batchNormLayerSpec,
  broadcastShape,
  concatShape,
  convLayerSpec,
  countParams,
  denseLayerSpec,
  depthwiseLayerSpec,
  expectHwc,
  reshapeShape,
  resolvePads,
  separableLayerSpec,
  windowShape,
} from './shapes.js';
import type {
  ActivationKind,
  BatchNormSpec,
  ConvSpec,
  DenseSpec,
  DepthwiseSpec,
  Graph,
  LayerSpec,
  MaxPoolSpec,
  SeparableSpec,
} from './types.js';

/** The handle of a {@link ShapeGraph}: just a per-sample shape. */
export interface ShapeHandle {
  readonly shape: readonly number[];
}

/**
 * A {@link Graph} that allocates nothing: it tracks per-sample shapes and
 * records every weight-bearing layer, so parameter counts, feature-map
 * sizes and the PyTorch key layout of any configuration (even a 270M
 * parameter one) are known instantly.
 */
export class ShapeGraph implements Graph<ShapeHandle> {
  private readonly recorded: LayerSpec[] = [];
  private readonly names = new Set<string>();

  /** Every weight-bearing layer created so far. */
  get layers(): readonly LayerSpec[] {
    return this.recorded;
  }

  /** Trainable (PyTorch `parameters()`) and non-trainable (BN running stats) counts. */
  counts(): { trainable: number; nonTrainable: number } {
    return countParams(this.recorded);
  }

  private record(spec: LayerSpec): void {
    if (this.names.has(spec.layer)) throw new BackboneConfigError(`duplicate layer name '${spec.layer}'`);
    this.names.add(spec.layer);
    this.recorded.push(spec);
  }

  input(shape: readonly number[]): ShapeHandle {
    return { shape: [...shape] };
  }

  conv2d(x: ShapeHandle, spec: ConvSpec): ShapeHandle {
    const [h, w, c] = expectHwc(x.shape, spec.name);
    const stride = spec.stride ?? 1;
    const pads = resolvePads(spec.padding, spec.kernel, stride, h, w);
    const out = windowShape(spec.name, x.shape, spec.kernel, stride, pads, spec.filters);
    this.record(convLayerSpec(spec, c));
    return { shape: out };
  }

  depthwiseConv2d(x: ShapeHandle, spec: DepthwiseSpec): ShapeHandle {
    const [h, w, c] = expectHwc(x.shape, spec.name);
    const stride = spec.stride ?? 1;
    const pads = resolvePads(spec.padding, spec.kernel, stride, h, w);
    const out = windowShape(spec.name, x.shape, spec.kernel, stride, pads, c);
    this.record(depthwiseLayerSpec(spec, c));
    return { shape: out };
  }

  separableConv2d(x: ShapeHandle, spec: SeparableSpec): ShapeHandle {
    const [h, w, c] = expectHwc(x.shape, spec.name);
    const pads = resolvePads(spec.padding, spec.kernel, 1, h, w);
    const out = windowShape(spec.name, x.shape, spec.kernel, 1, pads, spec.filters);
    this.record(separableLayerSpec(spec, c));
    return { shape: out };
  }

  batchNorm(x: ShapeHandle, spec: BatchNormSpec): ShapeHandle {
    this.record(batchNormLayerSpec(spec, x.shape[x.shape.length - 1]));
    return x;
  }

  activation(x: ShapeHandle, _kind: ActivationKind): ShapeHandle {
    return x;
  }

  maxPool(x: ShapeHandle, spec: MaxPoolSpec): ShapeHandle {
    const c = expectHwc(x.shape, spec.name)[2];
    const p = spec.padding;
    return { shape: windowShape(spec.name, x.shape, spec.size, spec.stride, [p, p, p, p], c) };
  }

  globalAvgPool(x: ShapeHandle, opts?: { readonly keepDims?: boolean }): ShapeHandle {
    const c = expectHwc(x.shape, 'globalAvgPool')[2];
    return { shape: opts?.keepDims ? [1, 1, c] : [c] };
  }

  dense(x: ShapeHandle, spec: DenseSpec): ShapeHandle {
    if (x.shape.length !== 1) {
      throw new BackboneConfigError(`dense '${spec.name}' expects a rank-1 input, got [${x.shape.join(', ')}]`);
    }
    this.record(denseLayerSpec(spec, x.shape[0]));
    return { shape: [spec.units] };
  }

  dropout(x: ShapeHandle): ShapeHandle {
    return x;
  }

  add(xs: readonly ShapeHandle[], name = 'add'): ShapeHandle {
    return { shape: broadcastShape(name, xs.map((x) => x.shape)) };
  }

  multiply(xs: readonly ShapeHandle[], name = 'multiply'): ShapeHandle {
    return { shape: broadcastShape(name, xs.map((x) => x.shape)) };
  }

  reshape(x: ShapeHandle, shape: readonly number[], name = 'reshape'): ShapeHandle {
    return { shape: reshapeShape(name, x.shape, shape) };
  }

  concat(xs: readonly ShapeHandle[], axis: number, name = 'concat'): ShapeHandle {
    return { shape: concatShape(name, xs.map((x) => x.shape), axis) };
  }

  shapeOf(x: ShapeHandle): readonly number[] {
    return x.shape;
  }
}
