/**
 * Kernel checks of the torch backend against tfjs' cpu backend, shared by the test suite
 * (`kernels.test.ts`) and the GPU check (`tools/gpu/check.ts`, which runs them on CUDA).
 * Each case runs some tfjs ops on seeded inputs and, for float inputs, their gradients.
 */
import * as tf from '@tensorflow/tfjs';

/** A seeded uniform generator on [0, 1) (a 32-bit xorshift). */
function uniform(seed: number): () => number {
  let s = (seed * 2654435761 + 1) >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

/** A seeded tensor: uniform in [lo, hi). */
export function rand(shape: number[], seed: number, lo = -1, hi = 1): { shape: number[]; values: Float32Array } {
  const u = uniform(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return { shape, values: Float32Array.from({ length: n }, () => lo + (hi - lo) * u()) };
}

/** One input of a case. */
export type Spec = { shape: number[]; values: Float32Array | Int32Array; dtype?: 'float32' | 'int32' | 'bool' };

/** A kernel check: inputs, the ops to run, and which inputs to differentiate. */
export interface Case {
  readonly name: string;
  readonly inputs: Spec[];
  /** Which inputs to differentiate (float ones); none: values only. */
  readonly grad?: number[];
  readonly f: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[];
  /** Relative tolerance (default 1e-5). */
  readonly tol?: number;
}

const ints = (shape: number[], values: number[]): Spec => ({ shape, values: Int32Array.from(values), dtype: 'int32' });
const bools = (shape: number[], values: number[]): Spec => ({ shape, values: Int32Array.from(values), dtype: 'bool' });
const x4 = rand([2, 7, 6, 3], 1);
const pos = rand([3, 4], 2, 0.1, 2);
const a34 = rand([3, 4], 3);
const b34 = rand([3, 4], 4);
const b14 = rand([1, 4], 5);

/** Reduces any output(s) to a scalar with non-uniform weights, so gradients see every element. */
function weighted(out: tf.Tensor | tf.Tensor[]): tf.Scalar {
  const outs = Array.isArray(out) ? out : [out];
  return tf.addN(
    outs.map((o) => {
      const f = o.dtype === 'float32' ? o : tf.cast(o, 'float32');
      const w = tf.range(1, f.size + 1).div(f.size).reshape(f.shape);
      return tf.sum(tf.mul(f, w));
    }),
  ) as tf.Scalar;
}

/** The kernel checks: together they dispatch every native kernel but the training ones. */
export const CASES: Case[] = [
  ...(['abs', 'exp', 'neg', 'relu', 'sigmoid', 'square', 'tanh', 'elu', 'relu6', 'selu', 'softplus', 'sin', 'cos', 'atan', 'tan', 'sinh', 'cosh', 'erf', 'expm1', 'sign', 'round', 'floor', 'ceil', 'step'] as const).map(
    (op): Case => ({ name: op, inputs: [a34], grad: [0], f: (x) => (tf[op] as (x: tf.Tensor) => tf.Tensor)(x.mul(3)) }),
  ),
  ...(['log', 'sqrt', 'rsqrt', 'reciprocal', 'log1p', 'acos', 'asin'] as const).map(
    (op): Case => ({ name: op, inputs: [pos], grad: [0], f: (x) => (tf[op] as (x: tf.Tensor) => tf.Tensor)(op === 'acos' || op === 'asin' ? x.div(2.5) : x) }),
  ),
  { name: 'leakyRelu', inputs: [a34], grad: [0], f: (x) => tf.leakyRelu(x, 0.1) },
  { name: 'prelu', inputs: [a34, b14], grad: [0, 1], f: (x, a) => tf.prelu(x, a) },
  { name: 'clipByValue', inputs: [a34], grad: [0], f: (x) => tf.clipByValue(x, -0.3, 0.5) },
  { name: 'isNaN/isInf/isFinite', inputs: [a34], f: (x) => { const y = tf.div(x, tf.round(x)); return [tf.isNaN(y), tf.isInf(y), tf.isFinite(y)]; } },
  ...(['add', 'sub', 'mul', 'div', 'atan2'] as const).map(
    (op): Case => ({ name: `${op} (broadcast)`, inputs: [a34, b14], grad: [0, 1], f: (a, b) => (tf[op] as (a: tf.Tensor, b: tf.Tensor) => tf.Tensor)(a, b) }),
  ),
  // tfjs' own gradients of these do not reduce a broadcast input, so same shapes.
  ...(['maximum', 'minimum', 'squaredDifference'] as const).map(
    (op): Case => ({ name: op, inputs: [a34, b34], grad: [0, 1], f: (a, b) => (tf[op] as (a: tf.Tensor, b: tf.Tensor) => tf.Tensor)(a, b) }),
  ),
  { name: 'pow', inputs: [pos, b34], grad: [0, 1], f: (a, b) => tf.pow(a, b) },
  { name: 'floorDiv/mod', inputs: [ints([6], [7, -7, 9, -9, 5, 0]), ints([6], [2, 2, -4, -4, 5, 3])], f: (a, b) => [tf.floorDiv(a, b), tf.mod(a, b)] },
  { name: 'int arithmetic', inputs: [ints([4], [1, -2, 3, 40]), ints([4], [5, 6, -7, 8])], f: (a, b) => [a.add(b), a.sub(b), a.mul(b), a.maximum(b), a.neg(), a.abs()] },
  { name: 'comparisons', inputs: [a34, b14], f: (a, b) => [tf.greater(a, b), tf.greaterEqual(a, b), tf.less(a, b), tf.lessEqual(a, b), tf.equal(a, a), tf.notEqual(a, b)] },
  { name: 'logical', inputs: [bools([4], [1, 0, 1, 0]), bools([4], [1, 1, 0, 0])], f: (a, b) => [tf.logicalAnd(a, b), tf.logicalOr(a, b), tf.logicalNot(a)] },
  { name: 'where', inputs: [bools([3, 4], [1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 1, 0]), a34, b34], grad: [1, 2], f: (c, a, b) => tf.where(c, a, b) },
  { name: 'addN', inputs: [a34, b34, a34], grad: [0, 1], f: (a, b, c) => tf.addN([a, b, c]) },
  { name: 'cast', inputs: [a34], f: (x) => [tf.cast(x.mul(3), 'int32'), tf.cast(x, 'bool'), tf.cast(tf.cast(x.mul(3), 'int32'), 'float32')] },
  { name: 'zerosLike/onesLike', inputs: [a34], f: (x) => [tf.zerosLike(x), tf.onesLike(x)] },
  { name: 'sum/mean/max/min/prod', inputs: [x4], grad: [0], f: (x) => [tf.sum(x, [0, 1, 2]), tf.mean(x, [1, 2], true), tf.max(x, 3), tf.min(x, [0, 3]), tf.prod(x.add(2), 2), tf.sum(x), tf.mean(x, -1)] },
  { name: 'all/any', inputs: [bools([2, 3], [1, 0, 1, 1, 1, 1])], f: (x) => [tf.all(x, 1), tf.any(x, 0), tf.all(x)] },
  { name: 'argMax/argMin', inputs: [a34], f: (x) => [tf.argMax(x, 1), tf.argMin(x, 0)] },
  { name: 'softmax', inputs: [a34], grad: [0], f: (x) => tf.softmax(x.mul(4)) },
  { name: 'logSoftmax', inputs: [a34], grad: [0], f: (x) => tf.logSoftmax(x.mul(4)) },
  { name: 'reshape/expandDims/squeeze', inputs: [a34], grad: [0], f: (x) => [x.reshape([4, -1]), x.expandDims(1), x.reshape([3, 1, 4]).squeeze([1])] },
  { name: 'transpose', inputs: [x4], grad: [0], f: (x) => tf.transpose(x, [3, 1, 0, 2]) },
  { name: 'concat', inputs: [a34, b34], grad: [0, 1], f: (a, b) => [tf.concat([a, b], 0), tf.concat([a, b, a], -1)] },
  { name: 'stack/unstack', inputs: [a34, b34], grad: [0, 1], f: (a, b) => [tf.stack([a, b], 1), ...tf.unstack(a, 1)] },
  { name: 'reverse', inputs: [a34], grad: [0], f: (x) => tf.reverse(x, [0, 1]) },
  { name: 'tile', inputs: [a34], grad: [0], f: (x) => tf.tile(x, [2, 3]) },
  { name: 'broadcastTo', inputs: [b14], grad: [0], f: (x) => tf.broadcastTo(x, [3, 4]) },
  { name: 'slice', inputs: [x4], grad: [0], f: (x) => [tf.slice(x, [0, 1, 2, 0], [2, 3, -1, 2]), tf.slice(x, [1], [1])] },
  { name: 'stridedSlice', inputs: [x4], f: (x) => [tf.stridedSlice(x, [0, 1, 0, 0], [2, 7, 6, 3], [1, 2, 3, 1]), tf.stridedSlice(x, [1, 0], [2, 4], [1, 1], 0, 0, 0, 0, 1)] },
  { name: 'split', inputs: [x4], grad: [0], f: (x) => [...tf.split(x, [2, 1, 3], 2), ...tf.split(x, 3, -1)] },
  { name: 'pad', inputs: [x4], grad: [0], f: (x) => tf.pad(x, [[0, 0], [1, 2], [0, 3], [0, 0]], 0.5) },
  { name: 'fill/range', inputs: [], f: () => [tf.fill([2, 3], 1.5), tf.fill([2], 7, 'int32'), tf.range(0, 10, 3), tf.range(5, 0, -1.5), tf.range(0, 6, 1, 'int32'), tf.linspace(0, 1, 5), tf.linspace(-2, 3, 7)] },
  { name: 'gather', inputs: [x4, ints([4], [5, 0, 5, 2])], grad: [0], f: (x, i) => [tf.gather(x, i, 1), tf.gather(x.reshape([-1]), i)] },
  { name: 'gatherND', inputs: [x4, ints([3, 2], [0, 1, 1, 6, 0, 0])], f: (x, i) => tf.gatherND(x, i) },
  { name: 'scatterND', inputs: [ints([4, 1], [0, 2, 0, 5]), rand([4, 4], 23)], f: (i, u) => tf.scatterND(i, u, [6, 4]) },
  { name: 'oneHot', inputs: [ints([5], [0, 3, -1, 2, 9])], f: (i) => [tf.oneHot(i, 4), tf.oneHot(i, 4, 2, -1, 'float32')] },
  { name: 'topk', inputs: [a34], f: (x) => { const r = tf.topk(x, 2); return [r.values, r.indices]; } },
  { name: 'topk ties keep index order', inputs: [ints([8], [1, 3, 3, 0, 3, 1, 0, 3])], f: (x) => { const r = tf.topk(tf.cast(x, 'float32'), 5); return [r.values, r.indices]; } },
  // tfjs' cumsum gradient transposes its result for a non-last axis (and its cpu kernel
  // refuses negative axes), so the gradient case uses the last axis, non-negative.
  { name: 'cumsum', inputs: [a34], grad: [0], f: (x) => [tf.cumsum(x, 1), tf.cumsum(x, 1, true, true)] },
  { name: 'cumsum, any axis', inputs: [a34], f: (x) => [tf.cumsum(x, 0), tf.cumsum(x, 0, true, true), tf.cumsum(x, 0, false, true)] },
  { name: 'cumprod', inputs: [x4], f: (x) => [tf.cumprod(x, 1), tf.cumprod(x, 2, true, false), tf.cumprod(x, 3, true, true)] },
  { name: 'unsortedSegmentSum', inputs: [a34, ints([3], [1, 0, 1])], grad: [0], f: (x, s) => tf.unsortedSegmentSum(x, s as tf.Tensor1D, 3) },
  { name: 'conv2d same, stride 2 (asymmetric pad)', inputs: [x4, rand([3, 3, 3, 5], 6)], grad: [0, 1], f: (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 'same') },
  { name: 'conv2d valid, 1x1, explicit pads', inputs: [x4, rand([1, 1, 3, 4], 7), rand([2, 3, 3, 2], 8)], grad: [0, 1, 2], f: (x, w, w2) => [tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'valid'), tf.conv2d(x as tf.Tensor4D, w2 as tf.Tensor4D, [1, 2], [[0, 0], [1, 0], [2, 1], [0, 0]])] },
  // tfjs has no gradient for dilated convolutions.
  { name: 'conv2d dilated', inputs: [x4, rand([2, 2, 3, 2], 9)], f: (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same', 'NHWC', 2) },
  { name: 'depthwiseConv2d', inputs: [x4, rand([3, 3, 3, 2], 10)], grad: [0, 1], f: (x, w) => [tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 'same'), tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'valid')] },
  { name: 'fused conv2d + bias + relu', inputs: [x4, rand([3, 3, 3, 4], 11), rand([4], 12)], grad: [0, 1, 2], f: (x, w, b) => tf.fused.conv2d({ x: x as tf.Tensor4D, filter: w as tf.Tensor4D, strides: 1, pad: 'same', bias: b, activation: 'relu' }) },
  { name: 'fused depthwise + bias + sigmoid', inputs: [x4, rand([3, 3, 3, 1], 13), rand([3], 14)], grad: [0, 1, 2], f: (x, w, b) => tf.fused.depthwiseConv2d({ x: x as tf.Tensor4D, filter: w as tf.Tensor4D, strides: 1, pad: 'same', bias: b, activation: 'sigmoid' }) },
  { name: 'maxPool', inputs: [x4], grad: [0], f: (x) => [tf.maxPool(x as tf.Tensor4D, 3, 2, 'same'), tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid')] },
  { name: 'avgPool', inputs: [x4], grad: [0], f: (x) => [tf.avgPool(x as tf.Tensor4D, 3, 2, 'same'), tf.avgPool(x as tf.Tensor4D, [2, 3], 1, 'valid')] },
  { name: 'matMul', inputs: [a34, b34], grad: [0, 1], f: (a, b) => [tf.matMul(a, b, false, true), tf.matMul(a, b, true, false)] },
  { name: 'batched matMul', inputs: [rand([2, 3, 4], 15), rand([2, 4, 5], 16)], grad: [0, 1], f: (a, b) => tf.matMul(a, b) },
  { name: 'fused matMul + bias + relu', inputs: [a34, rand([4, 5], 17), rand([5], 18)], grad: [0, 1, 2], f: (a, b, c) => tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias: c, activation: 'relu' }) },
  { name: 'batchNorm', inputs: [x4, rand([3], 19), rand([3], 20, 0.5, 2), rand([3], 21), rand([3], 22)], grad: [0, 1, 2, 3, 4], f: (x, m, v, o, s) => tf.batchNorm(x, m, v, o, s, 1e-3) },
];

/** The values of a case's outputs and its gradients on one backend, and the kernels it ran. */
export async function evaluate(c: Case, backend: string): Promise<{ out: number[][]; grads: number[][]; kernels: string[] }> {
  await tf.setBackend(backend);
  const xs = c.inputs.map((s) => tf.tensor(s.values, s.shape, s.dtype ?? 'float32'));
  try {
    let out: number[][] = [];
    let grads: number[][] = [];
    const profile = await tf.profile(() => {
      const o = c.f(...xs);
      out = (Array.isArray(o) ? o : [o]).map((t) => Array.from(t.dataSync()));
      tf.dispose(o);
      if (c.grad != null) {
        const idx = c.grad;
        const g = tf.grads((...sub: tf.Tensor[]) => {
          const all = xs.slice();
          idx.forEach((k, j) => (all[k] = sub[j]));
          return weighted(c.f(...all));
        })(idx.map((k) => xs[k]));
        grads = g.map((t) => Array.from(t.dataSync()));
        tf.dispose(g);
      }
    });
    return { out, grads, kernels: profile.kernelNames };
  } finally {
    tf.dispose(xs);
  }
}

/** The largest relative error (|a - b| / max(1, |b|)) between two results, and where. */
export function worstError(got: number[][], want: number[][]): { error: number; where: string } {
  let error = 0;
  let where = '';
  if (got.length !== want.length) return { error: Infinity, where: `${got.length} tensors, expected ${want.length}` };
  got.forEach((g, i) => {
    if (g.length !== want[i].length) {
      error = Infinity;
      where = `tensor ${i}: ${g.length} values, expected ${want[i].length}`;
      return;
    }
    g.forEach((v, j) => {
      const w = want[i][j];
      // NaN where NaN is expected is exact; NaN anywhere else is the worst error.
      const d = Math.abs(v - w) / Math.max(1, Math.abs(w));
      const e = Number.isNaN(w) ? (Number.isNaN(v) ? 0 : Infinity) : Number.isNaN(d) ? Infinity : d;
      if (e > error) {
        error = e;
        where = `tensor ${i}[${j}]: ${v} vs ${w}`;
      }
    });
  });
  return { error, where };
}
