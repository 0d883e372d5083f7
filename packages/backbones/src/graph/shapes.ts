/**
 * Shape arithmetic and weight specs shared by both {@link Graph}
 * implementations, so that the shape-only graph and the tfjs graph cannot
 * disagree.
 */
import { BackboneConfigError } from '../errors.js';
import type {
  BatchNormSpec,
  ConvSpec,
  DenseSpec,
  DepthwiseSpec,
  LayerSpec,
  Padding,
  SeparableSpec,
  WeightSpec,
} from './types.js';

/** Explicit padding `[top, bottom, left, right]`. */
export type Pads = readonly [number, number, number, number];

/**
 * Resolves a {@link Padding} to explicit pads for an input of `h x w`.
 * `'same'` follows TensorFlow (extra pixel at the bottom/right).
 */
export function resolvePads(p: Padding | undefined, kernel: number, stride: number, h: number, w: number): Pads {
  if (p === undefined || p === 'valid') return [0, 0, 0, 0];
  if (p === 'same') {
    const ph = Math.max((Math.ceil(h / stride) - 1) * stride + kernel - h, 0);
    const pw = Math.max((Math.ceil(w / stride) - 1) * stride + kernel - w, 0);
    return [Math.floor(ph / 2), ph - Math.floor(ph / 2), Math.floor(pw / 2), pw - Math.floor(pw / 2)];
  }
  if (typeof p === 'number') return [p, p, p, p];
  return [p[0], p[1], p[2], p[3]];
}

/**
 * True when `pads` equal what TensorFlow's `'same'` would use, so a tfjs
 * convolution can use `'same'` directly instead of an explicit padding layer.
 */
export function padsAreSame(pads: Pads, kernel: number, stride: number, h: number, w: number): boolean {
  const s = resolvePads('same', kernel, stride, h, w);
  return s.every((v, i) => v === pads[i]);
}

/** Output size of a window op along one axis. */
export function windowOut(n: number, kernel: number, stride: number, padBefore: number, padAfter: number): number {
  return Math.floor((n + padBefore + padAfter - kernel) / stride) + 1;
}

/** Checks a per-sample `[h, w, c]` shape and returns it. */
export function expectHwc(shape: readonly number[], what: string): [number, number, number] {
  if (shape.length !== 3) {
    throw new BackboneConfigError(`${what} expects a [h, w, c] feature map, got shape [${shape.join(', ')}]`);
  }
  return [shape[0], shape[1], shape[2]];
}

/** Output shape of a windowed op (conv, pool), failing clearly when the input is too small. */
export function windowShape(
  name: string,
  shape: readonly number[],
  kernel: number,
  stride: number,
  pads: Pads,
  channels: number,
): [number, number, number] {
  const [h, w] = expectHwc(shape, name);
  const oh = windowOut(h, kernel, stride, pads[0], pads[1]);
  const ow = windowOut(w, kernel, stride, pads[2], pads[3]);
  if (oh < 1 || ow < 1) {
    throw new BackboneConfigError(
      `layer '${name}': a ${kernel}x${kernel} window (stride ${stride}) does not fit its ${h}x${w} input; ` +
        'the model input is too small for this architecture',
    );
  }
  return [oh, ow, channels];
}

function w(
  tfName: string,
  torch: string,
  tfShape: readonly number[],
  torchShape: readonly number[],
  transform: WeightSpec['transform'],
  trainable = true,
): WeightSpec {
  return { tf: tfName, torch, tfShape, torchShape, transform, trainable };
}

/** Weights of a convolution. */
export function convLayerSpec(spec: ConvSpec, cin: number): LayerSpec {
  const k = spec.kernel;
  const weights = [w('kernel', `${spec.torch}.weight`, [k, k, cin, spec.filters], [spec.filters, cin, k, k], 'conv')];
  if (spec.bias) weights.push(w('bias', `${spec.torch}.bias`, [spec.filters], [spec.filters], 'none'));
  return { layer: spec.name, kind: 'conv', weights };
}

