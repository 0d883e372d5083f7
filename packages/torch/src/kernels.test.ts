import * as tf from '@tensorflow/tfjs';
import { missingForTests } from '@caddm/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { CASES, evaluate, rand, worstError } from './checks.js';
import { TORCH_KERNELS } from './kernels/index.js';
import { tryTorch } from './testing.js';

const torch = tryTorch();
if (torch.setup == null) {
  missingForTests(`the torch backend is unavailable (${torch.reason})`, 'apt-get install libtorch-dev, then pnpm torch:build');
}

/** Fails with the worst element when any relative error exceeds `tol` (shapes and NaNs must match). */
function expectClose(got: number[][], want: number[][], tol: number, what: string): void {
  const { error, where } = worstError(got, want);
  if (!(error <= tol)) expect.fail(`${what}: ${where} (torch vs cpu; relative error ${error.toExponential(2)} > ${tol})`);
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
