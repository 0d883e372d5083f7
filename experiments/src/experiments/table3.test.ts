import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../cli.js';
import { quickDir, runExp } from '../testing/quick.js';
import type { VariantResult } from '../protocol/train.js';
import { backbones, reading } from './table3.js';

const dir = quickDir('table3');

describe('pnpm exp table3 --quick', () => {
  it('trains our model with two tiny backbones, in- and cross-dataset, beside the paper with its SOTA rows quoted', async () => {
    const code = await runExp(['table3', '--quick', '--out', join(dir, 'results')], dir);
    expect(code).toBe(0);
    const md = readFileSync(join(dir, 'results', 'table3-mini-quick.md'), 'utf8');
    expect(md).toContain('| SBI (paper) | Efficient-b4 | 99.64 | 93.18 |'); // quoted, not measured
    expect(md).toContain('| Ours (this run) | EfficientNet-b0 (1/8 width) |');
    expect(md).toMatch(/## Reading[\s\S]*paired DeLong/);
    expect(existsSync(join(dir, 'results', 'table3-mini-quick.png'))).toBe(true);
    const doc = JSON.parse(readFileSync(join(dir, 'results', 'table3-mini-quick.json'), 'utf8'));
    // Every model behind the numbers, with its resolved config, and their hash in the header.
    expect(doc.meta.models.map((m: { config: { model: { backbone: string } } }) => m.config.model.backbone)).toEqual(['resnet18', 'efficientnet-b0']);
    expect(doc.meta.models[0].runDir).toMatch(/table2-mini-quick-bench2-seed1/);
    expect(md).toContain(`| config hash | ${doc.meta.configHash} |`);
    expect(doc.meta.configHash).toMatch(/^[0-9a-f]{12}$/);
    const raw = doc.raw;
    expect(raw.rows).toHaveLength(2);
    expect(raw.rows[1].model.backbone).toBe('efficientnet-b0');
    expect(raw.tests).toEqual(['in-dataset', 'Embedded-cross (~Celeb-DF)', 'Embedded-cross-similar (~Celeb-DF)']);
    // Cells: AUC with its identity-cluster interval beside the paper's; the shared model's training time from its log.
    expect(md).toMatch(/\| Ours \(this run\) \| ResNet-18 \(1\/8 width\) \| (?:n\/a|[\d.]+ \[[\d.]+, [\d.]+\]) \(-\) \| .* \| \d+ \| \d+\* \|/);
    for (const r of raw.rows) {
      expect(Number.isFinite(r.result.trainSeconds)).toBe(true);
      expect(r.result.videoAuc).toHaveLength(3); // in-dataset, cross-dataset with random and with similar donors
      for (const v of r.result.videoAuc) expect(v >= 0 && v <= 100).toBe(true);
    }
  }, 600_000);

  it('--profile paper says which real data and weights it needs', async () => {
    await expect(main(['table3', '--profile', 'paper', '--out', join(dir, 'p')], dir)).rejects.toThrow(
      /--data ffpp=<path>[^\n]*\n.*--data celebdf=<path>[^\n]*\n.*--data dfdc=<path>[^\n]*\n.*ImageNet weights resnet34\.safetensors, efficientnet-b3\.safetensors, efficientnet-b4\.safetensors/,
    );
  });
  it('reading: names the rows that stayed at chance in-dataset instead of ranking them', () => {
    const rows = backbones({ profile: 'mini', quick: false });
    // 40 fake and 40 genuine videos whose scores separate the classes by `sep` (noise-free ranks: AUC set by the overlap).
    const videos = (sep: number) =>
      Array.from({ length: 80 }, (_, i) => ({ id: `v${i}`, label: (i < 40 ? 1 : 0) as 0 | 1, score: (i < 40 ? sep : 0) + ((i * 37) % 40) / 40, frames: 4 }));
    const res = (auc: number, sep: number): VariantResult =>
      ({ name: 'x', steps: 400, seconds: 1, videoAuc: [auc, 60], frameAuc: [auc, 60], videos: [{ fake: 40, real: 40 }, { fake: 40, real: 40 }], scores: [videos(sep), videos(0.1)] }) as unknown as VariantResult;
    const text = reading(rows, [res(95, 2), res(48, 0), res(52, 0.02)], ['in-dataset', 'cross']);
    expect(text).toContain(`At chance on the in-dataset test (DeLong 95% interval includes 50): ${rows[1].name} (48.00), ${rows[2].name} (52.00)`);
    expect(text).toMatch(/in-dataset: best [^\n]* difference [\d.]+ \[[\d.]+, [\d.]+\] \(paired DeLong\): the spread is beyond noise/);
    expect(reading(rows, [res(95, 2), res(96, 2), res(97, 2)], ['in-dataset', 'cross'])).not.toContain('At chance');
  });
});
