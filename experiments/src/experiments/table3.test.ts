import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../cli.js';
import { quickDir, runExp } from '../testing/quick.js';

const dir = quickDir('table3');

describe('pnpm exp table3 --quick', () => {
  it('trains our model with two tiny backbones, in- and cross-dataset, beside the paper with its SOTA rows quoted', async () => {
    const code = await runExp(['table3', '--quick', '--out', join(dir, 'results')], dir);
    expect(code).toBe(0);
    const md = readFileSync(join(dir, 'results', 'table3-mini-quick.md'), 'utf8');
    expect(md).toContain('| SBI (paper) | Efficient-b4 | 99.64 | 93.18 |'); // quoted, not measured
    expect(md).toContain('| Ours (this run) | EfficientNet-b0 (1/8 width) |');
    expect(md).toMatch(/## Reading[\s\S]*noise/);
    expect(existsSync(join(dir, 'results', 'table3-mini-quick.png'))).toBe(true);
    const raw = JSON.parse(readFileSync(join(dir, 'results', 'table3-mini-quick.json'), 'utf8')).raw;
    expect(raw.rows).toHaveLength(2);
    expect(raw.rows[1].model.backbone).toBe('efficientnet-b0');
    for (const r of raw.rows) {
      expect(r.result.videoAuc).toHaveLength(2); // in-dataset, cross-dataset
      for (const v of r.result.videoAuc) expect(v >= 0 && v <= 100).toBe(true);
    }
  }, 600_000);

  it('--profile paper says which real data and weights it needs', async () => {
    await expect(main(['table3', '--profile', 'paper', '--out', join(dir, 'p')], dir)).rejects.toThrow(
      /--data ffpp=<path>[^\n]*\n.*--data celebdf=<path>[^\n]*\n.*--data dfdc=<path>[^\n]*\n.*ImageNet weights resnet34\.safetensors, efficientnet-b3\.safetensors, efficientnet-b4\.safetensors/,
    );
  });
});
