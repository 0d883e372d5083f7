import { beforeAll, describe, expect, it } from 'vitest';
import { maxRelErr, randomValues, sizeOf, tf, useWasm, valuesOn, wasmDataIds } from './__fixtures__/wasm.js';
import { WasmKernelInputError } from './errors.js';
import { convGeometry } from './conv-geometry.js';
import { isPointwise } from './pointwise-filter-grad.js';
import { tapFrame } from './tap-filter-grad.js';

type Pad = 'same' | 'valid' | number | [[0, 0], [number, number], [number, number], [0, 0]];
interface Case {
  x: [number, number, number, number];
  w: [number, number, number, number];
  s: number | [number, number];
  pad: Pad;
}

// Strides 1-3 (and unequal), same/valid/numeric/explicit padding, odd sizes,
// batch 1 and > 1, kernels 1x1 to 7x7, including kernels wider than the stride
// and the ResNet stem (7x7, stride 2, pad 3).
const CASES: Case[] = [
  { x: [1, 4, 4, 1], w: [3, 3, 1, 1], s: 1, pad: 'same' },
  { x: [2, 7, 9, 3], w: [3, 3, 3, 5], s: 1, pad: 'same' },
  { x: [2, 7, 9, 3], w: [3, 3, 3, 5], s: 2, pad: 'same' },
  { x: [2, 8, 8, 3], w: [3, 3, 3, 4], s: 2, pad: 'same' },
  { x: [1, 7, 9, 3], w: [3, 3, 3, 5], s: 2, pad: 'valid' },
  { x: [3, 8, 8, 4], w: [1, 1, 4, 6], s: 2, pad: 'valid' },
  { x: [2, 9, 7, 4], w: [1, 1, 4, 6], s: 1, pad: 'same' },
  { x: [3, 10, 11, 4], w: [5, 5, 4, 2], s: 3, pad: 'same' },
  { x: [2, 11, 10, 3], w: [2, 3, 3, 4], s: [1, 2], pad: 'valid' },
  { x: [2, 9, 9, 3], w: [7, 7, 3, 4], s: 2, pad: [[0, 0], [3, 3], [3, 3], [0, 0]] },
  { x: [1, 10, 9, 2], w: [3, 3, 2, 3], s: 2, pad: [[0, 0], [0, 2], [1, 0], [0, 0]] },
  { x: [2, 6, 6, 3], w: [2, 2, 3, 4], s: 1, pad: 'valid' },
  { x: [2, 6, 7, 3], w: [3, 3, 3, 4], s: 1, pad: 1 },
  { x: [1, 5, 5, 2], w: [5, 5, 2, 3], s: 1, pad: 'valid' },
  // 1x1 kernels without padding take the matrix-product path; with padding, the convolution.
  { x: [2, 9, 7, 5], w: [1, 1, 5, 3], s: [2, 3], pad: 'valid' },
  { x: [1, 9, 9, 3], w: [1, 1, 3, 2], s: 2, pad: 'same' },
  { x: [1, 4, 5, 3], w: [1, 1, 3, 6], s: 1, pad: 1 },
];

function grads(c: Case, xv: Float32Array, wv: Float32Array, gv: Float32Array): tf.Tensor[] {
  const x = tf.tensor4d(xv, c.x);
  const w = tf.tensor4d(wv, c.w);
  const f = (a: tf.Tensor, b: tf.Tensor) => {
    const y = tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.s, c.pad as 'same');
    return y.mul(tf.tensor(gv.subarray(0, y.size), y.shape)).sum();
  };
  return tf.grads(f)([x, w]);
}

/** Which filter-gradient path a case takes. */
function filterPath(c: Case): 'pointwise' | 'taps' | 'dilated conv' {
  const s = typeof c.s === 'number' ? [c.s, c.s] : c.s;
  const g = convGeometry('test', c.x, c.w, { strides: s as [number, number], pad: c.pad as 'same' }, false);
  return isPointwise(g) ? 'pointwise' : tapFrame(g) != null ? 'taps' : 'dilated conv';
}

