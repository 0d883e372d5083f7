import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quickDir, runExp } from '../testing/quick.js';
import { table1Reading, type InteractionRow } from './table1.js';

const dir = quickDir('table1');

const parts = (interaction: number, total: number, localSum: number) => ({ interaction, total, localSum });
const row = (test: string, auc: number, ci: [number, number], baseline: 'zeros' | 'blur' = 'zeros'): InteractionRow => ({
  test,
  baseline,
  interactionAuc: auc,
  interactionCi: ci,
  scoreAuc: 90,
  localAuc: 80,
  frames: { fake: 500, real: 500 },
  videos: { fake: 100, real: 100 },
  identities: 50,
  mean: { fake: parts(-150, 3, 153), real: parts(-160, -2, 158) },
});

describe('table1 reading', () => {
  it('judges each AUC by its identity-cluster interval against 50, in-dataset above and cross below being the paper\'s claim', () => {
    const clear = table1Reading([{ backbone: 'r18', rows: [row('in', 95, [90, 98]), row('cross', 20, [12, 30])] }]);
    expect(clear).toMatch(/r18, in: I\(\[N\]\) AUC 95\.00 \[90\.00, 98\.00\] is above chance; the paper expects above 50 here: consistent/);
    expect(clear).toMatch(/r18, cross: I.*is below chance.*consistent/);
    expect(clear).toContain('in-dataset above chance for 1 of 1');
    // An interval touching 50 is at chance, however far the estimate is.
    const edge = table1Reading([{ backbone: 'r18', rows: [row('in', 60, [49.9, 70]), row('cross', 45, [40, 50.1])] }]);
    expect(edge).toMatch(/in: I.*at chance.*not reproduced/);
    expect(edge).toContain('cross-dataset below chance for 0 of 1');
  });

  it('says whether the verdict survives the blurred baseline, and what the mean I([N]) is made of', () => {
    const same = table1Reading([{ backbone: 'r18', rows: [row('in', 95, [90, 98]), row('in', 80, [70, 88], 'blur')] }]);
    expect(same).toContain('With the blurred baseline: 80.00 [70.00, 88.00], above chance (the same verdict)');
    expect(same).toContain("Mean I([N]) of fakes -150.0: the summed single-unit scores Σ (153.0) outweigh the whole image's f(N) - f(∅) (3.0)");
    const flips = table1Reading([{ backbone: 'r18', rows: [row('in', 95, [90, 98]), row('in', 52, [45, 60], 'blur')] }]);
    expect(flips).toContain('at chance (the verdict depends on the baseline)');
  });

  it('says which sum sets the size of I([N]) only as far as the rows show it', () => {
    const big = (r: InteractionRow, total: number, localSum: number): InteractionRow => ({ ...r, mean: { ...r.mean, fake: parts(total - localSum, total, localSum) } });
    const all = table1Reading([{ backbone: 'r18', rows: [row('in', 95, [90, 98]), row('cross', 20, [12, 30])] }]);
    expect(all).toContain('Σ is the larger one for fakes in every (backbone, test set) pair here, so it sets the size of I');
    const none = table1Reading([{ backbone: 'r18', rows: [big(row('in', 95, [90, 98]), 200, 10), big(row('cross', 20, [12, 30]), -90, 5)] }]);
    expect(none).toContain('here f(N) - f(∅) is the larger one for fakes in every pair');
    const some = table1Reading([{ backbone: 'r18', rows: [big(row('in', 95, [90, 98]), 200, 10), row('cross', 20, [12, 30])] }]);
    expect(some).toContain('Σ is the larger one for fakes in 1 of 2 (backbone, test set) pairs');
  });
});

describe('pnpm exp table1 --quick', () => {
  it('trains a tiny binary classifier, measures I([N]) in- and cross-dataset, and reports beside the paper', async () => {
    const code = await runExp(['table1', '--quick', '--out', join(dir, 'results')], dir);
    expect(code).toBe(0);
    const md = readFileSync(join(dir, 'results', 'table1-mini-quick.md'), 'utf8');
    expect(md).toContain('(81.53)'); // the paper's ResNet-18 in-dataset number beside ours
    expect(md).toContain('(46.88)');
    expect(md).toMatch(/## Reading[\s\S]*identity-cluster|## Reading[\s\S]*chance/);
    expect(md).toContain('## Sensitivity: the same with a blurred-image baseline');
    expect(existsSync(join(dir, 'results', 'table1-mini-quick.png'))).toBe(true);
    const raw = JSON.parse(readFileSync(join(dir, 'results', 'table1-mini-quick.json'), 'utf8'));
    const rows = raw.raw.results[0].rows;
    // In-domain and cross test sets, each with the zero and the blurred baseline.
    expect(rows).toHaveLength(4);
    expect(rows.map((r: { baseline: string }) => r.baseline)).toEqual(['zeros', 'blur', 'zeros', 'blur']);
    for (const r of rows) {
      expect(r.interactionAuc).toBeGreaterThanOrEqual(0);
      expect(r.interactionAuc).toBeLessThanOrEqual(100);
      expect(r.frames.fake + r.frames.real).toBeGreaterThan(0);
    }
  }, 300_000);

  it('--profile paper names the data it needs (FF++, Celeb-DF) and the weights of the paper\'s five binary classifiers', async () => {
    const { table1 } = await import('./table1.js');
    const e = await table1.run({ profile: 'paper', quick: false, seed: 1, data: {}, outDir: dir, log: () => {} }).catch((x: Error) => x);
    expect((e as Error).message).toMatch(/--data ffpp=<path>[^\n]*\n.*--data celebdf=<path>[^\n]*\n.*ImageNet weights resnet18\.safetensors, resnet34\.safetensors, resnet50\.safetensors, xception\.safetensors, efficientnet-b3\.safetensors/);
    expect((e as Error).message).not.toContain('--data dfdc');
  });
});
