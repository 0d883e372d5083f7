import { countTensors, initBackend, tf } from '@caddm/tf';
import { beforeAll, describe, expect, it } from 'vitest';
import { disposeBatch, toyBatch, toyNet } from './__fixtures__/toy.js';
import { TrainOptimizer } from './optimizer.js';
import { NonFiniteLossError, trainStep, type TrainBatch } from './step.js';

beforeAll(async () => {
  await initBackend({ quiet: true });
});

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