/** Weights of a depthwise convolution. */
export function depthwiseLayerSpec(spec: DepthwiseSpec, c: number): LayerSpec {
  const k = spec.kernel;
  const weights = [w('depthwise_kernel', `${spec.torch}.weight`, [k, k, c, 1], [c, 1, k, k], 'depthwise')];
  if (spec.bias) weights.push(w('bias', `${spec.torch}.bias`, [c], [c], 'none'));
  return { layer: spec.name, kind: 'depthwise', weights };
}

/** Weights of a separable convolution (depthwise + pointwise, no bias). */
export function separableLayerSpec(spec: SeparableSpec, cin: number): LayerSpec {
  const k = spec.kernel;
  return {
    layer: spec.name,
    kind: 'separable',
    weights: [
      w('depthwise_kernel', `${spec.torchDepthwise}.weight`, [k, k, cin, 1], [cin, 1, k, k], 'depthwise'),
      w('pointwise_kernel', `${spec.torchPointwise}.weight`, [1, 1, cin, spec.filters], [spec.filters, cin, 1, 1], 'conv'),
    ],
  };
}

/** Weights of a batch normalisation (gamma, beta trainable; running stats not). */
export function batchNormLayerSpec(spec: BatchNormSpec, c: number): LayerSpec {
  return {
    layer: spec.name,
    kind: 'batchnorm',
    weights: [
      w('gamma', `${spec.torch}.weight`, [c], [c], 'none'),
      w('beta', `${spec.torch}.bias`, [c], [c], 'none'),
      w('moving_mean', `${spec.torch}.running_mean`, [c], [c], 'none', false),
      w('moving_variance', `${spec.torch}.running_var`, [c], [c], 'none', false),
    ],
  };
}

/** Weights of a dense layer. */
export function denseLayerSpec(spec: DenseSpec, cin: number): LayerSpec {
  const weights = [w('kernel', `${spec.torch}.weight`, [cin, spec.units], [spec.units, cin], 'dense')];
  if (spec.bias ?? true) weights.push(w('bias', `${spec.torch}.bias`, [spec.units], [spec.units], 'none'));
  return { layer: spec.name, kind: 'dense', weights };
}

/** Number of elements of a shape. */
export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Trainable and non-trainable parameter counts of a list of layer specs. */
export function countParams(layers: readonly LayerSpec[]): { trainable: number; nonTrainable: number } {
  let trainable = 0;
  let nonTrainable = 0;
  for (const l of layers) {
    for (const wt of l.weights) {
      if (wt.trainable) trainable += numel(wt.tfShape);
      else nonTrainable += numel(wt.tfShape);
    }
  }
  return { trainable, nonTrainable };
}

/** Output shape of a reshape, checking the element count. */
export function reshapeShape(name: string, from: readonly number[], to: readonly number[]): number[] {
  if (numel(from) !== numel(to) || to.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new BackboneConfigError(`reshape '${name}': cannot reshape [${from.join(', ')}] to [${to.join(', ')}]`);
  }
  return [...to];
}

/** Output shape of an element-wise merge with broadcasting of size-1 axes. */
export function broadcastShape(name: string, shapes: readonly (readonly number[])[]): number[] {
  let out = [...shapes[0]];
  for (const s of shapes.slice(1)) {
    if (s.length !== out.length) {
      throw new BackboneConfigError(`'${name}': cannot merge shapes of different ranks [${out}] and [${s}]`);
    }
    out = out.map((d, i) => {
      if (d === s[i] || s[i] === 1) return d;
      if (d === 1) return s[i];
      throw new BackboneConfigError(`'${name}': shapes [${out.join(', ')}] and [${s.join(', ')}] do not broadcast`);
    });
  }
  return out;
}

/** Output shape of a concatenation along a per-sample `axis` (0-based, batch excluded). */
export function concatShape(name: string, shapes: readonly (readonly number[])[], axis: number): number[] {
  const out = [...shapes[0]];
  for (const s of shapes.slice(1)) {
    if (s.length !== out.length || s.some((d, i) => i !== axis && d !== out[i])) {
      throw new BackboneConfigError(`'${name}': cannot concatenate [${out}] and [${s}] on axis ${axis}`);
    }
    out[axis] += s[axis];
  }
  return out;
}
