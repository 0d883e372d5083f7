import { beforeAll, describe, expect, it } from 'vitest';
import { maxRelErr, randomValues, tf, useWasm, valuesOn } from './__fixtures__/wasm.js';
import { WasmKernelInputError } from './errors.js';

describe('MaxPoolGrad on wasm', () => {
  beforeAll(() => useWasm());

  it('sends the gradient to the window maximum even when every value is negative', async () => {
    // The stock tfjs-backend-wasm 4.22 kernel sends it to the first pixel here.
    const x = [-0.93, -0.93, 0.85, -0.72, -0.56, -0.68, -0.37, -0.1, 0.3, 0.49, 0.17, 0.5, 0.41, 0.47, -0.66, -0.38];
    const [dx] = await valuesOn('wasm', () => [
      tf.grad((t: tf.Tensor) => tf.maxPool(t as tf.Tensor4D, 2, 2, 'valid').mul(tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1])).sum())(
        tf.tensor4d(x, [1, 4, 4, 1]),
      ),
    ]);
    expect(Array.from(dx)).toEqual([0, 0, 2, 0, 1, 0, 0, 0, 0, 3, 0, 4, 0, 0, 0, 0]);
  });

  it.each([
    [[2, 8, 8, 4], 3, 2, 'same'],
    [[1, 9, 7, 3], 2, 2, 'valid'],
    [[2, 6, 6, 2], 3, 1, 'same'],
    [[1, 10, 10, 5], 3, 3, 'valid'],
  ] as const)('matches cpu on %j, window %i, stride %i, %s (values of both signs)', async (shape, k, s, pad) => {
    const xv = randomValues((shape as readonly number[]).reduce((a, b) => a * b, 1), 9);
    const run = () => {
      const x = tf.tensor4d(xv, [...shape] as [number, number, number, number]);
      const f = (t: tf.Tensor) => {
        const y = tf.maxPool(t as tf.Tensor4D, k, s, pad);
        return y.mul(tf.tensor(randomValues(y.size, 3), y.shape)).sum();
      };
      return [tf.grad(f)(x)];
    };
    const [c] = await valuesOn('cpu', run);
    const [w] = await valuesOn('wasm', run);
    expect(maxRelErr(c, w)).toBeLessThan(1e-6);
  });
});

describe('UnsortedSegmentSum on wasm', () => {
  beforeAll(() => useWasm());

  it('sums rows into segments and drops negative ids, like the cpu backend', async () => {
    const run = () => [
      tf.unsortedSegmentSum(tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8], [4, 2]), tf.tensor1d([2, 0, 2, -1], 'int32'), 3),
    ];
    const [c] = await valuesOn('cpu', run);
    const [w] = await valuesOn('wasm', run);
    expect(Array.from(w)).toEqual([3, 4, 0, 0, 6, 8]);
    expect(Array.from(w)).toEqual(Array.from(c));
  });

  it('sums int32 values', async () => {
    const [w] = await valuesOn('wasm', () => [
      tf.unsortedSegmentSum(tf.tensor1d([1, 2, 3], 'int32'), tf.tensor1d([1, 1, 0], 'int32'), 2),
    ]);
    expect(Array.from(w)).toEqual([3, 3]);
  });

  it('is the gradient of gather (with repeated indices)', async () => {
    const xv = randomValues(5 * 3, 4);
    const run = () => [
      tf.grad((x: tf.Tensor) => tf.gather(x, tf.tensor1d([4, 0, 4, 2], 'int32')).mul(tf.range(0, 12).reshape([4, 3])).sum())(
        tf.tensor2d(xv, [5, 3]),
      ),
    ];
    const [c] = await valuesOn('cpu', run);
    const [w] = await valuesOn('wasm', run);
    expect(maxRelErr(c, w)).toBe(0);
  });

  it('rejects an id beyond numSegments, naming it', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      expect(() => tf.unsortedSegmentSum(tf.tensor1d([1, 2]), tf.tensor1d([0, 5], 'int32'), 2)).toThrow(WasmKernelInputError);
      expect(() => tf.unsortedSegmentSum(tf.tensor1d([1, 2]), tf.tensor1d([0, 5], 'int32'), 2)).toThrow(
        /segment id 5 at index 1 is not below numSegments 2/,
      );
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});
