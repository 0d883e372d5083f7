import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@caddm/tf';
import { interactionAuc, shapleyInteraction, unitBounds, type ScoreModel } from './interaction.js';
import { MetricsInputError } from './errors.js';
import { gaussianBlur } from './baseline.js';
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

const H = 12;
const W = 8;
const C = 3;
const GRID = { rows: 3, cols: 4 }; // units of 4x2 pixels

function randomImages(seed: number, b: number, h = H, w = W): tf.Tensor4D {
  const r = seededRng(seed);
  const data = new Float32Array(b * h * w * C);
  for (let i = 0; i < data.length; i++) data[i] = r.next() * 2 - 1;
  return tf.tensor4d(data, [b, h, w, C]);
}

/** Mean of unit (r, c) over pixels and channels, as a [B] tensor. */
function unitMean(x: tf.Tensor4D, r: number, c: number): tf.Tensor1D {
  const { y0, y1, x0, x1 } = unitBounds(GRID, H, W, r, c);
  return x.slice([0, y0, x0, 0], [-1, y1 - y0, x1 - x0, -1]).mean([1, 2, 3]);
}

/** Reads the mean of unit (r, c) of image b on the CPU. */
function unitMeanOf(data: Float32Array, b: number, r: number, c: number): number {
  const { y0, y1, x0, x1 } = unitBounds(GRID, H, W, r, c);
  let s = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) for (let k = 0; k < C; k++) s += data[((b * H + y) * W + x) * C + k];
  return s / ((y1 - y0) * (x1 - x0) * C);
}

