import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '@caddm/tf';
import {
  createBackbone,
  describeBackbone,
  parseSafetensors,
  serializeSafetensors,
  WeightImportError,
  type Backbone,
  type BackboneOptions,
} from './index.js';
import { haveShared, initTestBackend, sharedPath } from './testing/shared.js';

beforeAll(async () => {
  await initTestBackend();
});

/** Bitwise equality of two float arrays. */
function sameBits(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) return false;
  return true;
}

function trainableCount(b: Backbone): number {
  return b.model.trainableWeights.reduce((a, w) => a + (w.shape as number[]).reduce((x, y) => x * y, 1), 0);
}

const SMALL: [string, BackboneOptions, [number, number, number]][] = [
  ['resnet18 w1/4 @64', { name: 'resnet18', widthMultiplier: 0.25, inputSize: 64 }, [2, 2, 128]],
  ['resnet50 w1/8 @112 os16', { name: 'resnet50', widthMultiplier: 0.125, inputSize: 112, outputStride: 16 }, [7, 7, 256]],
  ['efficientnet-b0 w1/4 @64', { name: 'efficientnet-b0', widthMultiplier: 0.25, inputSize: 64 }, [2, 2, 320]],
  ['efficientnet-b3 w1/4 @112 os16', { name: 'efficientnet-b3', widthMultiplier: 0.25, inputSize: 112, outputStride: 16 }, [7, 7, 384]],
  ['xception w1/8 @71', { name: 'xception', widthMultiplier: 0.125, inputSize: 71 }, [3, 3, 256]],
];

