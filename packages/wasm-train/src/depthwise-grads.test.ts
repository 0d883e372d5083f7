import { beforeAll, describe, expect, it } from 'vitest';
import { maxRelErr, randomValues, sizeOf, tf, useWasm, valuesOn, wasmDataIds } from './__fixtures__/wasm.js';

interface Case {
  x: [number, number, number, number];
  w: [number, number, number, number];
  s: number;
  pad: 'same' | 'valid';
  d?: number;
}

// Multipliers 1-3, strides 1-2, same/valid, odd sizes, batch 1 and > 1.
// (tfjs has no gradient for dilated depthwise convolutions; the kernel's dilated
// path, a direct loop, is checked by calling it directly below.)
const CASES: Case[] = [
  { x: [2, 7, 9, 3], w: [3, 3, 3, 1], s: 1, pad: 'same' },
  { x: [1, 8, 8, 4], w: [3, 3, 4, 1], s: 2, pad: 'same' },
  { x: [2, 7, 9, 3], w: [3, 3, 3, 2], s: 2, pad: 'same' },
  { x: [2, 8, 8, 4], w: [5, 5, 4, 1], s: 2, pad: 'valid' },
  { x: [1, 6, 5, 2], w: [3, 3, 2, 1], s: 1, pad: 'valid' },
  { x: [3, 9, 9, 5], w: [5, 5, 5, 1], s: 1, pad: 'same' },
  { x: [2, 5, 6, 2], w: [3, 3, 2, 3], s: 1, pad: 'same' },
  { x: [1, 11, 10, 2], w: [5, 5, 2, 2], s: 2, pad: 'same' },
  { x: [2, 9, 8, 3], w: [2, 2, 3, 1], s: 2, pad: 'valid' },
];

function grads(c: Case, xv: Float32Array, wv: Float32Array, gv: Float32Array): tf.Tensor[] {
  const f = (a: tf.Tensor, b: tf.Tensor) => {
    const y = tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.s, c.pad);
    return y.mul(tf.tensor(gv.subarray(0, y.size), y.shape)).sum();
  };
  return tf.grads(f)([tf.tensor4d(xv, c.x), tf.tensor4d(wv, c.w)]);
}

describe('depthwiseConv2d gradients on wasm match the cpu backend', () => {
  beforeAll(() => useWasm());

  it.each(CASES.map((c, i) => [i, c] as const))('case %i: %j', async (i, c) => {
    const xv = randomValues(sizeOf(c.x), 20 + i);
    const wv = randomValues(sizeOf(c.w), 200 + i);
    const gv = randomValues(sizeOf(c.x) * c.w[3], 2000 + i);
    const [cdx, cdw] = await valuesOn('cpu', () => grads(c, xv, wv, gv));
    await tf.setBackend('wasm');
    const ids = wasmDataIds();
    const [wdx, wdw] = await valuesOn('wasm', () => grads(c, xv, wv, gv));
    expect(wasmDataIds()).toBe(ids);
    expect(maxRelErr(cdx, wdx)).toBeLessThan(2e-5);
    expect(maxRelErr(cdw, wdw)).toBeLessThan(2e-5);
  });

  // tfjs' gradient refuses dilations > 1 (and the cpu kernels ignore them),
  // but our kernels accept them. Reference: a convolution with dilation 2
  // equals one with dilation 1 and the filter spread out with zeros, whose
  // gradients the cpu backend computes; the filter gradient is read at the taps.
  it.each([
    ['same', 1],
    ['valid', 1],
    ['same', 2],
  ] as const)('handles dilation 2 when called directly (pad %s, multiplier %i)', async (pad, m) => {
    const xs: [number, number, number, number] = [2, 9, 8, 3];
    const fs: [number, number, number, number] = [3, 3, 3, m];
    const xv = randomValues(sizeOf(xs), 5);
    const wv = randomValues(sizeOf(fs), 6);
    const spread = new Float32Array(5 * 5 * 3 * m);
    for (let kh = 0; kh < 3; kh++)
      for (let kw = 0; kw < 3; kw++)
        for (let i = 0; i < 3 * m; i++) spread[(2 * kh * 5 + 2 * kw) * 3 * m + i] = wv[(kh * 3 + kw) * 3 * m + i];
    let gv: Float32Array | undefined;
    const [refDx, refDwSpread] = await valuesOn('cpu', () => {
      const f = (a: tf.Tensor, b: tf.Tensor) => {
        const y = tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, pad);
        gv = randomValues(y.size, 7);
        return y.mul(tf.tensor(gv, y.shape)).sum();
      };
      return tf.grads(f)([tf.tensor4d(xv, xs), tf.tensor4d(spread, [5, 5, 3, m])]);
    });
    const refDw = new Float32Array(sizeOf(fs));
    for (let kh = 0; kh < 3; kh++)
      for (let kw = 0; kw < 3; kw++)
        for (let i = 0; i < 3 * m; i++) refDw[(kh * 3 + kw) * 3 * m + i] = refDwSpread[(2 * kh * 5 + 2 * kw) * 3 * m + i];
    const attrs = { strides: 1, dilations: 2, pad };
    const [wdx, wdw] = await valuesOn('wasm', () => {
      const x = tf.tensor4d(xv, xs);
      const filter = tf.tensor4d(wv, fs);
      const y = tf.depthwiseConv2d(x, filter, 1, pad, 'NHWC', 2);
      const dy = tf.tensor(gv as Float32Array, y.shape);
      return [
        tf.engine().runKernel('DepthwiseConv2dNativeBackpropInput', { dy, filter }, { ...attrs, inputShape: xs } as never) as tf.Tensor,
        tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x, dy }, { ...attrs, filterShape: fs } as never) as tf.Tensor,
      ];
    });
    expect(maxRelErr(refDx, wdx)).toBeLessThan(2e-5);
    expect(maxRelErr(refDw, wdw)).toBeLessThan(2e-5);
  });
});
