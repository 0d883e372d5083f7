import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quickDir, runExp } from '../testing/quick.js';
import { TABLE5_METHODS } from '../paper.js';
import { aucStandardError } from '../protocol/table.js';
import type { ExperimentContext } from '../types.js';
import { resolveConfig } from '@caddm/trainer';
import { miniOverrides, type VariantResult } from '../protocol/train.js';
import { averageNoise, otherMethodsAverage, paperPlan, reading, table5, table5Budget, TABLE5_MINI_SAMPLES, type Table5Row } from './table5.js';

const dir = quickDir('table5');

const ctx = (over: Partial<ExperimentContext> = {}): ExperimentContext => ({ profile: 'mini', quick: false, seed: 1, data: {}, outDir: dir, log: () => {}, ...over });

describe('table5 helpers', () => {
  it('averages the three off-diagonal cells (the paper\'s DF row: 68.19 binary, 70.42 ours)', () => {
    expect(otherMethodsAverage('DF', TABLE5_METHODS.rows[0].auc)).toBeCloseTo((75.05 + 49.13 + 80.39) / 3, 10);
    expect(otherMethodsAverage('NT', [1, 2, 3, 100])).toBe(2);
    expect(otherMethodsAverage('F2F', [1, 100, 3, 5])).toBe(3);
  });

  it('bounds the noise of an average by the mean standard error, and widens it for smaller test sets', () => {
    const counts = [{ fake: 8, real: 8 }, { fake: 8, real: 8 }, { fake: 8, real: 8 }];
    const n = averageNoise([70, 70, 70], [60, 60, 60], counts);
    expect(n).toBeCloseTo(2 * Math.hypot(aucStandardError(70, 8, 8), aucStandardError(60, 8, 8)), 10);
    expect(averageNoise([70, 70, 70], [60, 60, 60], counts.map(() => ({ fake: 80, real: 80 })))).toBeLessThan(n / 2);
  });

  it('shortens mini epochs to about the table5 sample budget and leaves quick alone', () => {
    const mini = table5Budget(ctx());
    const epochs = mini.steps / (mini.overrides.train?.batches_per_epoch ?? Number.NaN);
    expect(Number.isInteger(epochs)).toBe(true);
    expect(mini.steps).toBeLessThan(mini.profileSteps);
    // Within half a step per epoch of the sample budget, whatever the mini profile's batch size.
    const bs = resolveConfig(miniOverrides(ctx()), { profile: 'mini' }).train.batch_size;
    expect(Math.abs(mini.steps * bs - TABLE5_MINI_SAMPLES)).toBeLessThanOrEqual((epochs * bs) / 2);
    expect(table5Budget(ctx({ quick: true })).overrides).toEqual({});
  });

  it('transcribes the paper: each Ours row\'s FF++ column is the mean of its four cells', () => {
    for (const r of TABLE5_METHODS.rows.filter((x) => x.model.startsWith('Ours'))) {
      expect((r.auc[0] + r.auc[1] + r.auc[2] + r.auc[3]) / 4).toBeCloseTo(r.auc[4], 1);
    }
  });
});

/** Synthetic rows: per-method AUCs for the cross-method rows, [own, other] for the cross-dataset rows; `n` videos per class per test set. */
function rowsOf(binary: { diag: number; off: number; own: number; other: number }, ours: typeof binary, n: number): Table5Row[] {
  const res = (videoAuc: number[]): VariantResult => ({ name: 'x', config: {} as VariantResult['config'], steps: 1, seconds: 1, trainSeconds: 1, videoAuc, frameAuc: videoAuc, videos: videoAuc.map(() => ({ fake: n, real: n })), scores: [] });
  const rows: Table5Row[] = [];
  for (const [i, t] of ['DF', 'F2F', 'FS', 'NT'].entries()) {
    for (const [model, a] of [['binary', binary], ['ours', ours]] as const) {
      rows.push({ train: t, model, result: res([60, ...[0, 1, 2, 3].map((k) => (k === i ? a.diag : a.off))]) });
    }
  }
  for (const t of ['in-domain', 'cross']) for (const [model, a] of [['binary', binary], ['ours', ours]] as const) rows.push({ train: t, model, result: res([a.own, a.other]) });
  return rows;
}

