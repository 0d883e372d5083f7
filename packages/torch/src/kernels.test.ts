import * as tf from '@tensorflow/tfjs';
import { missingForTests, seededUniform } from '@caddm/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { TORCH_KERNELS } from './kernels/index.js';
import { tryTorch } from './testing.js';

const torch = tryTorch();
if (torch.setup == null) {
  missingForTests(`the torch backend is unavailable (${torch.reason})`, 'apt-get install libtorch-dev, then pnpm torch:build');
}

/** A seeded tensor: uniform in [lo, hi). */
function rand(shape: number[], seed: number, lo = -1, hi = 1): { shape: number[]; values: Float32Array } {
  const u = seededUniform(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return { shape, values: Float32Array.from({ length: n }, () => lo + (hi - lo) * u()) };
}

type Spec = { shape: number[]; values: Float32Array | Int32Array; dtype?: 'float32' | 'int32' | 'bool' };

interface Case {
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

const CASES: Case[] = [
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
async function evaluate(c: Case, backend: string): Promise<{ out: number[][]; grads: number[][]; kernels: string[] }> {
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

function expectClose(got: number[][], want: number[][], tol: number, what: string): void {
  expect(got.length, `${what}: number of tensors`).toBe(want.length);
  got.forEach((g, i) => {
    expect(g.length, `${what}[${i}]: size`).toBe(want[i].length);
    g.forEach((v, j) => {
      const w = want[i][j];
      if (Number.isNaN(w)) return expect(Number.isNaN(v), `${what}[${i}][${j}] should be NaN`).toBe(true);
      const err = Math.abs(v - w) / Math.max(1, Math.abs(w));
      if (!(err <= tol)) expect.fail(`${what}[${i}][${j}]: torch ${v}, cpu ${w} (relative error ${err.toExponential(2)} > ${tol})`);
    });
  });
}

describe.skipIf(torch.setup == null)('torch kernels against the cpu backend', () => {
  const seen = new Set<string>();
  beforeAll(async () => {
    await tf.setBackend('torch');
  });

  for (const c of CASES) {
    it(`${c.name}: values${c.grad ? ' and gradients' : ''} equal cpu's`, async () => {
      const ref = await evaluate(c, 'cpu');
      const got = await evaluate(c, 'torch');
      for (const k of got.kernels) seen.add(k);
      const tol = c.tol ?? 2e-5;
      expectClose(got.out, ref.out, tol, `${c.name} output`);
      expectClose(got.grads, ref.grads, tol, `${c.name} gradient`);
    });
  }

  it('batch norm in training: the fused kernel and its gradient equal moments + batchNorm on cpu', async () => {
    for (const shape of [[2, 5, 7, 3], [6, 5], [3, 4, 9]]) {
      const C = shape[shape.length - 1];
      const specs = [rand(shape, 30, -2, 3), rand([C], 31, 0.5, 1.5), rand([C], 32), rand(shape, 33)];
      const stock = async (backend: string) => {
        await tf.setBackend(backend);
        const [x, gm, bt, w] = specs.map((t) => tf.tensor(t.values, t.shape));
        const axes = shape.slice(0, -1).map((_, i) => i);
        const f = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
          const { mean, variance } = tf.moments(a, axes);
          return tf.batchNorm(a, mean, variance, b as tf.Tensor1D, g as tf.Tensor1D, 1e-5);
        };
        const grads = tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => f(a, g, b).mul(w).sum())([x, gm, bt]);
        const { mean, variance } = tf.moments(x, axes);
        const out = [f(x, gm, bt), mean, variance, ...grads].map((t) => Array.from(t.dataSync()));
        return out;
      };
      const want = await stock('cpu');
      await tf.setBackend('torch');
      const [x, gm, bt, w] = specs.map((t) => tf.tensor(t.values, t.shape));
      const [y, mean, variance, invstd] = tf.engine().runKernel('CaddmBatchNormTraining', { x, gamma: gm, beta: bt }, { epsilon: 1e-5 }) as tf.Tensor[];
      const grads = tf.engine().runKernel('CaddmBatchNormTrainingGrad', { dy: w, x, gamma: gm, mean, invstd }, { epsilon: 1e-5 }) as tf.Tensor[];
      const got = [y, mean, variance, ...grads].map((t) => Array.from(t.dataSync()));
      expectClose(got, want, 1e-4, `batch norm ${shape}`);
      seen.add('CaddmBatchNormTraining').add('CaddmBatchNormTrainingGrad');
    }
  });

  it('fused Adam(W): one step equals the formula of tf.train.adam with decoupled decay and clipping', async () => {
    await tf.setBackend('torch');
    const [x, m, v, g] = [rand([5, 7], 40), rand([5, 7], 41), rand([5, 7], 42, 0, 1), rand([5, 7], 43, -3, 3)].map((t) => tf.tensor(t.values, t.shape));
    const a = { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, correction1: 1 - 0.9 ** 3, correction2: 1 - 0.999 ** 3, weightDecay: 0.05, clipValue: 2 };
    const [nx, nm, nv] = tf.engine().runKernel('CaddmFusedAdam', { x, m, v, g }, a as never) as tf.Tensor[];
    seen.add('CaddmFusedAdam');
    const [xs, ms, vs, gs] = [x, m, v, g].map((t) => t.dataSync());
    const want: number[][] = [[], [], []];
    for (let i = 0; i < xs.length; i++) {
      const gi = Math.max(-a.clipValue, Math.min(a.clipValue, gs[i]));
      const mi = a.beta1 * ms[i] + (1 - a.beta1) * gi;
      const vi = a.beta2 * vs[i] + (1 - a.beta2) * gi * gi;
      want[0].push(xs[i] * (1 - a.learningRate * a.weightDecay) - (a.learningRate * mi / a.correction1) / (Math.sqrt(vi / a.correction2) + a.epsilon));
      want[1].push(mi);
      want[2].push(vi);
    }
    expectClose([nx, nm, nv].map((t) => Array.from(t.dataSync())), want, 1e-6, 'adam');
    // Without inPlace the inputs are untouched; with it, sole owners are updated in place
    // and a tensor that shares its data with another is not.
    expect(Array.from(x.dataSync())).toEqual(Array.from(xs));
    const shared = x.reshape([35]);
    const [px, pm] = tf.engine().runKernel('CaddmFusedAdam', { x, m, v, g }, { ...a, inPlace: true } as never) as tf.Tensor[];
    expect(Array.from(x.dataSync())).toEqual(Array.from(xs));
    expect(Array.from(m.dataSync())).toEqual(Array.from(pm.dataSync()));
    expectClose([px, pm].map((t) => Array.from(t.dataSync())), want.slice(0, 2), 1e-6, 'adam in place');
    tf.dispose([shared, nx, nm, nv, px, pm, x, m, v, g]);
  });

  it('the cases above run every registered kernel', () => {
    const untested = TORCH_KERNELS.map((k) => k.kernelName).filter((k) => !seen.has(k));
    expect(untested).toEqual([]);
  });

  it('a libtorch error becomes an Error naming the kernel and the input shapes', async () => {
    await tf.setBackend('torch');
    const a = tf.ones([2, 3]);
    const b = tf.ones([4, 5]);
    expect(() => tf.matMul(a, b)).toThrow(/BatchMatMul|matMul/);
    let msg = '';
    try {
      tf.engine().runKernel('BatchMatMul', { a: a.reshape([1, 2, 3]), b: b.reshape([1, 4, 5]) }, { transposeA: false, transposeB: false });
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toMatch(/^torch kernel BatchMatMul failed on inputs \(\[1,2,3\] Float, \[1,4,5\] Float\): /);
    tf.dispose([a, b]);
  });
});
