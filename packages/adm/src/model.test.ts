import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '@caddm/tf';
import { createBackbone } from '@caddm/backbones';
import {
  CaddmConfigError,
  attachAdm,
  createBaseline,
  createCaddm,
  describeCaddm,
  type CaddmModel,
} from './index.js';
import { initTestBackend } from './testing/shared.js';

beforeAll(initTestBackend);

/** ResNet-18 at width 1/16 (32 channels), 112 px, output stride 16: the full structure, fast. */
const MICRO = { backbone: 'resnet18', inputSize: 112, widthMultiplier: 0.0625, outputStride: 16 } as const;

/** Output of a named layer for input x, through a sub-model sharing the weights. */
function layerOutput(m: CaddmModel, name: string, x: tf.Tensor4D): tf.Tensor {
  const sub = tf.model({ inputs: m.model.inputs, outputs: m.model.getLayer(name).output as tf.SymbolicTensor });
  return sub.predict(x) as tf.Tensor;
}

describe('CADDM model', () => {
  it('full ResNet-34 at 224: 43,490,162 trainable parameters and outputs [B,168,4], [B,168,2], [B,2]', () => {
    const before = tf.memory().numTensors;
    const m = createCaddm({ backbone: 'resnet34', inputSize: 224 }, { init: 'zeros' });
    expect(m.countTrainableParams()).toBe(43_490_162);
    expect(m.model.outputs.map((o) => o.shape)).toEqual([
      [null, 168, 4],
      [null, 168, 2],
      [null, 2],
    ]);
    expect(m.numAnchors).toBe(168);
    expect(m.featureMapSizes).toEqual([7, 5, 3, 1]);
    m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('width-1/4 ResNet-34 at 224 (no forward pass: shapes and count only)', () => {
    const before = tf.memory().numTensors;
    const m = createCaddm('small-resnet34-224', { init: 'zeros' });
    expect(m.countTrainableParams()).toBe(describeCaddm('small-resnet34-224').trainableParams);
    expect(m.model.outputs[0].shape).toEqual([null, 168, 4]);
    m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  describe('micro ResNet-18 at 112 px (output stride 16)', () => {
    let m: CaddmModel;
    let x: tf.Tensor4D;
    beforeAll(() => {
      m = createCaddm(MICRO);
      x = tf.randomUniform([2, 112, 112, 3], 0, 1, 'float32', 7) as tf.Tensor4D;
      return () => {
        m.dispose();
        x.dispose();
      };
    });

    it('forward in both modes: shapes, finite values, no tensor leaks', () => {
      for (const training of [false, true]) {
        const before = tf.memory().numTensors;
        const o = m.apply(x, { training });
        expect(o.loc.shape).toEqual([2, 168, 4]);
        expect(o.conf.shape).toEqual([2, 168, 2]);
        expect(o.logits.shape).toEqual([2, 2]);
        for (const t of [o.loc, o.conf, o.logits]) expect(Array.from(t.dataSync()).every(Number.isFinite)).toBe(true);
        tf.dispose([o.loc, o.conf, o.logits]);
        expect(tf.memory().numTensors).toBe(before);
      }
      expect(m.countTrainableParams()).toBe(describeCaddm(MICRO).trainableParams);
    });

    it('predict gives P(fake) = softmax(logits)[:, 1] and leaks nothing', () => {
      const before = tf.memory().numTensors;
      const p = m.predict(x);
      const logits = m.logits(x);
      expect(tf.memory().numTensors).toBe(before + 2);
      const l = logits.arraySync();
      const want = l.map(([g, f]) => 1 / (1 + Math.exp(g - f)));
      const got = Array.from(p.dataSync());
      got.forEach((v, i) => expect(v).toBeCloseTo(want[i], 6));
      tf.dispose([p, logits]);
      expect(tf.memory().numTensors).toBe(before);
    });

    it('flattens head outputs cell-major, anchor-minor, maps in order 7, 5, 3, 1', () => {
      const before = tf.memory().numTensors;
      const o = m.apply(x);
      const loc = o.loc.arraySync();
      const conf = o.conf.arraySync();
      let offset = 0;
      [7, 5, 3, 1].forEach((f, i) => {
        const det = layerOutput(m, `adm.multi_scale_detection_module.ms_dets.${i}`, x);
        const cls = layerOutput(m, `adm.multi_scale_detection_module.ms_cls.${i}`, x);
        expect(det.shape).toEqual([2, f, f, 8]);
        const d = det.arraySync() as number[][][][];
        const c = cls.arraySync() as number[][][][];
        for (let b = 0; b < 2; b++)
          for (let r = 0; r < f; r++)
            for (let col = 0; col < f; col++)
              for (let a = 0; a < 2; a++) {
                const idx = offset + (r * f + col) * 2 + a;
                expect(loc[b][idx]).toEqual(d[b][r][col].slice(a * 4, a * 4 + 4));
                expect(conf[b][idx]).toEqual(c[b][r][col].slice(a * 2, a * 2 + 2));
              }
        offset += f * f * 2;
        tf.dispose([det, cls]);
      });
      expect(offset).toBe(168);
      tf.dispose([o.loc, o.conf, o.logits]);
      expect(tf.memory().numTensors).toBe(before);
    });

    it('short connection: logits = fc(pooled backbone feature + final 1x1 ADM feature)', () => {
      const before = tf.memory().numTensors;
      const pooled = layerOutput(m, 'base_model.global_pool', x);
      const final = layerOutput(m, 'adm.final_feature', x);
      const endMap = layerOutput(m, 'adm.adm_extra_layers.3.downsample', x);
      expect(endMap.shape.slice(1, 3)).toEqual([1, 1]);
      const [kernel, bias] = m.model.getLayer('fc').getWeights();
      const manual = tf.tidy(() => pooled.add(final).matMul(kernel).add(bias));
      const logits = m.logits(x);
      expect(tf.tidy(() => tf.max(tf.abs(manual.sub(logits))).dataSync()[0])).toBeLessThan(1e-5);
      tf.dispose([pooled, final, endMap, manual, logits]);
      expect(tf.memory().numTensors).toBe(before);
    });

    it('rejects inputs of the wrong shape', () => {
      const bad = tf.zeros([1, 224, 224, 3]) as tf.Tensor4D;
      expect(() => m.apply(bad)).toThrow(CaddmConfigError);
      expect(() => m.predict(bad)).toThrow(/input must be \[batch, 112, 112, 3\] \(NHWC\), got \[1, 224, 224, 3\]/);
      bad.dispose();
    });
  });

  it('one training step of the whole small model: every weight gets a finite gradient; loss goes down', () => {
    const before = tf.memory().numTensors;
    // Width 1/32 (16 channels) and the smallest input that still gives a 7x7 map at output stride 16.
    const m = createCaddm({ ...MICRO, widthMultiplier: 1 / 32, inputSize: 97 });
    const x = tf.randomUniform([2, 97, 97, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
    const labels = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1], 'int32'), 2));
    const anchorLabels = tf.tidy(() => tf.oneHot(tf.zeros([2, 168], 'int32') as tf.Tensor2D, 2));
    const lossFn = () =>
      tf.tidy(() => {
        const o = m.apply(x, { training: true });
        const cls = tf.losses.softmaxCrossEntropy(labels, o.logits);
        const det = tf.losses.huberLoss(tf.zerosLike(o.loc), o.loc).add(tf.losses.softmaxCrossEntropy(anchorLabels, o.conf));
        return cls.add(det.mul(0.1)) as tf.Scalar;
      });
    const { value, grads } = tf.variableGrads(lossFn, m.model.trainableWeights.map((w) => w.read() as tf.Variable));
    expect(Object.keys(grads)).toHaveLength(m.model.trainableWeights.length);
    const bad = Object.entries(grads).filter(([, g]) => !Array.from(g.dataSync()).every(Number.isFinite));
    expect(bad.map(([k]) => k)).toEqual([]);
    const first = value.dataSync()[0];
    tf.dispose([value, ...Object.values(grads)]);

    const opt = tf.train.adam(1e-3);
    const meanBefore = Float32Array.from(m.model.getLayer('base_model.bn1').getWeights()[2].dataSync());
    for (let i = 0; i < 2; i++) tf.dispose(opt.minimize(lossFn, true) ?? []);
    // Training-mode batch norm updated its running mean.
    const meanAfter = m.model.getLayer('base_model.bn1').getWeights()[2].dataSync();
    expect(Array.from(meanAfter)).not.toEqual(Array.from(meanBefore));
    const last = tf.tidy(() => lossFn().dataSync()[0]);
    expect(Number.isFinite(first) && Number.isFinite(last)).toBe(true);
    expect(last).toBeLessThan(first);
    opt.dispose();
    m.dispose();
    tf.dispose([x, labels, anchorLabels]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('baseline and plug-in forms', () => {
  it('baseline: backbone + linear to [B, 2], parameters as described', () => {
    const before = tf.memory().numTensors;
    const b = createBaseline(MICRO);
    expect(b.countTrainableParams()).toBe(describeCaddm(MICRO, 'baseline').trainableParams);
    const x = tf.randomUniform([3, 112, 112, 3]) as tf.Tensor4D;
    const { logits } = b.apply(x, { training: true });
    expect(logits.shape).toEqual([3, 2]);
    const p = b.predict(x);
    expect(p.shape).toEqual([3]);
    tf.dispose([x, logits, p]);
    b.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('attachAdm on one of our backbones equals the integrated model in size and outputs', () => {
    const before = tf.memory().numTensors;
    const bb = createBackbone({ name: 'resnet18', inputSize: 112, widthMultiplier: 0.125, outputStride: 16 });
    const m = attachAdm(bb);
    expect(m.countTrainableParams()).toBe(describeCaddm('tiny-resnet18-112').trainableParams);
    expect(m.model.outputs.map((o) => o.shape)).toEqual([
      [null, 168, 4],
      [null, 168, 2],
      [null, 2],
    ]);
    expect(m.layers.some((l) => l.weights[0].torch === 'layer1.0.conv1.weight')).toBe(true);
    m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('attachAdm on a foreign tfjs model pools its map itself; non-7x7 maps are refused', () => {
    const before = tf.memory().numTensors;
    const input = tf.input({ shape: [28, 28, 3] });
    const f = tf.layers.conv2d({ filters: 16, kernelSize: 4, strides: 4, name: 'stem' }).apply(input) as tf.SymbolicTensor;
    const foreign = tf.model({ inputs: input, outputs: f });
    const m = attachAdm(foreign);
    const x = tf.randomUniform([1, 28, 28, 3]) as tf.Tensor4D;
    const o = m.apply(x);
    expect([o.loc.shape, o.conf.shape, o.logits.shape]).toEqual([
      [1, 168, 4],
      [1, 168, 2],
      [1, 2],
    ]);
    tf.dispose([x, o.loc, o.conf, o.logits]);
    m.dispose();

    const input2 = tf.input({ shape: [32, 32, 3] });
    const f2 = tf.layers.conv2d({ filters: 8, kernelSize: 4, strides: 4 }).apply(input2) as tf.SymbolicTensor;
    const wrong = tf.model({ inputs: input2, outputs: f2 });
    expect(() => attachAdm(wrong)).toThrow(/needs a 7x7 feature map.*got 8x8/);
    expect(() => attachAdm(wrong, { featureOutput: 3 })).toThrow(/has no output 3/);
    wrong.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
