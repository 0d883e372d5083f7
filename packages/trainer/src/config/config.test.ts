import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REFERENCE_AUGMENT } from '@caddm/datasets';
import { loaderOptionsOf } from '../data/train-source.js';
import { ConfigError, learningRateAt, loadConfig, parseOverrides, resolveConfig } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'caddm-cfg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

// The authors' configs/caddm_train.cfg, key for key (values as released).
const REFERENCE_CFG = `
crop_face:
  face_width: 80
  output_size: 224
  scale: 0.9
adm_det:
  min_dim: 224
  aspect_ratios: [[1], [1], [1], [1]]
  feature_maps: [7, 5, 3, 1]
  steps: [32, 45, 75, 224]
  min_sizes: [40, 80, 120, 224]
  max_sizes: [80, 120, 160, 224]
  clip: True
  variance: [0.1]
  name: "deepfake"
sliding_win:
  prior_bbox: [[40, 80], [80, 120], [120, 160], [224, 224]]
det_loss:
  num_classes: 2
  overlap_thresh: 0.9
  prior_for_matching: True
  bkg_label: 0
  neg_mining: True
  neg_pos: 2
  neg_overlap: 0.5
  encode_target: False
  use_gpu: True
dataset:
  img_path: "./train_images"
  ld_path: "./train_images/ldm.json"
model:
  backbone: "resnet34"
  save_path: "./checkpoints"
train:
  batch_size: 128
  epoch_num: 200
`;

