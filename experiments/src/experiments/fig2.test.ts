import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProbeResult } from '@caddm/metrics';
import { quickDir, runExp } from '../testing/quick.js';
import { fig2Reading, type ProbeRun } from './fig2.js';

const dir = quickDir('fig2');

const run = (best: number, chance: number, testImages: number, identities: number): ProbeRun => ({
  model: 'm',
  set: 's',
  identities,
  trainImages: testImages,
  testImages,
  result: { epochs: [], trainAccuracy: [1], testAccuracy: [best / 2, best], loss: [1], classes: [], chance } as unknown as ProbeResult,
});

describe('fig2 reading', () => {
  it('says identity is decodable only beyond the binomial noise of chance', () => {
    expect(fig2Reading([run(0.9, 0.1, 100, 10)])).toContain('identity is linearly decodable');
    expect(fig2Reading([run(0.6, 0.5, 8, 2)])).toContain('not distinguishable from chance');
  });
});

describe('pnpm exp fig2 --quick', () => {
  it('probes the frozen features of a tiny binary classifier in- and cross-dataset and plots the curves', async () => {
    const code = await runExp(['fig2', '--quick', '--out', join(dir, 'results')], dir);
    expect(code).toBe(0);
    const md = readFileSync(join(dir, 'results', 'fig2-mini-quick.md'), 'utf8');
    expect(md).toMatch(/## Reading[\s\S]*chance/);
    expect(md).toContain('LFW panel is absent');
    expect(existsSync(join(dir, 'results', 'fig2-mini-quick-resnet18.png'))).toBe(true);
    const raw = JSON.parse(readFileSync(join(dir, 'results', 'fig2-mini-quick.json'), 'utf8'));
    expect(raw.raw.runs).toHaveLength(2);
    for (const r of raw.raw.runs) {
      expect(r.result.testAccuracy).toHaveLength(raw.raw.settings.epochs);
      expect(r.identities).toBeGreaterThanOrEqual(2);
      for (const a of [...r.result.trainAccuracy, ...r.result.testAccuracy]) expect(a >= 0 && a <= 1).toBe(true);
    }
  }, 300_000);

  it('--profile paper names the data it needs (FF++, Celeb-DF, an identity folder) and the weights of the paper\'s five backbones', async () => {
    const { fig2 } = await import('./fig2.js');
    await expect(fig2.run({ profile: 'paper', quick: false, seed: 1, data: {}, outDir: dir, log: () => {} })).rejects.toThrow(
      /--data ffpp=<path>: FaceForensics\+\+[^\n]*\n.*--data celebdf=<path>: Celeb-DF[^\n]*\n.*--data lfw=<path>: an identity folder[^\n]*\n.*ImageNet weights resnet18\.safetensors, resnet34\.safetensors, resnet50\.safetensors, xception\.safetensors, efficientnet-b3\.safetensors/,
    );
  });
});
