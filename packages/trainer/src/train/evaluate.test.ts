import { countTensors, initBackend, tf } from '@caddm/tf';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EvalFrame } from './data.js';
import { evalSubset, evaluate } from './evaluate.js';
import type { Net } from './net.js';

/** A net whose fake logit is the image's first pixel: the scores are known. */
const pixelNet: Net = {
  trainableVariables: [],
  forward: (x) => ({ logits: tf.tidy(() => tf.concat([tf.zerosLike(x.slice([0, 0, 0, 0], [-1, 1, 1, 1]).reshape([-1, 1])), x.slice([0, 0, 0, 0], [-1, 1, 1, 1]).reshape([-1, 1])], 1)) as tf.Tensor2D }),
  weights: () => new Map(),
  setWeights: () => {},
  dispose: () => {},
};

/** Frames of three methods' videos (ids `m/<method>/<n>`), 3 frames each, pixel values drawn from a seeded LCG. */
function frames(): EvalFrame[] {
  let s = 7;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 4 - 2;
  const out: EvalFrame[] = [];
  for (const [method, label, shift] of [['original', 0, 0], ['A', 1, 0.8], ['B', 1, -0.3]] as const) {
    for (let n = 0; n < 6; n++) {
      for (let f = 0; f < 3; f++) out.push({ videoId: `m/${method}/${n}`, label, image: Float32Array.of(rand() + shift, 0, 0, 0), shape: [2, 2, 1] });
    }
  }
  return out;
}

beforeAll(async () => {
  await initBackend({ quiet: true });
});

describe('evalSubset', () => {
  it('gives exactly what scoring only the kept videos gives, without scoring again', async () => {
    const all = frames();
    const full = await evaluate(pixelNet, all, 5);
    for (const method of ['A', 'B']) {
      const keep = (id: string) => id.startsWith('m/original/') || id.startsWith(`m/${method}/`);
      const direct = await evaluate(pixelNet, all.filter((f) => keep(f.videoId)), 5);
      const sub = evalSubset(full, keep);
      expect(sub).toEqual(direct);
      // The two methods differ, so the subsets really select different videos.
      expect(sub.videos).toBe(12);
    }
    expect(evalSubset(full, (id) => id.startsWith('m/A/')).videoAuc).toBeNaN();
    expect(evalSubset(full, (id) => !id.startsWith('m/original/')).perVideo).toEqual([]);
  });

  it('names an empty selection', async () => {
    const full = await evaluate(pixelNet, frames(), 8);
    expect(() => evalSubset(full, () => false)).toThrow(/keeps none of the 18 videos/);
  });

  it('leaves no tensors', async () => {
    const before = countTensors();
    evalSubset(await evaluate(pixelNet, frames(), 4), (id) => !id.includes('/B/'));
    expect(countTensors()).toBe(before);
  });
});
