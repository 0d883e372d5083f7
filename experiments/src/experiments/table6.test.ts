import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quickDir, runExp } from '../testing/quick.js';
import { TABLE6 } from '../paper.js';
import type { VariantResult } from '../protocol/train.js';
import { reading, table6, table6PaperConfigs } from './table6.js';

const dir = quickDir('table6');

describe('pnpm exp table6 --quick', () => {
  it('trains SBI and SBI+ADM on self-blended real frames and reports both beside the paper, with config, plot and raw numbers', async () => {
    const code = await runExp(['table6', '--quick', '--out', join(dir, 'results')], dir);
    expect(code).toBe(0);
    const md = readFileSync(join(dir, 'results', 'table6-mini-quick.md'), 'utf8');
    expect(md).toMatch(/\| SBI \| [\d.]+ \(99\.64\) \|/);
    expect(md).toMatch(/\| SBI\+ADM \| [\d.]+ \(99\.33\) \|/);
    expect(md).toContain('(93.18)');
    expect(md).toContain('(94.15)');
    expect(md).toMatch(/\| wall time \| [\d.]+ s \|/);
    expect(md).toMatch(/\| seed \| 1 \|/);
    expect(md).toMatch(/resnet18 x0\.125, 112 px, synthesis sbi, ADM off/);
    expect(md).toMatch(/resnet18 x0\.125, 112 px, synthesis sbi, ADM on/);
    expect(md).toMatch(/## Reading[\s\S]*paired DeLong/);
    expect(existsSync(join(dir, 'results', 'table6-mini-quick.png'))).toBe(true);
    const raw = JSON.parse(readFileSync(join(dir, 'results', 'table6-mini-quick.json'), 'utf8'));
    expect(raw.raw.results).toHaveLength(2);
    expect(raw.raw.results.map((r: { adm: boolean }) => r.adm)).toEqual([false, true]);
    // Every cell of both tables is the raw result it reports (video AUC beside the paper's, then frame AUC).
    const lines = md.split('\n');
    raw.raw.results.forEach((r: { name: string; paperRow: keyof typeof TABLE6.rows; videoAuc: number[]; frameAuc: number[] }) => {
      const rowLines = lines.filter((l) => l.startsWith(`| ${r.name} |`)).map((l) => l.split(' | ').map((c) => c.replace(/^\| |\s\|$/g, '')));
      const fmt = (v: number) => (Number.isFinite(v) && v !== null ? v.toFixed(2) : 'n/a');
      r.videoAuc.forEach((v, k) => expect(rowLines[0][1 + k]).toBe(`${fmt(v)} (${TABLE6.rows[r.paperRow][k].toFixed(2)})`));
      r.frameAuc.forEach((v, k) => expect(rowLines[1][1 + k]).toBe(fmt(v)));
    });
    for (const r of raw.raw.results) {
      expect(r.config.dataset.synthesis).toBe('sbi');
      expect(r.videoAuc).toHaveLength(raw.raw.tests.length);
      expect(r.videoAuc.every((v: number) => v >= 0 && v <= 100)).toBe(true);
      expect(r.steps).toBe(6);
    }
  }, 600_000);
});

describe('table6 --profile paper', () => {
  it('has complete, valid configs (EfficientNet-b4, SBI data, with and without the ADM) and says what the run needs', async () => {
    const [sbi, adm] = table6PaperConfigs(3);
    for (const { config } of [sbi, adm]) {
      expect(config.model.backbone).toBe('efficientnet-b4');
      expect(config.model.width).toBe(1);
      expect(config.dataset.synthesis).toBe('sbi');
      expect(config.dataset.name).toBe('ffpp');
      expect(config.crop_face.output_size).toBe(224);
      expect(config.train.seed).toBe(3);
    }
    expect([sbi.config.ablation.adm, adm.config.ablation.adm]).toEqual([false, true]);
    const ctx = { profile: 'paper' as const, quick: false, seed: 1, data: {}, outDir: dir, log: () => undefined };
    await expect(table6.run(ctx)).rejects.toThrow(/--data ffpp=<path>[^\n]*\n.*--data celebdf=<path>[^\n]*\n.*--data dfdc=<path>[^\n]*\n.*ImageNet weights efficientnet-b4\.safetensors /);
  });
});

describe('table6 reading', () => {
  // 40 fake and 40 genuine videos; fakes score `sep` higher, plus a fixed jitter.
  const videos = (sep: number, salt: number) =>
    Array.from({ length: 80 }, (_, i) => ({ id: `v${i}`, label: (i < 40 ? 1 : 0) as 0 | 1, score: (i < 40 ? sep : 0) + (((i + salt) * 37) % 40) / 40, frames: 4 }));
  const model = (seps: number[], salt: number): VariantResult =>
    ({ name: 'x', steps: 1, seconds: 1, trainSeconds: 1, videoAuc: seps.map(() => 80), frameAuc: seps.map(() => 80), videos: seps.map(() => ({ fake: 40, real: 40 })), scores: seps.map((s) => videos(s, salt)), config: {} }) as unknown as VariantResult;
  const tests = ['in-dataset test', 'cross'];

  it('reproduces the claim only when the paired DeLong interval of SBI+ADM − SBI on the cross set lies above 0', () => {
    expect(reading([model([1, 0.1], 0), model([1, 1.5], 3)], tests)).toContain("The ADM improves cross-dataset AUC beyond noise: the paper's claim is reproduced");
    expect(reading([model([1, 1.5], 0), model([1, 0.1], 3)], tests)).toContain("The ADM is worse beyond noise: the paper's claim is contradicted");
    expect(reading([model([1, 0.5], 0), model([1, 0.5], 3)], tests)).toContain("Within noise: the paper's claim is not shown");
  });

  it('says the comparison means nothing when neither row beats chance in-dataset', () => {
    expect(reading([model([0, 1], 0), model([0, 1], 3)], tests)).toContain('Neither row beats chance in-dataset');
    expect(reading([model([1, 1], 0), model([0, 1], 3)], tests)).not.toContain('Neither row beats chance in-dataset');
  });

  it('says when only one row beats chance in-dataset, and which', () => {
    expect(reading([model([0, 1], 0), model([1, 1], 3)], tests)).toMatch(/Only SBI\+ADM beats chance in-dataset; SBI \([\d.]+\) does not/);
    expect(reading([model([1, 1], 0), model([0, 1], 3)], tests)).toMatch(/Only SBI beats chance in-dataset; SBI\+ADM \([\d.]+\) does not/);
    expect(reading([model([1, 1], 0), model([1, 1], 3)], tests)).not.toContain('Only ');
  });
});