describe('loadConfig', () => {
  it("accepts the reference's own config file", () => {
    const c = loadConfig(file('ref.cfg', REFERENCE_CFG));
    expect(c.adm_det.feature_maps).toEqual([7, 5, 3, 1]);
    expect(c.train.batch_size).toBe(128);
    expect(c.det_loss.neg_pos).toBe(2);
    expect(c.det_loss.beta).toBe(0.1);
    expect(c.adm_det.variances).toEqual([0.1, 0.2]);
  });

  it('lists every problem: unknown keys, wrong types, impossible values', () => {
    const p = file(
      'bad.yaml',
      `train:\n  batchsize: 8\n  batch_size: -1\n  lr_schedule: [{ epoch: 3, lr: 0.1 }]\nmodel:\n  backbone: resnet-34\nsurprise: 1\n`,
    );
    let err: ConfigError | undefined;
    try {
      loadConfig(p);
    } catch (e) {
      err = e as ConfigError;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect(err?.message).toContain(p);
    const text = err?.problems.join('\n') ?? '';
    expect(text).toMatch(/train: unknown key 'batchsize'/);
    expect(text).toMatch(/train\.batch_size: .*got -1/);
    expect(text).toMatch(/train\.lr_schedule\.0\.epoch: the schedule must start at epoch 0/);
    expect(text).toMatch(/model\.backbone: .*got "resnet-34"/);
    expect(text).toMatch(/\(top level\): unknown key 'surprise'/);
  });

  it('names the line of a YAML syntax error', () => {
    const p = file('syntax.yaml', 'train:\n  batch_size: [1, 2\n');
    expect(() => loadConfig(p)).toThrow(/syntax\.yaml[\s\S]*line \d+, column \d+/);
  });

  it('reports an unreadable file by name', () => {
    expect(() => loadConfig(join(dir, 'missing.yaml'))).toThrow(/missing\.yaml[\s\S]*cannot read the file/);
  });

  it('checks consistency across sections', () => {
    expect(() => resolveConfig({ crop_face: { output_size: 112 } })).toThrow(
      /adm_det\.min_dim: anchors are laid out for 224 px but crop_face\.output_size is 112/,
    );
    expect(() => resolveConfig({ adm_det: { steps: [32, 45] } })).toThrow(/adm_det\.steps: has 2 entries but feature_maps has 4/);
    expect(() => resolveConfig({ dataset: { name: 'ffpp' } })).toThrow(/dataset\.root: dataset 'ffpp' needs a root/);
  });
});

describe('profiles', () => {
  it('paper = the paper: batch 128, 200 x 512, Adam 3.6e-4 -> 1e-4 @10 -> 5e-5 @20', () => {
    const c = resolveConfig({ dataset: { root: '/data/ffpp' } }, { profile: 'paper' });
    expect(c.train).toMatchObject({ batch_size: 128, epoch_num: 200, batches_per_epoch: 512, optimizer: 'adam', clip_grad_value: null });
    expect([0, 9, 10, 19, 20, 199].map((e) => learningRateAt(c, e))).toEqual([3.6e-4, 3.6e-4, 1e-4, 1e-4, 5e-5, 5e-5]);
    expect(c.crop_face.output_size).toBe(224);
  });
  it('paper-released = AdamW 4e-3, clip 2, LR steps at 4 and 10', () => {
    const c = resolveConfig({ dataset: { root: '/d' } }, { profile: 'paper-released' });
    expect(c.train).toMatchObject({ optimizer: 'adamw', weight_decay: 4e-3, clip_grad_value: 2 });
    expect([3, 4, 9, 10].map((e) => learningRateAt(c, e))).toEqual([3.6e-4, 1e-4, 1e-4, 5e-5]);
  });
  it('mini validates on its own and scales anchors with the input', () => {
    const c = resolveConfig({}, { profile: 'mini' });
    expect(c.crop_face.output_size).toBe(112);
    expect(c.adm_det.min_sizes.map((s, i) => s / c.adm_det.steps[i])).toEqual([40 / 32, 80 / 45, 120 / 75, 1]);
  });
  it('augment defaults to the reference (flip fixed), reaches the loader, and is off without DA', () => {
    const c = resolveConfig({ dataset: { root: '/d' } }, { profile: 'paper' });
    const o = loaderOptionsOf(c, '/cache');
    expect(o.augment).toEqual(REFERENCE_AUGMENT);
    expect(o.downscale).toBe(0.3);
    const custom = loaderOptionsOf(resolveConfig({ augment: { jpeg: 0.05, downscale: 0.1 } }), '/cache');
    expect([custom.augment?.jpeg, custom.augment?.gamma, custom.downscale]).toEqual([0.05, REFERENCE_AUGMENT.gamma, 0.1]);
    const off = loaderOptionsOf(resolveConfig({ ablation: { da: false } }), '/cache');
    expect(Object.values(off.augment ?? {}).every((p) => p === 0)).toBe(true);
    expect(off.downscale).toBe(0);
    expect(() => resolveConfig({ augment: { jpeg: 1.5 } })).toThrow(/augment\.jpeg/);
    expect(() => resolveConfig({ augment: { sharpen: 0.1 } } as never)).toThrow(/sharpen/);
  });
  it('rejects an unknown profile', () => {
    expect(() => resolveConfig({}, { profile: 'huge' })).toThrow(/unknown profile 'huge'/);
  });
  it('applies --set overrides last, parsed as YAML', () => {
    const o = parseOverrides(['train.batch_size=8', 'ablation.adm=false', 'model.width=0.5']);
    const c = resolveConfig({}, { profile: 'mini', overrides: o });
    expect([c.train.batch_size, c.ablation.adm, c.model.width]).toEqual([8, false, 0.5]);
    expect(() => parseOverrides(['nokey'])).toThrow(/KEY=VALUE/);
  });
  it('leaves the profiles untouched: overrides of one call do not leak into the next', () => {
    const before = resolveConfig({}, { profile: 'mini' });
    resolveConfig({}, { profile: 'mini', overrides: parseOverrides(['train.batch_size=7', 'model.width=0.5']) });
    const after = resolveConfig({}, { profile: 'mini' });
    expect([after.train.batch_size, after.model.width]).toEqual([before.train.batch_size, before.model.width]);
    expect(after.train.batch_size).not.toBe(7);
  });
});

describe('one cache root', () => {
  it('puts the default frames cache, the embedded benchmark and the runs under $CADDM_CACHE when it is set', async () => {
    const { cacheRoot } = await import('../data/cache-root.js');
    const before = process.env.CADDM_CACHE;
    try {
      delete process.env.CADDM_CACHE;
      expect(resolveConfig({}).dataset.cache).toBe(join('.cache', 'frames'));
      expect(cacheRoot()).toBe(join(process.cwd(), '.cache'));
      process.env.CADDM_CACHE = '/tmp/elsewhere';
      expect(resolveConfig({}).dataset.cache).toBe('/tmp/elsewhere/frames');
      expect(cacheRoot()).toBe('/tmp/elsewhere');
      // A config that names its cache keeps it.
      expect(resolveConfig({ dataset: { cache: 'mine' } }).dataset.cache).toBe('mine');
    } finally {
      if (before === undefined) delete process.env.CADDM_CACHE;
      else process.env.CADDM_CACHE = before;
    }
  });
});
