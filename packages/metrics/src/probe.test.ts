import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@caddm/tf';
import { linearProbe, type FeatureSet } from './probe.js';
import { MetricsInputError } from './errors.js';
import { seededRng } from './rng.js';

beforeAll(async () => {
  await initBackend({ prefer: 'cpu', quiet: true });
});
let before = 0;
beforeEach(() => {
  before = tf.memory().numTensors;
});
afterEach(() => {
  expect(tf.memory().numTensors).toBe(before);
});

/** `ids` identities, Gaussian clusters of spread `noise` around random centres. */
function clusters(seed: number, ids: number, perId: number, dim: number, noise: number): { train: FeatureSet; test: FeatureSet } {
  const r = seededRng(seed);
  const centres = Array.from({ length: ids }, () => Array.from({ length: dim }, () => r.normal()));
  const make = (n: number): FeatureSet => {
    const features = new Float32Array(ids * n * dim);
    const labels: string[] = [];
    let row = 0;
    for (let k = 0; k < n; k++)
      for (let id = 0; id < ids; id++, row++) {
        labels.push(`id${id}`);
        for (let j = 0; j < dim; j++) features[row * dim + j] = centres[id][j] + noise * r.normal();
      }
    return { features, labels };
  };
  return { train: make(perId), test: make(Math.ceil(perId / 2)) };
}

describe('linearProbe', () => {
  it('reaches ~100% on separable identities and records a curve per epoch', async () => {
    const { train, test } = clusters(1, 6, 30, 24, 0.3);
    const seen: number[] = [];
    const r = await linearProbe(train, test, { dim: 24, epochs: 25, learningRate: 0.01, seed: 3, onEpoch: (e) => seen.push(e.epoch) });
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(r.trainAccuracy).toHaveLength(25);
    expect(r.testAccuracy.at(-1)).toBeGreaterThanOrEqual(0.98);
    expect(r.trainAccuracy.at(-1)).toBeGreaterThanOrEqual(0.98);
    expect(r.loss.at(-1)!).toBeLessThan(r.loss[0]);
    expect(r.classes).toEqual(['id0', 'id1', 'id2', 'id3', 'id4', 'id5']);
    expect(r.chance).toBeCloseTo(1 / 6, 10);
  });

  it('stays at chance on the test set when labels are random', async () => {
    const r0 = seededRng(5);
    const dim = 16;
    const n = 400;
    const make = (): FeatureSet => ({
      features: Array.from({ length: n }, () => Array.from({ length: dim }, () => r0.normal())),
      labels: Array.from({ length: n }, () => r0.int(10)),
    });
    const train = make();
    const test = make();
    const r = await linearProbe(train, test, { epochs: 15, learningRate: 0.01, seed: 1 });
    expect(r.testAccuracy.at(-1)).toBeLessThan(0.2);
    // Per-row correctness of the last epoch: its mean is the last test accuracy.
    expect(r.testCorrect).toHaveLength(n);
    expect(r.testCorrect.reduce((a, b) => a + b, 0) / n).toBeCloseTo(r.testAccuracy.at(-1)!, 6);
    expect(r.testCorrect.some((v) => v === 1)).toBe(true);
    // It can still fit some of its training noise.
    expect(r.trainAccuracy.at(-1)).toBeGreaterThan(r.testAccuracy.at(-1)!);
  });

  it('is deterministic for a seed and depends on it', async () => {
    const { train, test } = clusters(2, 4, 20, 8, 1.5);
    const opts = { dim: 8, epochs: 4, batchSize: 16, normalize: 'standardize' as const };
    const a = await linearProbe(train, test, { ...opts, seed: 7 });
    const b = await linearProbe(train, test, { ...opts, seed: 7 });
    const c = await linearProbe(train, test, { ...opts, seed: 8 });
    expect(b.loss).toEqual(a.loss);
    expect(b.testAccuracy).toEqual(a.testAccuracy);
    expect(c.loss).not.toEqual(a.loss);
  });

  it('supports l2 normalisation and weight decay', async () => {
    const { train, test } = clusters(3, 3, 20, 10, 0.2);
    const r = await linearProbe(train, test, { dim: 10, epochs: 20, learningRate: 0.05, normalize: 'l2', weightDecay: 1e-4 });
    expect(r.testAccuracy.at(-1)).toBeGreaterThanOrEqual(0.95);
  });

  it('rejects bad input with typed errors', async () => {
    const { train, test } = clusters(4, 3, 4, 5, 0.2);
    const probe = (tr: FeatureSet, te: FeatureSet, o: object = { dim: 5, epochs: 1 }): Promise<unknown> => linearProbe(tr, te, o);
    await expect(probe(train, test, { epochs: 1 })).rejects.toThrow(/options.dim/);
    await expect(probe(train, test, { dim: 7, epochs: 1 })).rejects.toThrow(/60 values, not a multiple of dim 7/);
    await expect(probe({ ...train, labels: ['a'] }, test)).rejects.toThrow(/12 rows but 1 labels/);
    await expect(probe(train, { ...test, labels: test.labels.length ? Array.from(test.labels, () => 'stranger') : [] })).rejects.toThrow(
      /'?"stranger"'? \(row 0\) is not an identity/,
    );
    const nan = Float32Array.from(train.features as Float32Array);
    nan[7] = Number.NaN;
    await expect(probe({ ...train, features: nan }, test)).rejects.toThrow(/feature 1\[2\] is NaN/);
    await expect(probe({ features: new Float32Array(10), labels: Array(2).fill('x') }, test)).rejects.toThrow(MetricsInputError);
    await expect(probe({ features: [], labels: [] }, test, { epochs: 1 })).rejects.toThrow(/no rows/);
    await expect(probe({ features: [[1, 2], [3]], labels: [0, 1] }, test, { epochs: 1 })).rejects.toThrow(/row 1 has 1 values/);
    await expect(probe(train, test, { dim: 5, epochs: 0 })).rejects.toThrow(/epochs/);
    await expect(probe(train, test, { dim: 5, normalize: 'zscore' })).rejects.toThrow(/unknown normalize/);
  });
});