describe('tfjs backbones', () => {
  it('full ResNet-34: tfjs trainable weights = PyTorch parameters() = 21,284,672', () => {
    const before = tf.memory().numTensors;
    const b = createBackbone({ name: 'resnet34' }, { init: 'zeros' });
    expect(trainableCount(b)).toBe(21_284_672);
    expect(b.countTrainableParams()).toBe(21_284_672);
    expect(b.featureShape).toEqual([7, 7, 512]);
    expect(b.model.outputs[1].shape).toEqual([null, 512]);
    b.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each(SMALL)('%s: counts agree with the shape graph; forward shapes; no leaks', async (_l, opts, shape) => {
    const before = tf.memory().numTensors;
    const b = createBackbone(opts);
    expect(trainableCount(b)).toBe(describeBackbone(opts).trainableParams);
    expect(b.featureShape).toEqual(shape);
    const size = typeof opts.inputSize === 'number' ? opts.inputSize : 224;
    const x = tf.randomUniform([2, size, size, 3]) as tf.Tensor4D;
    for (const training of [false, true]) {
      const inner = tf.memory().numTensors;
      const out = b.apply(x, { training });
      expect(out.features.shape).toEqual([2, ...shape]);
      expect(out.pooled.shape).toEqual([2, shape[2]]);
      // The pooled feature is the mean of the map (no dropout outside training).
      if (!training) {
        const diff = tf.tidy(() => tf.max(tf.abs(out.features.mean([1, 2]).sub(out.pooled))).dataSync()[0]);
        expect(diff).toBeLessThan(1e-5);
      }
      expect(Array.from(out.pooled.dataSync()).every(Number.isFinite)).toBe(true);
      tf.dispose([out.features, out.pooled]);
      expect(tf.memory().numTensors).toBe(inner);
    }
    x.dispose();
    b.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('PyTorch weights', () => {
  const GOLDEN = 'golden/weights/resnet18w16.json';
  const ok = haveShared(GOLDEN) && haveShared('golden/weights/resnet18w16.safetensors');
  it.skipIf(!ok)('imported torchvision ResNet-18 (w16) reproduces the reference eval logits to 1e-4', () => {
    const before = tf.memory().numTensors;
    const golden = JSON.parse(readFileSync(sharedPath(GOLDEN), 'utf8')) as {
      input_nchw: number[][][][];
      logits: number[][];
    };
    const file = parseSafetensors(readFileSync(sharedPath('golden/weights/resnet18w16.safetensors')));
    const b = createBackbone({ name: 'resnet18', widthMultiplier: 0.25, numClasses: 10, inputSize: 64 });
    const res = b.loadStateDict(file.tensors);
    expect(res.loaded).toBe(file.tensors.size - 20); // 20 num_batches_tracked buffers skipped
    expect(res.skipped.every((k) => k.endsWith('num_batches_tracked'))).toBe(true);
    const x = tf.tidy(() => tf.tensor(golden.input_nchw).transpose([0, 2, 3, 1])) as tf.Tensor4D;
    const out = b.apply(x);
    const got = out.logits!.arraySync();
    expect(got).toHaveLength(2);
    let maxDiff = 0;
    got.forEach((row, i) => row.forEach((v, j) => (maxDiff = Math.max(maxDiff, Math.abs(v - golden.logits[i][j])))));
    expect(maxDiff).toBeLessThan(1e-4);
    tf.dispose([x, out.features, out.pooled, out.logits!]);
    b.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  for (const opts of [
    { name: 'efficientnet-b0', widthMultiplier: 0.25, inputSize: 48, numClasses: 3 },
    { name: 'xception', widthMultiplier: 0.125, inputSize: 71, numClasses: 3 },
  ] as const) {
    it(`${opts.name}: export -> safetensors -> import into a fresh model is bit-exact`, () => {
      const before = tf.memory().numTensors;
      const a = createBackbone(opts);
      // Make BN statistics non-trivial so they are really carried over.
      for (const l of a.model.layers) {
        if (l.getClassName() === 'BatchNormalization') {
          const ws = l.getWeights().map((w) => tf.randomUniform(w.shape, 0.5, 1.5));
          l.setWeights(ws);
          tf.dispose(ws);
        }
      }
      const bytes = serializeSafetensors(a.stateDict());
      const dict = parseSafetensors(bytes).tensors;
      expect(dict.get(`${a.classifierPath}.weight`)!.shape[0]).toBe(3);
      const b = createBackbone(opts, { init: 'zeros' });
      b.loadStateDict(dict);
      const wa = a.model.getWeights();
      const wb = b.model.getWeights();
      expect(wb.length).toBe(wa.length);
      const mismatched = wa.filter((w, i) => !sameBits(w.dataSync() as Float32Array, wb[i].dataSync() as Float32Array));
      expect(mismatched.map((w) => wa.indexOf(w))).toEqual([]);
      const x = tf.randomUniform([1, opts.inputSize, opts.inputSize, 3]) as tf.Tensor4D;
      const ya = a.apply(x);
      const yb = b.apply(x);
      expect(sameBits(ya.logits!.dataSync() as Float32Array, yb.logits!.dataSync() as Float32Array)).toBe(true);
      tf.dispose([x, ya.features, ya.pooled, ya.logits!, yb.features, yb.pooled, yb.logits!]);
      a.dispose();
      b.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('rejects a state dict with missing, extra and mis-shaped keys, listing all, and changes nothing', () => {
    const before = tf.memory().numTensors;
    const a = createBackbone({ name: 'resnet18', widthMultiplier: 0.25, inputSize: 32 });
    const dict = a.stateDict();
    dict.delete('layer2.0.conv1.weight');
    dict.delete('bn1.running_var');
    dict.set('layer9.weight', { dtype: 'F32', shape: [2], data: new Float32Array(2) });
    dict.set('conv1.weight', { dtype: 'F32', shape: [16, 3, 3, 3], data: new Float32Array(16 * 27) });
    dict.set('bn1.bias', { dtype: 'I64', shape: [16], data: new BigInt64Array(16) });
    const snapshot = a.model.getWeights().map((w) => Float32Array.from(w.dataSync()));
    let err: WeightImportError | undefined;
    try {
      a.loadStateDict(dict);
    } catch (e) {
      err = e as WeightImportError;
    }
    expect(err).toBeInstanceOf(WeightImportError);
    expect(err!.problems).toHaveLength(5);
    expect(err!.message).toMatch(/missing key 'layer2\.0\.conv1\.weight' \(shape \[32, 16, 3, 3\]\)/);
    expect(err!.message).toMatch(/missing key 'bn1\.running_var'/);
    expect(err!.message).toMatch(/unexpected key 'layer9\.weight'/);
    expect(err!.message).toMatch(/'conv1\.weight': shape \[16, 3, 3, 3\] but the model needs \[16, 3, 7, 7\]/);
    expect(err!.message).toMatch(/'bn1\.bias': dtype I64 is not a float type/);
    expect(a.model.getWeights().every((w, i) => sameBits(w.dataSync() as Float32Array, snapshot[i]))).toBe(true);

    // Non-strict loading skips unknown keys; prefixes can be stripped; ignore patterns work.
    const good = new Map([...a.stateDict()].map(([k, v]) => [`module.${k}`, v]));
    good.set('module.extra.thing', { dtype: 'F32', shape: [1], data: new Float32Array(1) });
    expect(() => a.loadStateDict(good, { stripPrefixes: ['module.'] })).toThrow(/unexpected key 'extra\.thing'/);
    expect(a.loadStateDict(good, { stripPrefixes: ['module.'], strict: false }).skipped).toContain('extra.thing');
    expect(a.loadStateDict(good, { stripPrefixes: ['module.'], ignore: [/^extra\./] }).skipped).toContain('extra.thing');
    a.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a backbone without classifier ignores the checkpoint classifier (ImageNet files load as they are)', () => {
    const before = tf.memory().numTensors;
    const withFc = createBackbone({ name: 'resnet18', widthMultiplier: 0.25, inputSize: 32, numClasses: 1000 }, { init: 'zeros' });
    const dict = withFc.stateDict();
    withFc.dispose();
    const b = createBackbone({ name: 'resnet18', widthMultiplier: 0.25, inputSize: 32 }, { init: 'zeros' });
    const r = b.loadStateDict(dict);
    expect(r.skipped).toEqual(expect.arrayContaining(['fc.weight', 'fc.bias']));
    b.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('seeded initialisation', () => {
  it('the same seed builds the same weights, another seed other weights', async () => {
    await initTestBackend();
    const before = tf.memory().numTensors;
    const opts = { name: 'resnet18' as const, widthMultiplier: 0.125, inputSize: 32 };
    const a = createBackbone(opts, { seed: 7 });
    const b = createBackbone(opts, { seed: 7 });
    const c = createBackbone(opts, { seed: 8 });
    const flat = (m: typeof a) => m.model.getWeights().map((w) => Array.from(w.dataSync()));
    const [wa, wb, wc] = [flat(a), flat(b), flat(c)];
    expect(wa).toEqual(wb);
    expect(wa[0]).not.toEqual(wc[0]);
    // Layers draw from different seeds: two equally shaped kernels differ.
    const shapes = a.model.getWeights().map((w) => w.shape.join('x'));
    const twin = shapes.findIndex((s, i) => shapes.indexOf(s) !== i && a.model.getWeights()[i].shape.length === 4);
    expect(twin).toBeGreaterThan(0);
    expect(wa[twin]).not.toEqual(wa[shapes.indexOf(shapes[twin])]);
    expect(() => createBackbone(opts, { seed: Number.NaN })).toThrow(/seed/);
    for (const m of [a, b, c]) m.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