describe('table5 reading', () => {
  it('reproduces both claims when both models learnt and ours generalises better beyond noise', () => {
    const text = reading(rowsOf({ diag: 99, off: 60, own: 99, other: 55 }, { diag: 99, off: 85, own: 99, other: 80 }, 200));
    expect(text).toContain('Every model separates its own test set beyond chance');
    expect(text).toContain('ours better beyond noise in 4 of the 4 row(s) where both models learnt their own method: reproduced there');
    expect(text.match(/the paper's claim is reproduced in this direction/g)).toHaveLength(2);
  });

  it('counts nothing from models at chance on their own test set, however their other cells look', () => {
    const text = reading(rowsOf({ diag: 50, off: 30, own: 50, other: 30 }, { diag: 52, off: 95, own: 50, other: 95 }, 200));
    expect(text).toMatch(/Within noise of chance on their own test set: binary DF \(50\.00\)/);
    expect(text).toContain('not testable here');
    expect(text.match(/not meaningful: a model/g)).toHaveLength(6);
    expect(text).not.toContain('reproduced');
  });

  it('calls a small difference on small test sets a tie', () => {
    const text = reading(rowsOf({ diag: 99, off: 60, own: 99, other: 55 }, { diag: 99, off: 66, own: 99, other: 61 }, 8));
    expect(text).toContain('ours better beyond noise in 0 of the 4 row(s)');
    expect(text.match(/within noise: the paper's claim is not shown/g)).toHaveLength(2);
  });
});

describe('table5 --profile paper', () => {
  it('is config-complete: per-method Xception runs on FF++, ResNet-34 / EfficientNet-b3 on FF++ and DFDC-V2', () => {
    const plan = paperPlan(ctx({ profile: 'paper', data: { ffpp: '/d/ffpp', dfdc: '/d/dfdc' } }));
    expect(plan).toHaveLength(16);
    const df = plan.find((r) => r.name === 'binary xception DF')!;
    expect(df.config.dataset).toMatchObject({ name: 'ffpp', root: '/d/ffpp', compression: 'c23', methods: ['Deepfakes'] });
    expect(df.config.ablation).toMatchObject({ adm: false, mfs: false, da: false });
    expect(df.config.train.batch_size).toBe(128);
    const ours = plan.find((r) => r.name === 'ours efficientnet-b3 DFDC-V2')!;
    expect(ours.config.dataset).toMatchObject({ name: 'dfdc', root: '/d/dfdc' });
    expect(ours.config.ablation).toMatchObject({ adm: true, mfs: true, da: true });
    expect(ours.tests).toEqual(['DFDC-V2 test', 'FF++ test']);
  });

  it('applies --set last and ImageNet weights per backbone from --weights', () => {
    const plan = paperPlan(ctx({ profile: 'paper', data: { ffpp: '/d/ffpp', dfdc: '/d/dfdc' }, weights: '/w', overrides: { 'train.batch_size': 32 } }));
    expect(plan.every((r) => r.config.train.batch_size === 32)).toBe(true);
    expect(plan.find((r) => r.name === 'ours xception NT')!.config.model.pretrained).toBe(join('/w', 'xception.safetensors'));
    expect(plan.find((r) => r.name === 'binary efficientnet-b3 FF++')!.config.model.pretrained).toBe(join('/w', 'efficientnet-b3.safetensors'));
  });

  it('names the missing dataset roots and weights (FF++ and DFDC-V2, not Celeb-DF), and a root that is not there', async () => {
    expect(() => paperPlan(ctx({ profile: 'paper', data: { ffpp: '/d' } }))).toThrow(/--data dfdc=<root>/);
    const e = await table5.run(ctx({ profile: 'paper' })).catch((x: Error) => x);
    expect((e as Error).message).toMatch(/table5 --profile paper cannot run; supply:\n {2}- --data ffpp=<path>[^\n]*\n {2}- --data dfdc=<path>[^\n]*\n {2}- --weights <dir> holding the ImageNet weights xception\.safetensors, resnet34\.safetensors, efficientnet-b3\.safetensors /);
    await expect(table5.run(ctx({ profile: 'paper', weights: 'none', data: { ffpp: '/d/ffpp', dfdc: dir } }))).rejects.toThrow(/--data ffpp=\/d\/ffpp does not exist/);
  });
});

describe('pnpm exp table5 --quick', () => {
  it('trains binary and ours per method and per tree on the tiny benchmark; report beside the paper, plot, raw numbers', async () => {
    const code = await runExp(['table5', '--quick', '--out', join(dir, 'results')], dir);
    expect(code).toBe(0);
    const md = readFileSync(join(dir, 'results', 'table5-mini-quick.md'), 'utf8');
    for (const t of ['DF', 'F2F', 'FS', 'NT']) {
      expect(md).toMatch(new RegExp(`\\| ${t} \\| binary \\(paper: Xception\\) \\|`));
      expect(md).toMatch(new RegExp(`\\| ${t} \\| ours \\(paper: Ours\\+Xception\\) \\|`));
    }
    expect(md).toContain('**'); // diagonal
    expect(md).toContain('(99.38)'); // the paper's DF/DF Xception cell beside ours
    expect(md).toContain('(68.19)'); // the paper's DF "others" average, computed from its cells
    expect(md).toContain('(96.04)'); // the paper's FF++ column, NT ours
    expect(md).toMatch(/\| in-domain \(~FF\+\+\) -> cross test part \(~DFDC-V2\) \| binary \(paper: ResNet-34\) \| [\d.n/a]+ \(99\.88\) \| [\d.n/a]+ \(48\.73\) \|/);
    expect(md).toMatch(/\| cross part \(~DFDC-V2\) -> in-domain test \(~FF\+\+\) \| ours \(paper: Ours\+ResNet-34\) \| [\d.n/a]+ \(94\.85\) \| [\d.n/a]+ \(77\.32\) \|/);
    expect(md).toMatch(/## Reading[\s\S]*noise/);
    expect(md).toMatch(/\| wall time \| [\d.]+ s \|/);
    expect(existsSync(join(dir, 'results', 'table5-mini-quick.png'))).toBe(true);
    const raw = JSON.parse(readFileSync(join(dir, 'results', 'table5-mini-quick.json'), 'utf8')).raw;
    expect(raw.rows).toHaveLength(12);
    for (const r of raw.rows) {
      expect(r.result.videoAuc).toHaveLength(r.train === 'in-domain' || r.train === 'cross' ? 2 : 5);
      for (const v of r.result.videoAuc) expect(v === null || (v >= 0 && v <= 100)).toBe(true);
    }
    // The tiny cross tree (two pairs of persons, two videos each) is dealt one pair of persons to training, one to testing.
    expect(raw.views.crossSplit).toEqual({ train: { real: 4, fake: 4 }, test: { real: 4, fake: 4 } });
    expect(raw.views.crossTest).toEqual({ test: { real: 4, fake: 4 } });
    // Each per-method test set: that method's fakes and every genuine test video.
    const df = raw.rows.find((r: { train: string; model: string }) => r.train === 'DF' && r.model === 'binary');
    expect(df.result.videos.slice(1)).toEqual([1, 2, 3, 4].map(() => ({ fake: 4, real: 4 })));
    expect(df.result.videos[0]).toEqual({ fake: 16, real: 4 });
  }, 600_000);
});
