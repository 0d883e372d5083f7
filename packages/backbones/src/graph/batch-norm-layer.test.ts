import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '@caddm/tf';
import { FastBatchNormalization } from './batch-norm-layer.js';
import { initTestBackend } from '../testing/shared.js';

beforeAll(initTestBackend);

const config = { axis: -1, epsilon: 1e-5, momentum: 0.9 };

/** A conv + batch norm model, the batch norm the stock layer's or ours, with the same weights. */
function model(fast: boolean): tf.LayersModel {
  const input = tf.input({ shape: [9, 7, 3] });
  const conv = tf.layers.conv2d({ filters: 5, kernelSize: 3, padding: 'same', kernelInitializer: 'ones', name: 'conv' }).apply(input) as tf.SymbolicTensor;
  const bn = (fast ? new FastBatchNormalization({ ...config, name: 'bn' }) : tf.layers.batchNormalization({ ...config, name: 'bn' })).apply(conv) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: bn });
}

function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

describe('FastBatchNormalization', () => {
  it('trains like the stock layer: outputs, gradients of every weight, moving mean and variance', () => {
    const before = tf.memory().numTensors;
    const stock = model(false);
    const fast = model(true);
    fast.setWeights(stock.getWeights());
    const x = tf.randomNormal([4, 9, 7, 3], 0, 1, 'float32', 3);
    const g = tf.randomNormal([4, 9, 7, 5], 0, 1, 'float32', 4);
    for (let step = 0; step < 2; step++) {
      const run = (m: tf.LayersModel) =>
        tf.variableGrads(() => tf.sum(tf.mul(m.apply(x, { training: true }) as tf.Tensor, g)) as tf.Scalar, m.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val));
      const a = run(stock);
      const b = run(fast);
      expect(Math.abs(a.value.dataSync()[0] - b.value.dataSync()[0])).toBeLessThan(1e-3);
      const ga = Object.values(a.grads);
      const gb = Object.values(b.grads);
      expect(gb.length).toBe(ga.length);
      for (let k = 0; k < ga.length; k++) expect(maxDiff(ga[k], gb[k])).toBeLessThan(1e-3);
      tf.dispose([a.value, b.value, ...Object.values(a.grads), ...Object.values(b.grads)]);
    }
    // Moving statistics after two training calls each.
    const ws = stock.getWeights();
    const wf = fast.getWeights();
    for (let i = 0; i < ws.length; i++) expect(maxDiff(ws[i], wf[i])).toBeLessThan(1e-5);
    // Inference is the stock path.
    expect(tf.tidy(() => maxDiff(stock.predict(x) as tf.Tensor, fast.predict(x) as tf.Tensor))).toBeLessThan(1e-5);
    tf.dispose([x, g]);
    stock.dispose();
    fast.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('serialises as the stock BatchNormalization, and a saved model loads back into the fast layer', async () => {
    const m = model(true);
    const json = m.toJSON(undefined, false) as { config: { layers: Array<{ class_name: string }> } };
    expect(json.config.layers.map((l) => l.class_name)).toContain('BatchNormalization');
    let artifacts: tf.io.ModelArtifacts | undefined;
    await m.save(tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const back = await tf.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
    expect(back.getLayer('bn')).toBeInstanceOf(FastBatchNormalization);
    m.dispose();
    back.dispose();
  });
});
