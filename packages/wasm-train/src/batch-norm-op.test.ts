import { beforeAll, describe, expect, it } from 'vitest';
import { maxRelErr, randomValues, sizeOf, tf, useWasm, valuesOn, wasmDataIds } from './__fixtures__/wasm.js';
import { batchNormTraining } from './batch-norm-op.js';

// Odd sizes, batch 1 and > 1, rank 2 and 4, non-zero means (as after a convolution).
const SHAPES: number[][] = [
  [2, 5, 7, 3],
  [1, 4, 4, 8],
  [6, 5],
  [3, 9, 2, 16],
];

/** y, and the gradients of Σ y·g w.r.t. x, gamma and beta, by the stock ops (moments + batchNorm). */
function stock(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, g: tf.Tensor): tf.Tensor[] {
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  const f = (a: tf.Tensor, gm: tf.Tensor, bt: tf.Tensor) => {
    const { mean, variance } = tf.moments(a, axes);
    return tf.batchNorm(a, mean, variance, bt as tf.Tensor1D, gm as tf.Tensor1D, 1e-5);
  };
  const y = f(x, gamma, beta);
  const grads = tf.grads((a: tf.Tensor, gm: tf.Tensor, bt: tf.Tensor) => f(a, gm, bt).mul(g).sum())([x, gamma, beta]);
  const { mean, variance } = tf.moments(x, axes);
  return [y, ...grads, mean, variance];
}

function fused(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, g: tf.Tensor): tf.Tensor[] {
  const r = batchNormTraining(x, gamma, beta, 1e-5);
  const grads = tf.grads((a: tf.Tensor, gm: tf.Tensor, bt: tf.Tensor) => {
    const o = batchNormTraining(a, gm as tf.Tensor1D, bt as tf.Tensor1D, 1e-5);
    o.mean.dispose();
    o.variance.dispose();
    return o.y.mul(g).sum();
  })([x, gamma, beta]);
  return [r.y, ...grads, r.mean, r.variance];
}

function inputs(shape: number[], i: number): [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.Tensor] {
  const C = shape[shape.length - 1];
  const xv = randomValues(sizeOf(shape), 40 + i).map((v, k) => 3 * v + (k % C) - 1.5);
  return [
    tf.tensor(xv, shape),
    tf.tensor1d(randomValues(C, 50 + i).map((v) => 1 + v)),
    tf.tensor1d(randomValues(C, 60 + i)),
    tf.tensor(randomValues(sizeOf(shape), 70 + i), shape),
  ];
}

describe('batchNormTraining (one op, closed-form gradient)', () => {
  beforeAll(() => useWasm());

  it.each(SHAPES.map((s, i) => [i, s] as const))('case %i %j: y, dx, dgamma, dbeta, mean and variance match moments + batchNorm on cpu and wasm', async (i, shape) => {
    const want = await valuesOn('cpu', () => stock(...inputs(shape, i)));
    for (const backend of ['cpu', 'wasm']) {
      const got = await valuesOn(backend, () => fused(...inputs(shape, i)));
      for (let k = 0; k < want.length; k++) expect(maxRelErr(got[k], want[k]), `${backend} output ${k}`).toBeLessThan(1e-4);
    }
  });

  it('leaves no tensor behind on wasm when the caller disposes mean and variance', async () => {
    await tf.setBackend('wasm');
    const [x, gamma, beta, g] = inputs([2, 6, 6, 4], 9);
    const before = tf.memory().numTensors;
    const ids = wasmDataIds();
    const grads = tf.grads((a: tf.Tensor) => {
      const o = batchNormTraining(a, gamma, beta, 1e-5);
      o.mean.dispose();
      o.variance.dispose();
      return o.y.mul(g).sum();
    })([x]);
    tf.dispose(grads);
    expect(tf.memory().numTensors).toBe(before);
    expect(wasmDataIds()).toBe(ids);
    tf.dispose([x, gamma, beta, g]);
  });
});