describe('shapleyInteraction', () => {
  it('is 0 for a model additive over units (non-linear within units)', async () => {
    const model: ScoreModel = (x) =>
      tf.tidy(() => {
        let acc = tf.zeros([x.shape[0]]) as tf.Tensor1D;
        for (let r = 0; r < GRID.rows; r++)
          for (let c = 0; c < GRID.cols; c++) acc = acc.add(unitMean(x, r, c).square().mul(r + 2 * c + 1).sin());
        return acc.add(0.7);
      });
    const x = randomImages(1, 3);
    for (const baseline of ['zeros', 'mean', 'blur'] as const) {
      const res = await shapleyInteraction(model, x, { grid: GRID, baseline, batchSize: 5 });
      expect(res).toHaveLength(3);
      for (const r of res) {
        expect(Math.abs(r.interaction)).toBeLessThan(1e-5);
        expect(Math.abs(r.full - r.empty)).toBeGreaterThan(1e-3); // the test is not vacuous
      }
    }
    x.dispose();
  });

  it('gives the known value a * x1 * x2 of a pairwise product (zeros baseline)', async () => {
    const a = 3;
    const model: ScoreModel = (x) =>
      tf.tidy(() => unitMean(x, 0, 1).mul(unitMean(x, 2, 3)).mul(a).add(unitMean(x, 1, 1).mul(5)));
    const x = randomImages(2, 2);
    const data = x.dataSync() as Float32Array;
    const res = await shapleyInteraction(model, x, { grid: GRID });
    for (let b = 0; b < 2; b++) {
      const expected = a * unitMeanOf(data, b, 0, 1) * unitMeanOf(data, b, 2, 3);
      expect(res[b].interaction).toBeCloseTo(expected, 5);
      // Only unit (1, 1) carries local utility; the product needs both units.
      expect(res[b].singletonSum).toBeCloseTo(5 * unitMeanOf(data, b, 1, 1), 5);
      expect(res[b].unitUtilities[1 * GRID.cols + 1]).toBeCloseTo(res[b].singletonSum, 6);
    }
    x.dispose();
  });

  it('gives a * (x1 - b1)(x2 - b2) with the mean-colour baseline', async () => {
    // One channel so the baseline of a unit mean is the image mean.
    const model: ScoreModel = (x) => tf.tidy(() => unitMean(x, 0, 0).mul(unitMean(x, 1, 2)).mul(-2));
    const r = seededRng(3);
    const d = new Float32Array(H * W * C);
    for (let i = 0; i < d.length; i++) d[i] = r.next();
    const x = tf.tensor3d(d, [H, W, C]); // a single [H, W, C] image
    const res = await shapleyInteraction(model, x, { grid: GRID, baseline: 'mean' });
    let meanAll = 0;
    const ch = [0, 0, 0];
    for (let i = 0; i < d.length; i++) ch[i % C] += d[i] / (H * W);
    meanAll = (ch[0] + ch[1] + ch[2]) / 3;
    const expected = -2 * (unitMeanOf(d, 0, 0, 0) - meanAll) * (unitMeanOf(d, 0, 1, 2) - meanAll);
    expect(res).toHaveLength(1);
    expect(res[0].interaction).toBeCloseTo(expected, 5);
    expect(res[0].empty).toBeCloseTo(-2 * meanAll * meanAll, 5);
    x.dispose();
  });

  it('counts third-order interactions too: x1 * x2 * x3', async () => {
    const model: ScoreModel = (x) => tf.tidy(() => unitMean(x, 0, 0).mul(unitMean(x, 1, 1)).mul(unitMean(x, 2, 2)));
    const x = randomImages(4, 1);
    const d = x.dataSync() as Float32Array;
    const [res] = await shapleyInteraction(model, x, { grid: GRID });
    expect(res.interaction).toBeCloseTo(unitMeanOf(d, 0, 0, 0) * unitMeanOf(d, 0, 1, 1) * unitMeanOf(d, 0, 2, 2), 6);
    x.dispose();
  });

  it('decomposes f(N) = I([N]) + sum_i [f({i}) - f(∅)] + f(∅)', async () => {
    const model: ScoreModel = (x) => tf.tidy(() => x.square().sum([1, 2, 3]).sqrt().add(x.mean([1, 2, 3]).exp()));
    const x = randomImages(5, 2);
    const res = await shapleyInteraction(model, x, { grid: GRID, baseline: { blurSigma: 1.5 } });
    for (const r of res) {
      let s = 0;
      for (const u of r.unitUtilities) s += u;
      expect(s).toBe(r.singletonSum);
      expect(r.interaction + r.singletonSum + r.empty).toBeCloseTo(r.full, 12);
      expect(r.interaction).toBe(r.full - r.empty - r.singletonSum);
      expect(Math.abs(r.interaction)).toBeGreaterThan(1e-3);
    }
    x.dispose();
  });

  it('runs n + 2 inputs per image, in batches, with the same answer for any batch size', async () => {
    const sizes: number[] = [];
    const model: ScoreModel = (x) => {
      sizes.push(x.shape[0]);
      return tf.tidy(() => x.mean([1, 2, 3]).mul(x.max([1, 2, 3])));
    };
    const x = randomImages(6, 3);
    const a = await shapleyInteraction(model, x, { grid: GRID, batchSize: 7 });
    expect(sizes.reduce((s, v) => s + v, 0)).toBe(3 * (12 + 2));
    expect(Math.max(...sizes)).toBe(7);
    const progress: number[] = [];
    const b = await shapleyInteraction(model, x, { grid: GRID, batchSize: 100, onProgress: (d) => progress.push(d) });
    expect(progress).toEqual([42]);
    for (let i = 0; i < 3; i++) {
      expect(b[i].interaction).toBeCloseTo(a[i].interaction, 6);
      expect(Array.from(b[i].unitUtilities)).toEqual(Array.from(a[i].unitUtilities));
    }
    x.dispose();
  });

  it('tiles images that the grid does not divide, default 16x16 grid', async () => {
    // f = sum of pixels is additive over pixels, so unit utilities sum to f(N) - f(∅).
    const model: ScoreModel = (x) => tf.tidy(() => x.sum([1, 2, 3]));
    const x = randomImages(7, 1, 37, 21);
    const [res] = await shapleyInteraction(model, x, { grid: { rows: 5, cols: 3 } });
    expect(res.unitUtilities).toHaveLength(15);
    expect(Math.abs(res.interaction)).toBeLessThan(1e-4);
    const y = randomImages(8, 1, 20, 17);
    const [r16] = await shapleyInteraction(model, y);
    expect(r16.unitUtilities).toHaveLength(256);
    expect(Math.abs(r16.interaction)).toBeLessThan(1e-4);
    x.dispose();
    y.dispose();
  });

  it('accepts a custom baseline image (tensor, shared or per image)', async () => {
    const model: ScoreModel = (x) => tf.tidy(() => unitMean(x, 0, 0).mul(unitMean(x, 2, 1)));
    const x = randomImages(9, 2);
    const d = x.dataSync() as Float32Array;
    const shared = tf.fill([H, W, C], 0.25) as tf.Tensor3D;
    const res = await shapleyInteraction(model, x, { grid: GRID, baseline: { image: shared } });
    for (let b = 0; b < 2; b++) {
      expect(res[b].interaction).toBeCloseTo((unitMeanOf(d, b, 0, 0) - 0.25) * (unitMeanOf(d, b, 2, 1) - 0.25), 5);
    }
    const perImage = new Float32Array(2 * H * W * C).fill(0.5, H * W * C); // zeros for image 0, 0.5 for image 1
    const res2 = await shapleyInteraction(model, x, { grid: GRID, baseline: { image: perImage } });
    expect(res2[0].interaction).toBeCloseTo(unitMeanOf(d, 0, 0, 0) * unitMeanOf(d, 0, 2, 1), 5);
    expect(res2[1].interaction).toBeCloseTo((unitMeanOf(d, 1, 0, 0) - 0.5) * (unitMeanOf(d, 1, 2, 1) - 0.5), 5);
    shared.dispose();
    x.dispose();
  });

  it('works with a tfjs LayersModel (score = fake logit)', async () => {
    const net = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [H, W, C], filters: 4, kernelSize: 3, activation: 'relu', kernelInitializer: tf.initializers.glorotNormal({ seed: 1 }) }),
        tf.layers.globalAveragePooling2d({}),
        tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.glorotNormal({ seed: 2 }) }),
      ],
    });
    const model: ScoreModel = (x) => tf.tidy(() => (net.predict(x) as tf.Tensor2D).slice([0, 1], [-1, 1]).reshape([-1]));
    const x = randomImages(11, 2);
    const before2 = tf.memory().numTensors;
    const res = await shapleyInteraction(model, x, { grid: GRID, baseline: 'blur', batchSize: 9 });
    expect(tf.memory().numTensors).toBe(before2);
    const direct = (net.predict(x) as tf.Tensor2D);
    const logits = direct.arraySync();
    direct.dispose();
    for (let b = 0; b < 2; b++) {
      expect(res[b].full).toBeCloseTo(logits[b][1], 5);
      expect(res[b].interaction + res[b].singletonSum + res[b].empty).toBeCloseTo(res[b].full, 12);
      expect(Math.abs(res[b].interaction)).toBeGreaterThan(1e-6); // ReLU + pooling interact
    }
    x.dispose();
    net.dispose();
  });

  it('rejects bad grids, baselines, batch sizes and model outputs', async () => {
    const x = randomImages(10, 1);
    const ok: ScoreModel = (t) => tf.tidy(() => t.mean([1, 2, 3]));
    await expect(shapleyInteraction(ok, x, { grid: 13 })).rejects.toThrow(/grid 13x13 does not fit/);
    await expect(shapleyInteraction(ok, x, { grid: { rows: 2.5, cols: 2 } })).rejects.toThrow(MetricsInputError);
    await expect(shapleyInteraction(ok, x, { grid: GRID, batchSize: 0 })).rejects.toThrow(/batchSize/);
    await expect(shapleyInteraction(ok, x, { grid: GRID, baseline: { image: new Float32Array(5) } })).rejects.toThrow(/baseline image has 5 values/);
    await expect(shapleyInteraction(ok, x, { grid: GRID, baseline: { blurSigma: -1 } })).rejects.toThrow(/blurSigma/);
    await expect(shapleyInteraction(ok, x, { grid: GRID, baseline: 'median' as 'mean' })).rejects.toThrow(/unknown baseline/);
    const wrong: ScoreModel = (t) => tf.tidy(() => t.mean([1, 2]));
    await expect(shapleyInteraction(wrong, x, { grid: GRID })).rejects.toThrow(/returned shape \[\d+, 3\]/);
    const nan: ScoreModel = (t) => tf.tidy(() => t.mean([1, 2, 3]).sub(5).sqrt());
    await expect(shapleyInteraction(nan, x, { grid: GRID })).rejects.toThrow(/scored NaN/);
    const flat = tf.zeros([2, 2]);
    await expect(shapleyInteraction(ok, flat as unknown as tf.Tensor3D, {})).rejects.toThrow(/images must be/);
    flat.dispose();
    x.dispose();
  });
});

