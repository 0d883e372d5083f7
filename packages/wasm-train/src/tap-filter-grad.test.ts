import { beforeAll, describe, expect, it } from 'vitest';
import type { TensorInfo } from '@tensorflow/tfjs';
import { maxRelErr, randomValues, sizeOf, tf, useWasm, wasmDataIds } from './__fixtures__/wasm.js';
import type { WasmBackend } from './backend.js';
import { convGeometry } from './conv-geometry.js';
import { tapFilterGrad, tapFrameOf } from './tap-filter-grad.js';

type Pad = 'same' | 'valid' | number | [[0, 0], [number, number], [number, number], [0, 0]];
interface Case {
  x: [number, number, number, number];
  k: [number, number];
  outC: number;
  pad: Pad;
}

// Stride 1: same, valid, numeric and asymmetric explicit padding, odd sizes and kernels, batch 1 and > 1.
const CASES: Case[] = [
  { x: [2, 7, 9, 3], k: [3, 3], outC: 5, pad: 'same' },
  { x: [1, 8, 6, 4], k: [3, 3], outC: 2, pad: 'valid' },
  { x: [3, 6, 7, 2], k: [5, 5], outC: 3, pad: 2 },
  { x: [2, 9, 8, 3], k: [3, 2], outC: 4, pad: [[0, 0], [2, 0], [0, 1], [0, 0]] },
  { x: [1, 5, 5, 2], k: [1, 1], outC: 3, pad: 1 },
];

function attrs(c: Case) {
  return { strides: [1, 1] as [number, number], pad: c.pad, dataFormat: 'NHWC' as const, filterShape: [...c.k, c.x[3], c.outC] as [number, number, number, number] };
}

describe('tapFilterGrad (one matrix product per filter tap over aliased rows)', () => {
  beforeAll(() => useWasm());

  it.each(CASES.map((c, i) => [i, c] as const))('case %i matches the cpu backend: %j', async (i, c) => {
    const g = convGeometry('test', c.x, attrs(c).filterShape, attrs(c), false);
    const frame = tapFrameOf(g);
    expect(frame).toBeDefined();
    const xv = randomValues(sizeOf(c.x), 30 + i);
    const dyShape = [g.batch, g.outH, g.outW, g.outC];
    const dyv = randomValues(sizeOf(dyShape), 300 + i);

    await tf.setBackend('cpu');
    const want = tf.tidy(() => tf.engine().runKernel('Conv2DBackpropFilter', { x: tf.tensor(xv, c.x), dy: tf.tensor(dyv, dyShape) }, attrs(c)) as tf.Tensor);
    const wantV = want.dataSync().slice();
    want.dispose();

    await tf.setBackend('wasm');
    const backend = tf.backend() as unknown as WasmBackend;
    const x = tf.tensor(xv, c.x);
    const dy = tf.tensor(dyv, dyShape);
    const before = wasmDataIds();
    const out = tapFilterGrad(backend, x as unknown as TensorInfo, dy as unknown as TensorInfo, g, frame as { Hp: number; Wp: number });
    expect(out.shape).toEqual(attrs(c).filterShape);
    const got = (backend.typedArrayFromHeap(out) as Float32Array).slice();
    backend.disposeData(out.dataId);
    // Temporaries and the per-tap aliases are all released.
    expect(wasmDataIds()).toBe(before);
    tf.dispose([x, dy]);
    expect(maxRelErr(got, wantV)).toBeLessThan(2e-5);
  });

  it('applies to stride 1 without dilation only; its frame is the padded input', () => {
    const f = [3, 3, 2, 2] as const;
    expect(tapFrameOf(convGeometry('t', [1, 8, 8, 2], f, { strides: 2, pad: 'same' }, false))).toBeUndefined();
    expect(tapFrameOf(convGeometry('t', [1, 8, 8, 2], f, { strides: 1, dilations: 2, pad: 'same' }, false))).toBeUndefined();
    // Padding only above: 8 + 2 rows, 8 columns.
    expect(tapFrameOf(convGeometry('t', [1, 8, 8, 2], f, { strides: 1, pad: [[0, 0], [2, 0], [0, 0], [0, 0]] }, false))).toEqual({ Hp: 10, Wp: 8 });
  });
});
