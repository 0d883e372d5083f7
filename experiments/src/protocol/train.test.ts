import { BENCHMARK_VERSION } from '@caddm/datasets';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { deepMerge, PAPER, resolveConfig } from '@caddm/trainer';
import type { ExperimentContext } from '../types.js';
import { cacheRoot } from './data.js';
import { miniOverrides, variantConfig, variantRunDir, withSets } from './train.js';

const ctx = (over: Partial<ExperimentContext> = {}): ExperimentContext => ({ profile: 'mini', quick: false, seed: 3, data: {}, outDir: '/tmp', log: () => {}, ...over });
const train = { train: { cache: '/c/ffpp', root: '/d/ffpp', dataset: 'ffpp' as const } };
afterEach(() => {
  delete process.env.CADDM_CACHE;
});

describe('variantConfig', () => {
  it('mini without --set: exactly the mini profile, the mini budget and the experiment\'s overrides, as before --set existed', () => {
    for (const quick of [false, true]) {
      const c = ctx({ quick });
      const o = { ablation: { adm: false } };
      expect(variantConfig(c, train, o)).toEqual(resolveConfig(deepMerge(miniOverrides(c) as Record<string, unknown>, o), { profile: 'mini' }));
    }
  });

  it('applies --set last, over the experiment\'s own overrides, in both profiles', () => {
    const over = { 'model.backbone': 'resnet18', 'train.batch_size': 4, 'ablation.adm': true };
    for (const profile of ['mini', 'paper'] as const) {
      const c = variantConfig(ctx({ profile, overrides: over }), train, { model: { backbone: 'efficientnet-b3', width: 0.5 }, ablation: { adm: false } });
      expect(c.model).toMatchObject({ backbone: 'resnet18', width: 0.5 });
      expect(c.train.batch_size).toBe(4);
      expect(c.ablation.adm).toBe(true);
    }
  });

  it('paper: the paper profile with the data root, dataset and seed; ImageNet weights from --weights per backbone; no validation without a val split', () => {
    const c = variantConfig(ctx({ profile: 'paper', weights: '/w' }), train, { model: { backbone: 'efficientnet-b4' } });
    expect(c.profile).toBe('paper');
    expect(c.dataset).toMatchObject({ name: 'ffpp', root: '/d/ffpp' });
    expect(c.train).toMatchObject({ seed: 3, batch_size: 128, epoch_num: 200, batches_per_epoch: 512, eval_every: 1 });
    expect(c.model.pretrained).toBe(join('/w', 'efficientnet-b4.safetensors'));
    expect(variantConfig(ctx({ profile: 'paper', weights: 'none' }), train, {}).model.pretrained).toBeUndefined();
    expect(variantConfig(ctx({ profile: 'paper', weights: '/w', overrides: { 'model.pretrained': '/mine.safetensors' } }), train, {}).model.pretrained).toBe('/mine.safetensors');
    const dfdc = { train: { cache: '/c/dfdc', root: '/d/dfdc', dataset: 'dfdc' as const, hasVal: false } };
    expect(variantConfig(ctx({ profile: 'paper' }), dfdc, {}).train.eval_every).toBe(0);
    expect(variantConfig(ctx({ profile: 'paper' }), dfdc, {}).dataset.name).toBe('dfdc');
  });
});

describe('withSets', () => {
  it('merges dotted overrides without writing into the objects it was given (profiles, experiment constants)', () => {
    const before = JSON.stringify(PAPER);
    const input = { train: { seed: 1 } };
    const out = withSets(input, { 'train.batch_size': 2, 'model.width': 0.5 });
    expect(out).toEqual({ train: { seed: 1, batch_size: 2 }, model: { width: 0.5 } });
    expect(input).toEqual({ train: { seed: 1 } });
    resolveConfig(withSets({ dataset: { root: '/r' } }, { 'train.batch_size': 2 }), { profile: 'paper' });
    expect(JSON.stringify(PAPER)).toBe(before);
    expect(withSets(input, undefined)).toBe(input);
  });
});

describe('variantRunDir', () => {
  it('names mini run directories by benchmark version and seed, and gives paper or --set runs one per config', () => {
    process.env.CADDM_CACHE = '/cache';
    const config = variantConfig(ctx(), train, {});
    expect(variantRunDir(ctx(), 'table2', '+DA+MFS+ADM', config)).toBe(join(cacheRoot(), 'runs', `table2-mini-bench${BENCHMARK_VERSION}-seed3`, 'da-mfs-adm'));
    expect(variantRunDir(ctx({ quick: true }), 'table2', 'baseline', config)).toBe(join(cacheRoot(), 'runs', `table2-mini-quick-bench${BENCHMARK_VERSION}-seed3`, 'baseline'));
    const withSet = ctx({ overrides: { 'train.batch_size': 4 } });
    const a = variantRunDir(withSet, 'table2', 'baseline', variantConfig(withSet, train, {}));
    expect(a).toMatch(new RegExp(`table2-mini-bench${BENCHMARK_VERSION}-seed3/baseline-[0-9a-f]{10}$`));
    const p = ctx({ profile: 'paper' });
    const b = variantRunDir(p, 'table2', 'baseline', variantConfig(p, train, {}));
    const c = variantRunDir(p, 'table2', 'baseline', variantConfig(p, train, { ablation: { adm: false } }));
    expect(b).toMatch(/table2-paper-seed3\/baseline-[0-9a-f]{10}$/);
    expect(c).not.toBe(b);
    expect(variantRunDir(p, 'table2', 'baseline', variantConfig(p, train, {}))).toBe(b);
  });
});
