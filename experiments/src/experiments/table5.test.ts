import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quickDir, runExp } from '../testing/quick.js';
import { TABLE5_METHODS } from '../paper.js';
import { rocAuc, type VideoScore } from '@caddm/metrics';
import type { ExperimentContext } from '../types.js';
import type { VariantResult } from '../protocol/train.js';
import { methodTestSets, otherMethodsAverage, otherMethodsScores, paperPlan, reading, table5, TABLE5_FFPP_METHODS, type Table5Row, type VideoKinds } from './table5.js';

const dir = quickDir('table5');

const ctx = (over: Partial<ExperimentContext> = {}): ExperimentContext => ({ profile: 'mini', quick: false, seed: 1, data: {}, outDir: dir, log: () => {}, ...over });

describe('table5 helpers', () => {
  it('averages the three off-diagonal cells (the paper\'s DF row: 68.19 binary, 70.42 ours)', () => {
    expect(otherMethodsAverage('DF', TABLE5_METHODS.rows[0].auc)).toBeCloseTo((75.05 + 49.13 + 80.39) / 3, 10);
    expect(otherMethodsAverage('NT', [1, 2, 3, 100])).toBe(2);
    expect(otherMethodsAverage('F2F', [1, 100, 3, 5])).toBe(3);
  });

  it('transcribes the paper: each Ours row\'s FF++ column is the mean of its four cells', () => {
    for (const r of TABLE5_METHODS.rows.filter((x) => x.model.startsWith('Ours'))) {
      expect((r.auc[0] + r.auc[1] + r.auc[2] + r.auc[3]) / 4).toBeCloseTo(r.auc[4], 1);
    }
  });

  it('draws each method\'s test set from one split: that method\'s fakes and every genuine video', () => {
    const kinds: VideoKinds = new Map<string, { label: 0 | 1; method: string }>([
      ['ffpp/original/000', { label: 0, method: 'original' }],
      ['ffpp/original/001', { label: 0, method: 'original' }],
      ...TABLE5_FFPP_METHODS.map((m): [string, { label: 0 | 1; method: string }] => [`ffpp/${m.folder}/000_001`, { label: 1, method: m.folder }]),
    ]);
    const sets = methodTestSets('/c', 'test', kinds, (s) => `FF++ ${s}`);
    expect(sets.map((t) => [t.name, t.cache, t.split, t.stands_for])).toEqual(TABLE5_FFPP_METHODS.map((m) => [m.short, '/c', 'test', `FF++ ${m.short}`]));
    for (const [i, t] of sets.entries()) {
      expect([...kinds.keys()].filter((id) => t.keep!(id))).toEqual(['ffpp/original/000', 'ffpp/original/001', `ffpp/${TABLE5_FFPP_METHODS[i].folder}/000_001`]);
      expect(t.keep!('ffpp/original/999')).toBe(false);
    }
    const noNt = new Map([...kinds].filter(([id]) => !id.includes('NeuralTextures')));
    expect(() => methodTestSets('/c', 'test', noNt, (s) => s)).toThrow("table5: the test split of /c has no NeuralTextures fakes or no genuine videos");
  });

  it('pools the other methods\' fakes with each genuine video once; that AUC is the mean of the three cells', () => {
    const r = rowsOf({ diag: 3, off: 0.4, own: 3, other: 1 }, { diag: 3, off: 0.9, own: 3, other: 1 }, 40)[2]; // F2F, binary
    const pooled = otherMethodsScores(r);
    expect(pooled.filter((v) => v.label === 0)).toHaveLength(40);
    expect(pooled.filter((v) => v.label === 1).map((v) => v.id.split('/')[1])).toEqual([...Array(40).fill('DF'), ...Array(40).fill('FS'), ...Array(40).fill('NT')]);
    expect(100 * aucOf(pooled)).toBeCloseTo(otherMethodsAverage('F2F', r.result.videoAuc.slice(1)), 10);
  });
});

/** A fixed jitter in [0, 1) for video `i`. */
const jitter = (i: number, salt: number) => (((i * 7 + salt) * 37) % 41) / 41;

function aucOf(videos: readonly VideoScore[]): number {
  return rocAuc(videos.map((v) => v.label), videos.map((v) => v.score));
}

/** A result whose test sets are `sets` (AUCs computed from their scores). */
function resultOf(sets: VideoScore[][], n: number): VariantResult {
  const videoAuc = sets.map((s) => 100 * aucOf(s));
  return { name: 'x', config: {} as VariantResult['config'], steps: 1, seconds: 1, trainSeconds: 1, videoAuc, frameAuc: videoAuc, videos: sets.map((s) => ({ fake: s.filter((v) => v.label === 1).length, real: n })), scores: sets };
}

/**
 * Synthetic rows: `n` genuine and `n` fake videos per method and per cross-dataset test set;
 * a fake scores its separation (`diag` on the model's own method, `off` on the others, `own` /
 * `other` for the cross-dataset rows) plus a fixed jitter, genuine videos the jitter alone.
 */
