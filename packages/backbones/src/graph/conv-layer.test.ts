import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '@caddm/tf';
import { FastConv2D } from './conv-layer.js';
import { initTestBackend } from '../testing/shared.js';

beforeAll(initTestBackend);

function model(fast: boolean, strides: number, padding: 'same' | 'valid', useBias = false): tf.LayersModel {
  const input = tf.input({ shape: [11, 9, 3] });
  const args = { filters: 4, kernelSize: 3, strides, padding, useBias, name: 'conv' };
  const y = (fast ? new FastConv2D(args) : tf.layers.conv2d(args)).apply(input) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: y });
}

describe('FastConv2D', () => {
  it.each([
    [1, 'same'],
    [2, 'valid'],
    [2, 'same'],
  ] as const)('equals the stock Conv2D, output and kernel gradient (stride %i, %s), without computing the image gradient', async (strides, padding) => {
    const before = tf.memory().numTensors;
    const stock = model(false, strides, padding);
    const fast = model(true, strides, padding);
    fast.setWeights(stock.getWeights());
    const x = tf.randomNormal([2, 11, 9, 3], 0, 1, 'float32', 5);
    const loss = (m: tf.LayersModel) => () => tf.sum(tf.square(m.apply(x, { training: true }) as tf.Tensor)) as tf.Scalar;
    let a = { value: tf.scalar(0), grads: {} as tf.NamedTensorMap };
    const stockProfile = await tf.profile(() => {
      a.value.dispose();
      a = tf.variableGrads(loss(stock));
    });
    // The stock layer's fused op computes the image gradient although nothing needs it.
    expect(stockProfile.kernels.some((k) => k.name === 'Conv2DBackpropInput')).toBe(true);
    let b: { value: tf.Scalar; grads: tf.NamedTensorMap } | undefined;
    const profile = await tf.profile(() => {
      b = tf.variableGrads(loss(fast));
    });
    const gb = b as { value: tf.Scalar; grads: tf.NamedTensorMap };
    expect(Math.abs(a.value.dataSync()[0] - gb.value.dataSync()[0])).toBeLessThan(1e-3 * Math.abs(a.value.dataSync()[0]));
    const [ka] = Object.values(a.grads);
    const [kb] = Object.values(gb.grads);
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(ka, kb))).dataSync()[0])).toBeLessThan(1e-3);
    // Only the kernel's gradient: no input gradient of the first convolution.
    expect(profile.kernels.some((k) => k.name === 'Conv2DBackpropInput')).toBe(false);
    expect(profile.kernels.some((k) => k.name === 'Conv2DBackpropFilter')).toBe(true);
    tf.dispose([x, a.value, gb.value, ...Object.values(a.grads), ...Object.values(gb.grads)]);
    stock.dispose();
    fast.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('keeps the stock path with a bias, and serialises as the stock Conv2D', async () => {
    const stock = model(false, 1, 'same', true);
    const fast = model(true, 1, 'same', true);
    fast.setWeights(stock.getWeights());
    const x = tf.randomNormal([1, 11, 9, 3], 0, 1, 'float32', 6);
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(stock.predict(x) as tf.Tensor, fast.predict(x) as tf.Tensor))).dataSync()[0])).toBeLessThan(1e-5);
    let artifacts: tf.io.ModelArtifacts | undefined;
    await fast.save(tf.io.withSaveHandler(async (art) => {
      artifacts = art;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    expect(JSON.stringify(artifacts?.modelTopology)).toContain('"class_name":"Conv2D"');
    const back = await tf.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
    expect(back.getLayer('conv')).toBeInstanceOf(FastConv2D);
    tf.dispose(x);
    [stock, fast, back].forEach((m) => m.dispose());
  });
});
