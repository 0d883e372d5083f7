import { countTensors, initBackend, tf } from '@caddm/tf';
import { beforeAll, describe, expect, it } from 'vitest';
import { LayersNet } from './layers-net.js';
import { TrainOptimizer } from './optimizer.js';
import { NonFiniteLossError, trainStep, type TrainBatch } from './step.js';

beforeAll(async () => {
  await initBackend({ quiet: true });
});

const A = 6; // anchors of the toy detector

/** A tiny net with a toy "ADM": loc/conf heads on a 1x1 map plus logits. */
function toyNet(withAdm: boolean, seed = 1): LayersNet {
  const init = (s: number) => tf.initializers.glorotUniform({ seed: seed * 100 + s });
  const x = tf.input({ shape: [8, 8, 3] });
  let h = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', kernelInitializer: init(1) }).apply(x) as tf.SymbolicTensor;
  h = tf.layers.batchNormalization({ epsilon: 1e-5 }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.activation({ activation: 'relu' }).apply(h) as tf.SymbolicTensor;
  const pooled = tf.layers.globalAveragePooling2d({}).apply(h) as tf.SymbolicTensor;
  const logits = tf.layers.dense({ units: 2, kernelInitializer: init(2) }).apply(pooled) as tf.SymbolicTensor;
  if (!withAdm) return new LayersNet(tf.model({ inputs: x, outputs: logits }));
  const loc = tf.layers.reshape({ targetShape: [A, 4] }).apply(tf.layers.dense({ units: A * 4, kernelInitializer: init(3) }).apply(pooled)) as tf.SymbolicTensor;
  const conf = tf.layers.reshape({ targetShape: [A, 2] }).apply(tf.layers.dense({ units: A * 2, kernelInitializer: init(4) }).apply(pooled)) as tf.SymbolicTensor;
  return new LayersNet(tf.model({ inputs: x, outputs: [loc, conf, logits] }));
}

/** Learnable toy data: fakes have a bright square; their first anchor is positive. */
function toyBatch(b: number, seed: number, withTargets: boolean): TrainBatch {
  return tf.tidy(() => {
    const labels = tf.tensor1d(Array.from({ length: b }, (_, i) => i % 2), 'int32');
    const noise = tf.randomUniform([b, 8, 8, 3], 0, 0.5, 'float32', seed);
    const square = tf.pad(tf.ones([b, 3, 3, 3]), [[0, 0], [2, 3], [2, 3], [0, 0]]).mul(labels.toFloat().reshape([b, 1, 1, 1]));
    const images = noise.add(square) as tf.Tensor4D;
    if (!withTargets) return { images, labels };
    const confT = tf.tensor2d(Array.from({ length: b * A }, (_, k) => (Math.floor(k / A) % 2 === 1 && k % A === 0 ? 1 : 0)), [b, A], 'int32');
    const locT = tf.randomNormal([b, A, 4], 0, 0.1, 'float32', seed + 1) as tf.Tensor3D;
    return { images, labels, locT, confT };
  });
}

const disposeBatch = (b: TrainBatch) => tf.dispose([b.images, b.labels, b.locT, b.confT].filter((t): t is tf.Tensor => t != null));

describe('trainStep', () => {
  it.each([
    ['with the ADM (CADDM loss)', true],
    ['binary classifier (cross-entropy)', false],
  ])('lowers the loss over 20 steps without leaking tensors: %s', (_, adm) => {
    const net = toyNet(adm);
    const opt = new TrainOptimizer({ kind: 'adam', lr: 0.02, clipGradValue: 2 });
    const losses: number[] = [];
    let baseline = -1;
    for (let s = 0; s < 20; s++) {
      const batch = toyBatch(8, s, adm);
      losses.push(trainStep(net, opt, batch, {}, s).loss);
      disposeBatch(batch);
      if (s === 1) baseline = countTensors(); // after the optimiser created its moments
      if (s > 1) expect(countTensors()).toBe(baseline);
    }
    const first = (losses[0] + losses[1]) / 2;
    const last = (losses[18] + losses[19]) / 2;
    expect(last).toBeLessThan(first * 0.7);
    opt.dispose();
    net.dispose();
  });

  it('refuses a non-finite loss and leaves the weights untouched', () => {
    const net = toyNet(false);
    const opt = new TrainOptimizer({ kind: 'adam', lr: 0.01 });
    const before = countTensors();
    const w0 = Array.from(net.trainableVariables[0].dataSync());
    const bad = toyBatch(4, 1, false);
    const nanImages = bad.images.mul(Number.NaN) as tf.Tensor4D;
    expect(() => trainStep(net, opt, { images: nanImages, labels: bad.labels }, {}, 7)).toThrow(NonFiniteLossError);
    expect(() => trainStep(net, opt, { images: nanImages, labels: bad.labels }, {}, 7)).toThrow(/non-finite loss at step 7/);
    expect(Array.from(net.trainableVariables[0].dataSync())).toEqual(w0);
    tf.dispose([nanImages]);
    disposeBatch(bad);
    expect(countTensors()).toBe(before);
    opt.dispose();
    net.dispose();
  });

  it('says so when the net and the batch disagree about the ADM', () => {
    const net = toyNet(false);
    const opt = new TrainOptimizer({ kind: 'adam', lr: 0.01 });
    const batch = toyBatch(2, 1, true);
    expect(() => trainStep(net, opt, batch)).toThrow(/anchor targets but the net has no ADM/);
    disposeBatch(batch);
    opt.dispose();
    net.dispose();
  });
});

describe('TrainOptimizer', () => {
  it('clips gradient values and applies AdamW decay like PyTorch', () => {
    // One variable, gradient 10 clipped to 2: Adam's first step moves by lr * sign.
    const v = tf.variable(tf.tensor1d([1, -1]), true, 'clip_test_v');
    const opt = new TrainOptimizer({ kind: 'adamw', lr: 0.1, weightDecay: 0.5, clipGradValue: 2 });
    const g = tf.tensor1d([10, -0.5]);
    opt.apply([v], { [v.name]: g });
    // AdamW: w *= (1 - 0.1 * 0.5) -> [0.95, -0.95]; then Adam step -0.1 * sign(g) (bias-corrected m/sqrt(v) = +-1).
    const got = Array.from(v.dataSync());
    expect(got[0]).toBeCloseTo(0.95 - 0.1, 5);
    expect(got[1]).toBeCloseTo(-0.95 + 0.1, 5);
    tf.dispose([v, g]);
    opt.dispose();
  });

  it('round-trips its state: a restored optimiser takes the same next step', async () => {
    const mk = () => tf.variable(tf.tensor1d([0.5, 2, -3]), true);
    const g1 = tf.tensor1d([1, -2, 0.5]);
    const g2 = tf.tensor1d([-0.3, 0.7, 2]);
    const a = mk();
    const optA = new TrainOptimizer({ kind: 'adam', lr: 0.05 });
    optA.apply([a], { [a.name]: g1 });
    const state = await optA.state();
    optA.lr = 0.01;
    const b = tf.variable(a.clone(), true);
    const optB = new TrainOptimizer({ kind: 'adam', lr: 0.05 });
    await optB.restore({ ...state, lr: 0.01 }, [b]);
    optA.apply([a], { [a.name]: g2 });
    optB.apply([b], { [b.name]: g2 });
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    expect(optB.lr).toBe(0.01);
    await expect(optB.restore({ ...state, kind: 'adamw' }, [b])).rejects.toThrow(/state is for adamw/);
    tf.dispose([a, b, g1, g2]);
    optA.dispose();
    optB.dispose();
  });
});