describe('gaussianBlur', () => {
  it('keeps a constant image and smooths noise', () => {
    const geo = { height: 10, width: 9, channels: 2 };
    const n = 10 * 9 * 2;
    const out = new Float32Array(n);
    const scratch = new Float32Array(n);
    gaussianBlur(new Float32Array(n).fill(0.3), out, geo, 2, scratch);
    for (const v of out) expect(v).toBeCloseTo(0.3, 6);
    const r = seededRng(1);
    const noise = Float32Array.from({ length: n }, () => r.next());
    gaussianBlur(noise, out, geo, 2, scratch);
    const variance = (a: Float32Array): number => {
      const m = a.reduce((s, v) => s + v, 0) / a.length;
      return a.reduce((s, v) => s + (v - m) ** 2, 0) / a.length;
    };
    expect(variance(out)).toBeLessThan(variance(noise) / 5);
  });
});

describe('interactionAuc', () => {
  it('is the frame AUC of I([N]) as the fake score', () => {
    const res = [0.5, -1, 2, 0.1].map((interaction) => ({
      interaction,
      full: 0,
      empty: 0,
      singletonSum: 0,
      unitUtilities: new Float64Array(0),
    }));
    expect(interactionAuc([1, 0, 1, 0], res)).toBe(1);
    expect(interactionAuc([0, 1, 0, 1], res)).toBe(0);
    expect(interactionAuc([0, 1, 0, 1], [1, 2, 3, 4])).toBe(0.75);
    expect(() => interactionAuc([1, 1], [1, 2])).toThrow(MetricsInputError);
  });
});