describe('filter-gradient paths', () => {
  it('the cases cover the pointwise and the dilated-convolution paths', () => {
    const paths = CASES.map(filterPath);
    expect(paths.filter((p) => p === 'pointwise').length).toBeGreaterThanOrEqual(4);
    expect(paths.filter((p) => p === 'dilated conv').length).toBeGreaterThanOrEqual(8);
    // (the per-tap path needs larger layers than the cpu backend checks quickly; tap-filter-grad.test.ts calls it directly)
  });

  it('takes the per-tap products only for stride 1 with little padding', () => {
    // ResNet-34 at 224: 56x56 and 28x28 (padding 7% and 15%) yes; 7x7 (65% padding) and stride 2 no.
    expect(filterPath({ x: [8, 56, 56, 64], w: [3, 3, 64, 64], s: 1, pad: 'same' })).toBe('taps');
    expect(filterPath({ x: [8, 28, 28, 128], w: [3, 3, 128, 128], s: 1, pad: 'same' })).toBe('taps');
    expect(filterPath({ x: [8, 7, 7, 512], w: [3, 3, 512, 512], s: 1, pad: 'same' })).toBe('dilated conv');
    expect(filterPath({ x: [8, 56, 56, 64], w: [3, 3, 64, 128], s: 2, pad: 'same' })).toBe('dilated conv');
    // Width 1/4 at 112: 16 x 16 entries per tap, packing would cost more than it saves.
    expect(filterPath({ x: [8, 28, 28, 16], w: [3, 3, 16, 16], s: 1, pad: 'same' })).toBe('dilated conv');
  });
});

describe('conv2d gradients on wasm match the cpu backend', () => {
  beforeAll(() => useWasm());

  it.each(CASES.map((c, i) => [i, c] as const))('case %i: x %j', async (i, c) => {
    const xv = randomValues(sizeOf(c.x), 10 + i);
    const wv = randomValues(sizeOf(c.w), 100 + i);
    const gv = randomValues(sizeOf(c.x) * c.w[3], 1000 + i);
    const [cdx, cdw] = await valuesOn('cpu', () => grads(c, xv, wv, gv));
    await tf.setBackend('wasm');
    const ids = wasmDataIds();
    const [wdx, wdw] = await valuesOn('wasm', () => grads(c, xv, wv, gv));
    expect(wasmDataIds()).toBe(ids);
    expect(maxRelErr(cdx, wdx)).toBeLessThan(2e-5);
    expect(maxRelErr(cdw, wdw)).toBeLessThan(2e-5);
  });
});

describe('the conv2d backprop kernels, called directly', () => {
  beforeAll(() => useWasm());

  it('computes the filter gradient with an explicit dimRoundingMode', async () => {
    const xv = randomValues(2 * 9 * 9 * 3, 1);
    const dyv = randomValues(2 * 4 * 4 * 2, 2);
    const attrs = { strides: 2, pad: 0, dataFormat: 'NHWC', dimRoundingMode: 'floor', filterShape: [3, 3, 3, 2] };
    const run = () => [
      tf.engine().runKernel('Conv2DBackpropFilter', { x: tf.tensor4d(xv, [2, 9, 9, 3]), dy: tf.tensor4d(dyv, [2, 4, 4, 2]) }, attrs as never) as tf.Tensor,
    ];
    const [c] = await valuesOn('cpu', run);
    const [w] = await valuesOn('wasm', run);
    expect(maxRelErr(c, w)).toBeLessThan(2e-5);
  });

  it('rejects NCHW data, non-float input and a dy of the wrong shape with a typed error', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const x = tf.zeros([1, 4, 4, 2]);
      const dy = tf.zeros([1, 4, 4, 3]);
      const base = { strides: 1, pad: 'same', filterShape: [3, 3, 2, 3] };
      const call = (inputs: object, attrs: object) => () => tf.engine().runKernel('Conv2DBackpropFilter', inputs as never, attrs as never);
      expect(call({ x, dy }, { ...base, dataFormat: 'NCHW' })).toThrow(WasmKernelInputError);
      expect(call({ x, dy }, { ...base, dataFormat: 'NCHW' })).toThrow(/dataFormat 'NHWC'/);
      expect(call({ x: x.toInt(), dy }, { ...base, dataFormat: 'NHWC' })).toThrow(/input 'x' must be float32/);
      expect(call({ x, dy: tf.zeros([1, 2, 2, 3]) }, { ...base, dataFormat: 'NHWC' })).toThrow(
        /dy has shape \[1,2,2,3\] but the convolution outputs \[1,4,4,3\]/,
      );
      expect(call({ x, dy }, { ...base, filterShape: [3, 3, 5, 3], dataFormat: 'NHWC' })).toThrow(/expects 5/);
      const bi = () =>
        tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: tf.zeros([3, 3, 2, 3]) } as never, {
          inputShape: [1, 4, 4, 2],
          strides: 1,
          pad: 'same',
          dataFormat: 'NCHW',
        } as never);
      expect(bi).toThrow(WasmKernelInputError);
    });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('gives an all-zero input gradient where no filter tap reaches (1x1 kernel, stride 2)', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const dx = tf.tidy(() =>
      tf.grad((x: tf.Tensor) => tf.conv2d(x as tf.Tensor4D, tf.ones([1, 1, 1, 1]) as tf.Tensor4D, 2, 'valid').sum())(
        tf.ones([1, 4, 4, 1]),
      ),
    );
    expect(Array.from(dx.dataSync())).toEqual([1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0]);
    dx.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
