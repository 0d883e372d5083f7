import { beforeAll, describe, expect, it } from 'vitest';
import { maxRelErr, randomValues, sizeOf, tf, useWasm, valuesOn, wasmDataIds } from './__fixtures__/wasm.js';
import { WasmKernelInputError } from './errors.js';

describe('Tile on wasm', () => {
  beforeAll(() => useWasm());

  it.each([
    [[1, 1, 1, 5], [2, 3, 4, 1]],
    [[2, 3], [3, 2]],
    [[3, 1, 2], [1, 4, 1]],
    [[4], [3]],
    [[2, 2, 1, 3], [1, 1, 5, 2]],
  ] as const)('matches cpu for float32 %j tiled %j', async (shape, reps) => {
    const v = randomValues(sizeOf(shape), 3);
    const run = () => [tf.tile(tf.tensor(v, [...shape]), [...reps])];
    const [c] = await valuesOn('cpu', run);
    const [w] = await valuesOn('wasm', run);
    expect(Array.from(w)).toEqual(Array.from(c));
  });

  it('tiles int32 and bool tensors and handles zero repetitions', async () => {
    const [i32, b, empty] = await valuesOn('wasm', () => [
      tf.tile(tf.tensor2d([1, 2, 3, 4], [2, 2], 'int32'), [1, 2]),
      tf.tile(tf.tensor1d([true, false], 'bool'), [2]),
      tf.tile(tf.tensor1d([1, 2]), [0]),
    ]);
    expect(Array.from(i32)).toEqual([1, 2, 1, 2, 3, 4, 3, 4]);
    expect(Array.from(b)).toEqual([1, 0, 1, 0]);
    expect(empty.length).toBe(0);
  });

  it('rejects reps of the wrong length', async () => {
    await tf.setBackend('wasm');
    const x = tf.ones([2, 2]);
    expect(() => tf.engine().runKernel('Tile', { x }, { reps: [2] } as never)).toThrow(WasmKernelInputError);
    x.dispose();
  });
});

describe('the Sum, Mean and FusedBatchNorm gradients used on wasm', () => {
  beforeAll(() => useWasm());

  it.each([
    ['sum over [0,1,2]', (x: tf.Tensor) => tf.sum(x, [0, 1, 2])],
    ['mean over [0,1,2]', (x: tf.Tensor) => tf.mean(x, [0, 1, 2])],
    ['mean over axis 1, kept', (x: tf.Tensor) => tf.mean(x, 1, true)],
    ['sum of everything', (x: tf.Tensor) => tf.sum(x)],
    ['mean over the last axis', (x: tf.Tensor) => tf.mean(x, -1)],
  ] as const)('%s matches cpu', async (_, f) => {
    const xv = randomValues(2 * 3 * 4 * 5, 8);
    const run = () => {
      const g = (x: tf.Tensor) => {
        const y = f(x);
        return y.mul(tf.tensor(randomValues(y.size, 9), y.shape)).sum();
      };
      return [tf.grad(g)(tf.tensor4d(xv, [2, 3, 4, 5]))];
    };
    const [c] = await valuesOn('cpu', run);
    const [w] = await valuesOn('wasm', run);
    expect(maxRelErr(c, w)).toBeLessThan(1e-6);
  });

  it.each([
    ['rank 4', [2, 5, 6, 4]],
    ['rank 2', [7, 3]],
  ] as const)('batch norm (%s) gives all five gradients as on cpu', async (_, shape) => {
    const C = shape[shape.length - 1];
    const xv = randomValues(sizeOf(shape), 11);
    const sv = randomValues(C, 12);
    const ov = randomValues(C, 13);
    const run = () => {
      const x = tf.tensor(xv, [...shape]);
      const axes = Array.from({ length: shape.length - 1 }, (_, i) => i);
      const f = (a: tf.Tensor, m: tf.Tensor, v: tf.Tensor, s: tf.Tensor, o: tf.Tensor) => {
        const y = tf.batchNorm(a, m, v.abs().add(0.5), o, s, 1e-3);
        return y.mul(tf.tensor(randomValues(y.size, 14), y.shape)).sum();
      };
      const { mean, variance } = tf.moments(x, axes);
      return tf.grads(f)([x, mean, variance, tf.tensor1d(sv), tf.tensor1d(ov)]);
    };
    const cpu = await valuesOn('cpu', run);
    await tf.setBackend('wasm');
    const ids = wasmDataIds();
    const wasm = await valuesOn('wasm', run);
    expect(wasmDataIds()).toBe(ids);
    cpu.forEach((c, i) => expect(maxRelErr(c, wasm[i]), `input ${i}`).toBeLessThan(1e-5));
  });

  it('leaves the cpu backend on tfjs’ own gradients', async () => {
    // The gradient registry is global; on cpu the stock FusedBatchNorm
    // gradient (which tiles) must still run, so the kernel trace shows Tile.
    await tf.setBackend('cpu');
    const names: string[] = [];
    const before = tf.memory().numTensors;
    const info = await tf.profile(() =>
      tf.tidy(() => {
        const x = tf.randomNormal([2, 3, 3, 4]);
        const { mean, variance } = tf.moments(x, [0, 1, 2]);
        return tf.grad((a: tf.Tensor) => tf.batchNorm(a, mean, variance, tf.zeros([4]), tf.ones([4])).sum())(x);
      }),
    );
    info.kernels.forEach((k) => names.push(k.name));
    tf.dispose(info.result as tf.Tensor);
    expect(names).toContain('Tile');
    expect(tf.memory().numTensors).toBe(before);
  });
});