function rowsOf(binary: { diag: number; off: number; own: number; other: number }, ours: typeof binary, n: number): Table5Row[] {
  const reals = (salt: number) => Array.from({ length: n }, (_, i): VideoScore => ({ id: `real/${i}`, label: 0, score: jitter(i, salt), frames: 1 }));
  const fakes = (tag: string, sep: number, salt: number) => Array.from({ length: n }, (_, i): VideoScore => ({ id: `fake/${tag}/${i}`, label: 1, score: sep + jitter(i + n, salt), frames: 1 }));
  const rows: Table5Row[] = [];
  const salts = { binary: 0, ours: 5 };
  for (const [i, t] of ['DF', 'F2F', 'FS', 'NT'].entries()) {
    for (const [model, a] of [['binary', binary], ['ours', ours]] as const) {
      const r = reals(salts[model]);
      const perMethod = ['DF', 'F2F', 'FS', 'NT'].map((m, k) => fakes(m, k === i ? a.diag : a.off, salts[model] + k));
      rows.push({ train: t, model, result: resultOf([[...r, ...perMethod.flat()], ...perMethod.map((f) => [...r, ...f])], n) });
    }
  }
  for (const t of ['in-domain', 'cross']) {
    for (const [model, a] of [['binary', binary], ['ours', ours]] as const) {
      rows.push({ train: t, model, result: resultOf([[...reals(salts[model]), ...fakes('own', a.own, salts[model])], [...reals(salts[model] + 1), ...fakes('other', a.other, salts[model] + 1)]], n) });
    }
  }
  return rows;
}

describe('table5 reading', () => {
  it('reproduces both claims when both models learnt and ours generalises better beyond noise (paired DeLong)', () => {
    const text = reading(rowsOf({ diag: 3, off: 0.2, own: 3, other: 0.2 }, { diag: 3, off: 1.5, own: 3, other: 1.5 }, 40));
    expect(text).toContain('Every model separates its own test set beyond chance');
    expect(text).toContain('ours better beyond noise in 4 of the 4 row(s) where both models learnt their own method: reproduced there');
    expect(text.match(/the paper's claim is reproduced in this direction/g)).toHaveLength(2);
    expect(text).toMatch(/Trained on DF, other methods: ours [\d.]+ vs binary [\d.]+, difference \+[\d.]+ \[[\d.]+, [\d.]+\]: ours better beyond noise; the paper: \+2\.23\./);
  });

  it('calls ours worse where it is, and counts nothing from models at chance on their own test set', () => {
    const worse = reading(rowsOf({ diag: 3, off: 1.5, own: 3, other: 1.5 }, { diag: 3, off: 0.2, own: 3, other: 0.2 }, 40));
    expect(worse).toContain('ours better beyond noise in 0 of the 4 row(s) where both models learnt their own method: not shown');
    expect(worse.match(/the paper's claim is contradicted in this direction/g)).toHaveLength(2);
    const text = reading(rowsOf({ diag: 0, off: -1, own: 0, other: -1 }, { diag: 0, off: 1.5, own: 0, other: 1.5 }, 40));
    expect(text).toMatch(/At chance on their own test set \(DeLong 95% interval includes 50\): binary DF \([\d.]+\)/);
    expect(text).toContain('not testable here');
    expect(text.match(/not meaningful: a model/g)).toHaveLength(6);
    expect(text).not.toContain('reproduced');
  });

  it('calls a small difference on small test sets a tie', () => {
    const text = reading(rowsOf({ diag: 3, off: 0.3, own: 3, other: 0.3 }, { diag: 3, off: 0.4, own: 3, other: 0.4 }, 8));
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
    // Bottom cells: our AUC with its identity-cluster interval, beside the paper's.
    const iv = String.raw`(?:n/a|[\d.]+ \[[\d.]+, [\d.]+\])`;
    expect(md).toMatch(new RegExp(String.raw`\| in-domain \(~FF\+\+\) -> cross test part \(~DFDC-V2\) \| binary \(paper: ResNet-34\) \| ${iv} \(99\.88\) \| ${iv} \(48\.73\) \|`));
    expect(md).toMatch(new RegExp(String.raw`\| cross part \(~DFDC-V2\) -> in-domain test \(~FF\+\+\) \| ours \(paper: Ours\+ResNet-34\) \| ${iv} \(94\.85\) \| ${iv} \(77\.32\) \|`));
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
    const inDomain = raw.rows.find((r: { train: string; model: string }) => r.train === 'in-domain' && r.model === 'ours');
    expect(inDomain.result.videos[1]).toEqual({ real: 4, fake: 4 });
    // The in-domain rows are Table 2's baseline and full models, trained once in Table 2's run folders.
    expect(existsSync(join(dir, 'cache', 'runs', 'table2-mini-quick-bench2-seed1', 'baseline', 'train.jsonl'))).toBe(true);
    expect(existsSync(join(dir, 'cache', 'runs', 'table5-mini-quick-bench2-seed1', 'binary-in-domain'))).toBe(false);
    // Each per-method test set: that method's fakes and every genuine test video.
    const df = raw.rows.find((r: { train: string; model: string }) => r.train === 'DF' && r.model === 'binary');
    expect(df.result.videos.slice(1)).toEqual([1, 2, 3, 4].map(() => ({ fake: 4, real: 4 })));
    expect(df.result.videos[0]).toEqual({ fake: 16, real: 4 });
  }, 600_000);
});
