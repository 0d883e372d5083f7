import { beforeAll, describe, expect, it } from 'vitest';
import { maxRelErr, randomValues, rng, tf, useWasm, valuesOn, wasmDataIds } from './__fixtures__/wasm.js';

type Sym = tf.SymbolicTensor;

/** Every layer kind the project's backbones use, in one small model. */
function zoo(): tf.LayersModel {
  const inp = tf.input({ shape: [16, 16, 3] });
  let y = tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', useBias: false }).apply(inp) as Sym;
  y = tf.layers.batchNormalization().apply(y) as Sym;
  y = tf.layers.activation({ activation: 'relu' }).apply(y) as Sym;
  y = tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same' }).apply(y) as Sym;
  y = tf.layers.activation({ activation: 'swish' }).apply(y) as Sym;
  y = tf.layers.separableConv2d({ filters: 12, kernelSize: 3, padding: 'same' }).apply(y) as Sym;
  y = tf.layers.batchNormalization().apply(y) as Sym;
  y = tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }).apply(y) as Sym;
  y = tf.layers.activation({ activation: 'sigmoid' }).apply(y) as Sym;
  y = tf.layers.averagePooling2d({ poolSize: 2 }).apply(y) as Sym;
  y = tf.layers.conv2d({ filters: 16, kernelSize: 1 }).apply(y) as Sym;
  y = tf.layers.globalAveragePooling2d({}).apply(y) as Sym;
  y = tf.layers.dense({ units: 2 }).apply(y) as Sym;
  return tf.model({ inputs: inp, outputs: y });
}

/** The losses the project trains with: softmax CE, log-softmax, smooth-L1, a gather of mined entries. */
function lossOf(logits: tf.Tensor, labels: tf.Tensor, mined: tf.Tensor): tf.Scalar {
  const ce = tf.losses.softmaxCrossEntropy(labels, logits);
  const smoothL1 = tf.losses.huberLoss(labels, logits);
  const logSm = tf.logSoftmax(logits).mean();
  const hard = tf.gather(logits.reshape([-1]), mined).sum();
  return ce.add(smoothL1).add(logSm.mul(0.1)).add(hard.mul(0.05)) as tf.Scalar;
}

describe('a model with every layer kind', () => {
  beforeAll(() => useWasm(2));

  it('has the same parameter gradients on wasm as on cpu', async () => {
    await tf.setBackend('cpu');
    const m = zoo();
    const xv = randomValues(4 * 16 * 16 * 3, 77);
    const run = () => {
      const x = tf.tensor4d(xv, [4, 16, 16, 3]);
      const labels = tf.oneHot(tf.tensor1d([0, 1, 1, 0], 'int32'), 2);
      const mined = tf.tensor1d([1, 6, 3], 'int32');
      const { grads } = tf.variableGrads(() => lossOf(m.apply(x, { training: true }) as tf.Tensor, labels, mined));
      return m.trainableWeights.map((w) => grads[w.originalName]);
    };
    const cpu = await valuesOn('cpu', run);
    const wasm = await valuesOn('wasm', run);
    expect(cpu.length).toBe(m.trainableWeights.length);
    cpu.forEach((g, i) => expect(maxRelErr(g, wasm[i]), m.trainableWeights[i].originalName).toBeLessThan(1e-4));
    m.dispose();
  });
});

/** A small ResNet: stem, a residual block, a strided block with a 1x1 projection, pooling, linear. */
function tinyResNet(): tf.LayersModel {
  const convBn = (x: Sym, filters: number, k: number, s: number, relu: boolean): Sym => {
    let y = tf.layers.conv2d({ filters, kernelSize: k, strides: s, padding: 'same', useBias: false }).apply(x) as Sym;
    y = tf.layers.batchNormalization().apply(y) as Sym;
    return relu ? (tf.layers.activation({ activation: 'relu' }).apply(y) as Sym) : y;
  };
  const block = (x: Sym, filters: number, s: number): Sym => {
    const y = convBn(convBn(x, filters, 3, s, true), filters, 3, 1, false);
    const short = s === 1 && x.shape[3] === filters ? x : convBn(x, filters, 1, s, false);
    return tf.layers.activation({ activation: 'relu' }).apply(tf.layers.add().apply([y, short]) as Sym) as Sym;
  };
  const inp = tf.input({ shape: [16, 16, 3] });
  let y = convBn(inp, 8, 3, 1, true);
  y = tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }).apply(y) as Sym;
  y = block(y, 8, 1);
  y = block(y, 16, 2);
  y = tf.layers.globalAveragePooling2d({}).apply(y) as Sym;
  y = tf.layers.dense({ units: 2 }).apply(y) as Sym;
  return tf.model({ inputs: inp, outputs: y });
}

/** 16 noisy images; class 1 has a bright 4x4 patch top-left, class 0 bottom-right. */
function toyData(): { x: Float32Array; y: Int32Array } {
  const r = rng(5);
  const n = 16;
  const x = new Float32Array(n * 16 * 16 * 3);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 2;
    const o = y[i] === 1 ? 1 : 11;
    for (let h = 0; h < 16; h++)
      for (let w = 0; w < 16; w++)
        for (let c = 0; c < 3; c++) {
          const inPatch = h >= o && h < o + 4 && w >= o && w < o + 4;
          x[((i * 16 + h) * 16 + w) * 3 + c] = 0.3 * r() + (inPatch ? 1 : 0);
        }
  }
  return { x, y };
}

describe('training on wasm', () => {
  beforeAll(() => useWasm(2));

  it('20 Adam steps of a small ResNet reduce the loss, with a constant tensor count', async () => {
    await tf.setBackend('wasm');
    const m = tinyResNet();
    const opt = tf.train.adam(0.01);
    const { x: xv, y: yv } = toyData();
    const x = tf.tensor4d(xv, [16, 16, 16, 3]);
    const labels = tf.oneHot(tf.tensor1d(yv, 'int32'), 2);
    const losses: number[] = [];
    const counts: number[] = [];
    const ids: number[] = [];
    for (let step = 0; step < 20; step++) {
      const loss = opt.minimize(
        () => tf.losses.softmaxCrossEntropy(labels, m.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
        true,
      ) as tf.Scalar;
      losses.push(loss.dataSync()[0]);
      loss.dispose();
      counts.push(tf.memory().numTensors);
      ids.push(wasmDataIds());
    }
    // Adam creates its moment variables on the first step; from then on nothing may accumulate.
    expect(new Set(counts.slice(1)).size, `tensor counts ${counts}`).toBe(1);
    expect(new Set(ids.slice(1)).size, `wasm data ids ${ids}`).toBe(1);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[19], `losses ${losses.map((l) => l.toFixed(3))}`).toBeLessThan(0.1 * losses[0]);
    tf.dispose([x, labels]);
    opt.dispose();
    m.dispose();
  });
});
