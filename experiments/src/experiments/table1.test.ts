import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quickDir, runExp } from '../testing/quick.js';
import { table1Reading, type InteractionRow } from './table1.js';

const dir = quickDir('table1');

const row = (test: string, auc: number, n: number): InteractionRow => ({
  test,
  interactionAuc: auc,
  scoreAuc: 90,
  localAuc: 80,
  frames: { fake: 5 * n, real: 5 * n },
  videos: { fake: n, real: n },
  meanInteraction: { fake: 0, real: 0 },
});

describe('table1 reading', () => {
  it('calls a clear in-dataset gain and cross-dataset loss consistent with the paper, and a small sample a tie', () => {
    const big = table1Reading([{ backbone: 'r18', rows: [row('in', 95, 200), row('cross', 20, 200)] }]);
    expect(big).toMatch(/in: I.*above chance.*consistent/);
    expect(big).toMatch(/cross: I.*below chance.*consistent/);
    expect(big).toContain('in-dataset above chance for 1 of 1');
    const small = table1Reading([{ backbone: 'r18', rows: [row('in', 60, 2), row('cross', 45, 2)] }]);
    expect(small).toMatch(/at chance within noise.*not reproduced/);
    expect(small).toContain('cross-dataset below chance for 0 of 1');
  });
});

describe('pnpm exp table1 --quick', () => {
  it('trains a tiny binary classifier, measures I([N]) in- and cross-dataset, and reports beside the paper', async () => {
    const code = await runExp(['table1', '--quick', '--out', join(dir, 'results')], dir);
    expect(code).toBe(0);
    const md = readFileSync(join(dir, 'results', 'table1-mini-quick.md'), 'utf8');
    expect(md).toContain('(81.53)'); // the paper's ResNet-18 in-dataset number beside ours
    expect(md).toContain('(46.88)');
    expect(md).toMatch(/## Reading[\s\S]*noise/);
    expect(existsSync(join(dir, 'results', 'table1-mini-quick.png'))).toBe(true);
    const raw = JSON.parse(readFileSync(join(dir, 'results', 'table1-mini-quick.json'), 'utf8'));
    const rows = raw.raw.results[0].rows;
    expect(rows).toHaveLength(2);
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
