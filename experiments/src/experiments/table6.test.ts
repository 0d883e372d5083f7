import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quickDir, runExp } from '../testing/quick.js';
import { table6, table6PaperConfigs } from './table6.js';

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
