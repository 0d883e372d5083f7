import { initBackend, tf } from '@caddm/tf';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WeightSpec } from './graph/types.js';
import { tfToTorch, torchToTf } from './index.js';

beforeAll(async () => {
  await initBackend({ prefer: 'cpu' });
});

function spec(transform: WeightSpec['transform'], torchShape: number[], tfShape: number[]): WeightSpec {
  return { tf: 'kernel', torch: 'w', torchShape, tfShape, transform, trainable: true };
}

/** Distinct values, so any misplaced one shows. */
function ramp(n: number): Float32Array {
  return Float32Array.from({ length: n }, (_, k) => k * 0.5 - 3);
}

describe('torchToTf / tfToTorch', () => {
  // The oracle is tf.transpose: OIHW -> HWIO, [C,1,kh,kw] -> [kh,kw,C,1], [out,in] -> [in,out].
  const cases: Array<[WeightSpec['transform'], number[], number[]]> = [
    ['conv', [4, 3, 2, 5], [2, 3, 1, 0]],
    ['conv', [2, 1, 1, 1], [2, 3, 1, 0]],
    ['depthwise', [3, 1, 3, 2], [2, 3, 0, 1]],
    ['dense', [5, 7], [1, 0]],
  ];
  for (const [transform, torchShape, axes] of cases) {
    it(`${transform} ${torchShape.join('x')} matches a transpose and round-trips`, () => {
      const before = tf.memory().numTensors;
      const src = ramp(torchShape.reduce((a, b) => a * b, 1));
      const tfShape = axes.map((a) => torchShape[a]);
      const s = spec(transform, torchShape, tfShape);
      const expected = tf.tidy(() => tf.transpose(tf.tensor(src, torchShape), axes).dataSync() as Float32Array);
      const got = torchToTf(src, s);
      expect(Array.from(got)).toEqual(Array.from(expected));
      expect(Array.from(tfToTorch(got, s))).toEqual(Array.from(src));
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('returns the same array for `none`', () => {
    const src = ramp(6);
    const s = spec('none', [6], [6]);
    expect(torchToTf(src, s)).toBe(src);
    expect(tfToTorch(src, s)).toBe(src);
  });
});
