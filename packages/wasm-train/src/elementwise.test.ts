import { beforeAll, describe, expect, it } from 'vitest';
import { maxRelErr, randomValues, sizeOf, tf, useWasm, valuesOn, wasmDataIds } from './__fixtures__/wasm.js';

describe('Identity and Cast on wasm share data instead of copying', () => {
  beforeAll(() => useWasm());

  it('clone() and same-dtype cast return equal values and outlive the original', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const ids = wasmDataIds();
    const x = tf.tensor1d([1, 2, 3]);
    const c = tf.clone(x);
    const k = tf.cast(x, 'float32');
    x.dispose();
    expect(Array.from(c.dataSync())).toEqual([1, 2, 3]);
    expect(Array.from(k.dataSync())).toEqual([1, 2, 3]);
    c.dispose();
    expect(Array.from(k.dataSync())).toEqual([1, 2, 3]);
    k.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(wasmDataIds()).toBe(ids);
  });

  it('still converts when the dtype changes', async () => {
    const [i, b] = await valuesOn('wasm', () => [tf.cast(tf.tensor1d([1.7, -2.2, 0]), 'int32'), tf.cast(tf.tensor1d([0, 2]), 'bool')]);
    expect(Array.from(i)).toEqual([1, -2, 0]);
    expect(Array.from(b)).toEqual([0, 1]);
  });
});

describe('Sum and Mean over leading axes on wasm', () => {
  beforeAll(() => useWasm());

  it.each([
    ['NHWC batch statistics', [4, 9, 7, 5], [0, 1, 2], false],
    ['kept dims', [4, 9, 7, 5], [0, 1, 2], true],
    ['axis 0 of a matrix (bias gradient)', [130, 6], [0], false],
    ['axes 0-1 of rank 3', [10, 13, 4], [0, 1], false],
    ['one spatial pixel per image', [80, 1, 1, 3], [0, 1, 2], false],
    ['a non-leading axis (stock kernel)', [4, 9, 7, 5], [1, 2], false],
    ['too few rows (stock kernel)', [3, 2, 5], [0, 1], false],
  ] as const)('%s matches cpu', async (_, shape, axes, keepDims) => {
    const v = randomValues(sizeOf(shape), 21);
    const run = () => {
      const x = tf.tensor(v, [...shape]);
      return [tf.sum(x, [...axes], keepDims), tf.mean(x, [...axes], keepDims)];
    };
    const [cs, cm] = await valuesOn('cpu', run);
    const [ws, wm] = await valuesOn('wasm', run);
    expect(maxRelErr(cs, ws)).toBeLessThan(1e-5);
    expect(maxRelErr(cm, wm)).toBeLessThan(1e-6);
    await tf.setBackend('wasm');
    expect(tf.tidy(() => tf.sum(tf.tensor(v, [...shape]), [...axes], keepDims).shape)).toEqual(
      tf.tidy(() => tf.sum(tf.zeros([...shape]), [...axes], keepDims).shape),
    );
  });

  it('sums int32 tensors with the stock kernel', async () => {
    const [s] = await valuesOn('wasm', () => [tf.sum(tf.ones([70, 3], 'int32'), 0)]);
    expect(Array.from(s)).toEqual([70, 70, 70]);
  });
});

describe('FusedBatchNorm (inference form) on wasm', () => {
  beforeAll(() => useWasm());

  it.each([
    ['scale and offset', true, true],
    ['no scale', false, true],
    ['no offset', true, false],
  ] as const)('matches cpu with %s', async (_, withScale, withOffset) => {
    const shape = [2, 5, 4, 6];
    const xv = randomValues(sizeOf(shape), 31);
    const run = () => [
      tf.batchNorm(
        tf.tensor(xv, shape),
        tf.tensor1d(randomValues(6, 32)),
        tf.tensor1d(randomValues(6, 33)).abs(),
        withOffset ? tf.tensor1d(randomValues(6, 34)) : undefined,
        withScale ? tf.tensor1d(randomValues(6, 35)) : undefined,
        1e-3,
      ),
    ];
    const [c] = await valuesOn('cpu', run);
    const [w] = await valuesOn('wasm', run);
    expect(maxRelErr(c, w)).toBeLessThan(1e-5);
  });

  it('falls back to the stock kernel for per-element statistics', async () => {
    const shape = [2, 3, 4];
    const xv = randomValues(24, 41);
    const run = () => [
      tf.batchNorm(tf.tensor(xv, shape), tf.tensor(randomValues(24, 42), shape), tf.tensor(randomValues(24, 43), shape).abs()),
    ];
    const [c] = await valuesOn('cpu', run);
    const [w] = await valuesOn('wasm', run);
    expect(maxRelErr(c, w)).toBeLessThan(1e-5);
  });
});
