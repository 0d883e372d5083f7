import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { prepareEmbedded, type EmbeddedData } from '@caddm/trainer';
import { quickDir, runExp, TINY_PAPER_SETS } from '../testing/quick.js';

const dir = quickDir('paper');
let emb: EmbeddedData;

beforeAll(async () => {
  emb = await prepareEmbedded({ profile: 'tiny', seed: 1, root: join(dir, 'embedded'), progress: false, log: () => {} });
}, 300_000);

const runs = () => join(dir, 'cache', 'runs');

describe('pnpm exp <name> --profile paper (tiny data, shrunk by --set)', () => {
  it('table2: trains the five rows with the paper profile on caches given with --data and reports them beside the paper', async () => {
    const out = join(dir, 'results');
    const args = ['table2', '--profile', 'paper', '--data', `ffpp=${emb.cache}`, '--data', `celebdf=${emb.crossCache}`, '--data', `dfdc=${emb.crossCache}`, '--weights', 'none', ...TINY_PAPER_SETS, '--out', out];
    expect(await runExp(args, dir)).toBe(0);
    const md = readFileSync(join(out, 'table2-paper.md'), 'utf8');
    for (const row of ['baseline', '+MFS', '+DA', '+DA+MFS', '+DA+MFS+ADM']) expect(md).toContain(`| ${row} |`);
    expect(md).toContain('| in-dataset test (~FF++): ours (paper FF++) | Celeb-DF: ours (paper Celeb-DF) | DFDC-V2: ours (paper DFDC-V2) |');
    expect(md).toContain('(99.88)');
    expect(md).toMatch(/\| --set \| model\.backbone="resnet18", model\.width=0\.125, .*train\.batch_size=4/);
    expect(md).toContain('| backbone weights | none (trained from scratch) |');
    expect(md).toMatch(/## Reading[\s\S]*Models: resnet18 x0\.125 at 112 px, 1 epoch\(s\) x 2 batches of 4, trained from scratch/);
    const raw = JSON.parse(readFileSync(join(out, 'table2-paper.json'), 'utf8')).raw;
    expect(raw.results).toHaveLength(5);
    for (const r of raw.results) {
      expect(r.models).toHaveLength(1);
      expect(r.models[0].steps).toBe(2);
      expect(r.models[0].videoAuc).toHaveLength(3);
      for (const v of r.models[0].videoAuc) expect(v === null || (v >= 0 && v <= 100)).toBe(true);
    }
    // One run directory per row, named by its config; each config is the paper profile's with --set last.
    const dirs = readdirSync(join(runs(), 'table2-paper-seed1')).sort();
    expect(dirs).toHaveLength(5);
    for (const d of dirs) expect(d).toMatch(/^(baseline|mfs|da|da-mfs|da-mfs-adm)-[0-9a-f]{10}$/);
    const full = JSON.parse(readFileSync(join(runs(), 'table2-paper-seed1', dirs.find((d) => d.startsWith('da-mfs-adm'))!, 'config.json'), 'utf8'));
    expect(full).toMatchObject({ profile: 'paper', dataset: { name: 'ffpp', root: emb.cache, test_frames: 2 }, ablation: { da: true, mfs: true, adm: true } });
    expect(full.model).toMatchObject({ backbone: 'resnet18', width: 0.125 });
    expect(full.model.pretrained).toBeUndefined();
    expect(full.train).toMatchObject({ batch_size: 4, epoch_num: 1, batches_per_epoch: 2, optimizer: 'adam', seed: 1 });
    expect(full.train.lr_schedule[0].lr).toBe(3.6e-4);
  }, 600_000);

  it('fig6: reuses Table 2\'s model, preprocesses a raw --data root into the paper cache, and draws its rows', async () => {
    const out = join(dir, 'results');
    const args = ['fig6', '--profile', 'paper', '--data', `ffpp=${emb.cache}`, '--data', `celebdf=${emb.crossRoot}`, '--weights', 'none', ...TINY_PAPER_SETS, '--out', out];
    expect(await runExp(args, dir)).toBe(0);
    // The raw root was detected as such and preprocessed (with the run's frame count) into <cache>/paper/celebdf.
    const prep = join(dir, 'cache', 'paper', 'celebdf');
    expect(existsSync(join(prep, 'manifest.jsonl'))).toBe(true);
    expect(JSON.parse(readFileSync(join(prep, 'experiments-preprocess.json'), 'utf8'))).toEqual({ root: emb.crossRoot, frames: 4, splits: 'all', complete: true });
    // No new training: the full model is Table 2's last row.
    expect(readdirSync(runs())).toEqual(['table2-paper-seed1']);
    expect(readdirSync(join(runs(), 'table2-paper-seed1'))).toHaveLength(5);
    const md = readFileSync(join(out, 'fig6-paper.md'), 'utf8');
    expect(md).toMatch(/\| real \| real \|/);
    expect(md).toMatch(/\| real \(Celeb-DF\) \| real \|/);
    expect(existsSync(join(out, 'fig6-paper.png'))).toBe(true);
    expect(md).toMatch(/Data: FF\+\+ from .*; Celeb-DF from .* \(every video, \d+ videos\)/);
  }, 600_000);

  it('fig5: the t-SNE and probe backbones\' binary classifiers train in the identity group; CADDM is Table 2\'s full model when their configs coincide', async () => {
    const out = join(dir, 'results');
    const args = ['fig5', '--profile', 'paper', '--data', `ffpp=${emb.cache}`, '--data', `celebdf=${emb.crossCache}`, '--weights', 'none', ...TINY_PAPER_SETS, '--out', out];
    expect(await runExp(args, dir)).toBe(0);
    const identity = readdirSync(join(runs(), 'identity-paper-seed1')).sort();
    expect(identity.map((d) => d.replace(/-[0-9a-f]{10}$/, ''))).toEqual(['binary-efficientnet-b3-w1', 'binary-resnet34-w1']);
    expect(readdirSync(join(runs(), 'table2-paper-seed1'))).toHaveLength(5);
    const raw = JSON.parse(readFileSync(join(out, 'fig5-paper.json'), 'utf8')).raw;
    expect(raw.backbone).toEqual({ backbone: 'efficientnet-b3', width: 1 });
    expect(raw.probeBackbone).toEqual({ backbone: 'resnet34', width: 1 });
    expect(raw.panels.map((p: { model: string }) => p.model)).toEqual(['binary', 'binary', 'CADDM', 'CADDM']);
    // Per test set: each model's trained and untrained probes, and raw pixels once.
    expect(raw.probes.filter((p: { features: string }) => p.features === 'trained').map((p: { model: string }) => p.model)).toEqual(['binary', 'binary', 'CADDM', 'CADDM']);
    expect(raw.probes.filter((p: { features: string }) => p.features === 'raw pixels')).toHaveLength(2);
  }, 600_000);

  it('says everything that is missing at once, before touching any data', async () => {
    await expect(runExp(['table3', '--profile', 'paper', '--data', `ffpp=${emb.cache}`, '--out', join(dir, 'p')], dir)).rejects.toThrow(
      /table3 --profile paper cannot run; supply:\n {2}- --data celebdf=<path>: Celeb-DF v2.*\n {2}- --data dfdc=<path>: DFDC.*\n {2}- --weights <dir> holding the ImageNet weights resnet34\.safetensors, efficientnet-b3\.safetensors, efficientnet-b4\.safetensors/,
    );
  });
});
