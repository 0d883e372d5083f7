import { mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '@caddm/tf';
import { createBackbone, serializeSafetensors, WeightImportError } from '@caddm/backbones';
import {
  BaselineModel,
  CaddmConfigError,
  CaddmModel,
  attachAdm,
  createBaseline,
  createCaddm,
  loadModel,
  readStateDict,
  saveModel,
  wrapLayersModel,
  writeStateDict,
  type DeepfakeModel,
} from './index.js';
import { initTestBackend } from './testing/shared.js';

const MICRO = { backbone: 'resnet18', inputSize: 112, widthMultiplier: 0.0625, outputStride: 16 } as const;
const EFF = { backbone: 'efficientnet-b0', inputSize: 112, widthMultiplier: 0.125, outputStride: 16 } as const;

let root: string;
beforeAll(async () => {
  await initTestBackend();
  root = mkdtempSync(join(tmpdir(), 'caddm-adm-io-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function sameBits(a: tf.Tensor, b: tf.Tensor): boolean {
  const x = new Uint32Array((a.dataSync() as Float32Array).buffer);
  const y = new Uint32Array((b.dataSync() as Float32Array).buffer);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/** Perturbs every weight (BN statistics included) so a round trip cannot pass by accident. */
function randomise(m: DeepfakeModel): void {
  for (const l of m.model.layers) {
    const ws = l.getWeights().map((w) => tf.randomUniform(w.shape, 0.5, 1.5));
    if (ws.length) l.setWeights(ws);
    tf.dispose(ws);
  }
}

function expectSameModel(a: DeepfakeModel, b: DeepfakeModel, x: tf.Tensor4D): void {
  const wa = a.model.getWeights();
  const wb = b.model.getWeights();
  expect(wb.length).toBe(wa.length);
  expect(wa.map((_, i) => i).filter((i) => !sameBits(wa[i], wb[i])).map((i) => a.model.weights[i].name)).toEqual([]);
  const pa = a.predict(x);
  const pb = b.predict(x);
  expect(sameBits(pa, pb)).toBe(true);
  tf.dispose([pa, pb]);
}

describe('saveModel / loadModel (tfjs layers format, Node fs, no tfjs-node)', () => {
  it('round-trips a CADDM model bit-exactly through model.json + several shards', async () => {
    const before = tf.memory().numTensors;
    const m = createCaddm(EFF);
    randomise(m);
    const dir = join(root, 'caddm');
    const files = await saveModel(m, dir, { shardBytes: 128 * 1024 });
    expect(files[0]).toBe('model.json');
    expect(files.length).toBeGreaterThan(2);
    expect(readdirSync(dir).sort()).toEqual([...files].sort());
    // The standard format a browser's tf.loadLayersModel reads.
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(json.format).toBe('layers-model');
    expect(json.modelTopology.class_name).toBe('Model');
    expect(json.weightsManifest[0].paths).toEqual(files.slice(1));
    expect(json.userDefinedMetadata.caddm.kind).toBe('caddm');
    // Only standard tfjs layer classes are used.
    const classes = new Set<string>(json.modelTopology.config.layers.map((l: { class_name: string }) => l.class_name));
    const standard = ['InputLayer', 'Conv2D', 'DepthwiseConv2D', 'BatchNormalization', 'Activation', 'ZeroPadding2D', 'Add', 'Multiply', 'GlobalAveragePooling2D', 'Reshape', 'Dropout', 'Dense', 'Concatenate'];
    expect([...classes].filter((c) => !standard.includes(c))).toEqual([]);

    const back = await loadModel(dir);
    expect(back).toBeInstanceOf(CaddmModel);
    expect(back.config).toEqual(m.config);
    expect((back as CaddmModel).featureMapSizes).toEqual([7, 5, 3, 1]);
    const x = tf.randomUniform([2, 112, 112, 3]) as tf.Tensor4D;
    expectSameModel(m, back, x);
    const o = (back as CaddmModel).apply(x, { training: true });
    expect(o.loc.shape).toEqual([2, 168, 4]);
    tf.dispose([x, o.loc, o.conf, o.logits]);
    m.dispose();
    back.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('round-trips the baseline and a plug-in model on one of our backbones', async () => {
    const before = tf.memory().numTensors;
    const x = tf.randomUniform([1, 112, 112, 3]) as tf.Tensor4D;
    const b = createBaseline(MICRO);
    randomise(b);
    await saveModel(b, join(root, 'baseline'));
    const b2 = await loadModel(join(root, 'baseline'));
    expect(b2).toBeInstanceOf(BaselineModel);
    expectSameModel(b, b2, x);
    b.dispose();
    b2.dispose();

    const p = attachAdm(createBackbone({ name: 'resnet18', inputSize: 112, widthMultiplier: 0.0625, outputStride: 16 }));
    randomise(p);
    await saveModel(p, join(root, 'plugin'));
    const p2 = await loadModel(join(root, 'plugin'));
    expect(p2.config).toBeNull();
    expect(p2.info.pluginBackbone?.name).toBe('resnet18');
    expect(p2.layers.length).toBe(p.layers.length);
    expectSameModel(p, p2, x);
    p.dispose();
    p2.dispose();
    x.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('fails clearly on missing or truncated shards and on foreign or inconsistent model.json', async () => {
    const before = tf.memory().numTensors;
    const m = createCaddm(MICRO, { init: 'zeros' });
    const dir = join(root, 'broken');
    const files = await saveModel(m, dir, { shardBytes: 64 * 1024 });
    m.dispose();
    const jsonPath = join(dir, 'model.json');
    const original = readFileSync(jsonPath, 'utf8');

    await expect(loadModel(join(root, 'nowhere'))).rejects.toThrow(/cannot read .*model\.json/);
    truncateSync(join(dir, files[1]), 100);
    await expect(loadModel(dir)).rejects.toThrow(/hold \d+ bytes but the manifest needs \d+/);
    unlinkSync(join(dir, files[1]));
    await expect(loadModel(dir)).rejects.toThrow(new RegExp(`shard '${files[1]}' listed in .* cannot be read`));

    const again = createCaddm(MICRO, { init: 'zeros' });
    await saveModel(again, dir, { shardBytes: 64 * 1024 });
    again.dispose();
    const json = JSON.parse(original);
    delete json.userDefinedMetadata;
    writeFileSync(jsonPath, JSON.stringify(json));
    await expect(loadModel(dir)).rejects.toThrow(/no CADDM metadata/);
    const lying = JSON.parse(original);
    lying.userDefinedMetadata.caddm.config.channels = 64;
    lying.userDefinedMetadata.caddm.config.backbone.widthMultiplier = 0.125;
    writeFileSync(jsonPath, JSON.stringify(lying));
    await expect(loadModel(dir)).rejects.toThrow(/does not match its CADDM metadata \(\d+ problem\(s\)\):\n  layer 'base_model\.conv1' weight 'kernel' is \[7, 7, 3, 4\], expected \[7, 7, 3, 8\]/);
    writeFileSync(jsonPath, JSON.stringify({ hello: 1 }));
    await expect(loadModel(dir)).rejects.toThrow(CaddmConfigError);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('wrapLayersModel wraps a model loaded by plain tf.loadLayersModel (as in a browser)', async () => {
    const before = tf.memory().numTensors;
    const m = createCaddm(MICRO);
    let artifacts: tf.io.ModelArtifacts | undefined;
    m.model.setUserDefinedMetadata({ caddm: { format: 1, kind: 'caddm', config: m.config, channels: 32, pluginBackbone: null } });
    await m.model.save(tf.io.withSaveHandler(async (a) => ((artifacts = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
    const plain = await tf.loadLayersModel(tf.io.fromMemory(artifacts!));
    const wrapped = wrapLayersModel(plain);
    expect(wrapped).toBeInstanceOf(CaddmModel);
    const x = tf.randomUniform([1, 112, 112, 3]) as tf.Tensor4D;
    expectSameModel(m, wrapped, x);
    x.dispose();
    m.dispose();
    wrapped.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('PyTorch state dicts (reference key names, .safetensors)', () => {
  it('writeStateDict / readStateDict / loadStateDict round-trip bit-exactly; DataParallel prefixes are stripped', async () => {
    const before = tf.memory().numTensors;
    const a = createCaddm(MICRO);
    randomise(a);
    const file = join(root, 'caddm.safetensors');
    await writeStateDict(a, file);
    const dict = await readStateDict(file);
    expect(dict.has('base_model.conv1.weight')).toBe(true);
    expect(dict.has('adm.adm_extra_layers.3.downsample.bias')).toBe(true);
    expect(dict.get('fc.weight')!.shape).toEqual([2, 32]);
    const b = createCaddm(MICRO, { init: 'zeros' });
    b.loadStateDict(new Map([...dict].map(([k, v]) => [`module.${k}`, v])));
    const x = tf.randomUniform([1, 112, 112, 3]) as tf.Tensor4D;
    expectSameModel(a, b, x);
    x.dispose();
    a.dispose();
    b.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("loadStateDict takes the authors' layout as it is: the unused ImageNet classifier is skipped and reported, anything else unused is still an error", async () => {
    const before = tf.memory().numTensors;
    const a = createCaddm(MICRO);
    randomise(a);
    const file = join(root, 'authors.safetensors');
    await writeStateDict(a, file);
    const dict = await readStateDict(file);
    const c = dict.get('fc.weight')!.shape[1];
    const head = (shape: number[]) => ({ dtype: 'F32' as const, shape, data: new Uint8Array(4 * shape.reduce((p, d) => p * d, 1)) });
    const authors = new Map([...dict].map(([k, v]) => [`module.${k}`, v]));
    authors.set('module.base_model.fc.weight', head([1000, c]));
    authors.set('module.base_model.fc.bias', head([1000]));
    const b = createCaddm(MICRO, { init: 'zeros' });
    const r = b.loadStateDict(authors);
    expect(r.skipped).toEqual(expect.arrayContaining(['base_model.fc.weight', 'base_model.fc.bias']));
    const x = tf.randomUniform([1, 112, 112, 3]) as tf.Tensor4D;
    expectSameModel(a, b, x);
    // An EfficientNet-style head is skipped the same way; a stray key is not.
    const effi = new Map(dict);
    effi.set('base_model._fc.weight', head([1000, c]));
    expect(b.loadStateDict(effi).skipped).toContain('base_model._fc.weight');
    const stray = new Map(dict);
    stray.set('adm.extra.weight', head([2, 2]));
    expect(() => b.loadStateDict(stray)).toThrow(/unexpected key 'adm\.extra\.weight'/);
    x.dispose();
    a.dispose();
    b.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('loadBackboneStateDict puts ImageNet-style weights (no prefix, with classifier) into base_model only', () => {
    const before = tf.memory().numTensors;
    const bb = createBackbone({ name: 'resnet18', inputSize: 112, widthMultiplier: 0.0625, outputStride: 16, numClasses: 1000 });
    const imagenet = bb.stateDict();
    const m = createCaddm(MICRO, { init: 'zeros' });
    const fcBefore = Float32Array.from(m.model.getLayer('fc').getWeights()[0].dataSync());
    const r = m.loadBackboneStateDict(imagenet);
    expect(r.skipped).toEqual(expect.arrayContaining(['base_model.fc.weight', 'base_model.fc.bias']));
    expect(sameBits(m.model.getLayer('base_model.layer3.1.conv2').getWeights()[0], bb.model.getLayer('layer3.1.conv2').getWeights()[0])).toBe(true);
    expect(Array.from(m.model.getLayer('fc').getWeights()[0].dataSync())).toEqual(Array.from(fcBefore));
    // A checkpoint for another architecture is refused with every problem listed.
    const wrong = createBackbone({ name: 'resnet34', inputSize: 112, widthMultiplier: 0.0625, outputStride: 16 }, { init: 'zeros' });
    expect(() => m.loadBackboneStateDict(wrong.stateDict())).toThrow(WeightImportError);
    let err: WeightImportError | undefined;
    try {
      m.loadBackboneStateDict(wrong.stateDict());
    } catch (e) {
      err = e as WeightImportError;
    }
    expect(err!.problems).toContain("unexpected key 'base_model.layer3.5.conv1.weight' (shape [16, 16, 3, 3]) matches no layer");
    expect(err!.problems.every((p) => p.startsWith('unexpected key'))).toBe(true);
    wrong.dispose();
    bb.dispose();
    m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("reads torch.save files: the authors' checkpoint dict gives its 'network' entry and says so", async () => {
    const fixtures = fileURLToPath(new URL('../../backbones/src/__fixtures__/torch/', import.meta.url));
    const lines: string[] = [];
    const dict = await readStateDict(join(fixtures, 'epoch_3.pkl'), { log: (l) => lines.push(l) });
    const twin = await readStateDict(join(fixtures, 'epoch_3.safetensors'));
    expect([...dict.keys()]).toEqual([...twin.keys()]);
    expect(dict.get('module.0.weight')!.data).toEqual(twin.get('module.0.weight')!.data);
    expect(lines).toEqual([
      `${join(fixtures, 'epoch_3.pkl')}: torch.save checkpoint, state dict from 'network' (9 tensors; also holds 'opt_state', 'epoch')`,
    ]);
    await expect(readStateDict(join(fixtures, 'hostile/os-system.pt'))).rejects.toThrow(/global os\.system, which is not allowed/);
  });

  it('a corrupt .safetensors file is reported as such', async () => {
    const file = join(root, 'bad.safetensors');
    const good = serializeSafetensors({ w: { dtype: 'F32', shape: [4], data: new Float32Array(4) } });
    writeFileSync(file, good.subarray(0, good.length - 4));
    await expect(readStateDict(file)).rejects.toThrow(/safetensors: tensor 'w': data_offsets \[0, 16\] run past/);
  });
});
