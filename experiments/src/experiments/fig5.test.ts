import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quickDir, runExp } from '../testing/quick.js';
import { agreementChance, fig5Reading, type Fig5Panel } from './fig5.js';

const dir = quickDir('fig5');

const panel = (model: string, identityAgreement: number, points: number): Fig5Panel => ({
  model,
  set: 'in',
  points,
  identities: 10,
  k: 5,
  identityAgreement,
  identityChance: 0.1,
  classAgreement: 0.5,
  png: 'x.png',
});

describe('fig5 helpers', () => {
  it('agreementChance is the chance of a random same-label neighbour', () => {
    expect(agreementChance(['a', 'a', 'b', 'b'])).toBeCloseTo(1 / 3, 12);
    expect(agreementChance(['a', 'b', 'c'])).toBe(0);
  });
  it('the reading follows the kNN difference and its noise', () => {
    expect(fig5Reading([panel('binary', 0.9, 100), panel('CADDM', 0.3, 100)], [])).toContain('clusters less by identity, as the paper claims');
    expect(fig5Reading([panel('binary', 0.3, 100), panel('CADDM', 0.9, 100)], [])).toContain('contradicted');
    expect(fig5Reading([panel('binary', 0.5, 10), panel('CADDM', 0.45, 10)], [])).toContain('within noise');
  });
});

describe('pnpm exp fig5 --quick', () => {
  it('trains the binary classifier and CADDM, maps their features with t-SNE, and reports kNN agreement and probes', async () => {
    const code = await runExp(['fig5', '--quick', '--out', join(dir, 'results')], dir);
    expect(code).toBe(0);
    const md = readFileSync(join(dir, 'results', 'fig5-mini-quick.md'), 'utf8');
    expect(md).toMatch(/## Reading[\s\S]*kNN identity agreement/);
    for (const p of ['binary-in', 'binary-cross1', 'caddm-in', 'caddm-cross1', 'probe-in']) {
      expect(existsSync(join(dir, 'results', `fig5-mini-quick-${p}.png`))).toBe(true);
    }
    const raw = JSON.parse(readFileSync(join(dir, 'results', 'fig5-mini-quick.json'), 'utf8'));
    expect(raw.raw.panels).toHaveLength(4);
    for (const p of raw.raw.panels) {
      expect(p.identityAgreement).toBeGreaterThanOrEqual(0);
      expect(p.identityAgreement).toBeLessThanOrEqual(1);
      expect(p.identities).toBeGreaterThanOrEqual(2);
    }
    expect(raw.raw.probes.map((p: { model: string }) => p.model).sort()).toEqual(['CADDM', 'CADDM', 'binary', 'binary']);
  }, 300_000);

  it('--profile paper names the data it needs and the weights of its EfficientNet-b3 (t-SNE) and ResNet-34 (probe) models', async () => {
    const { fig5 } = await import('./fig5.js');
    await expect(fig5.run({ profile: 'paper', quick: false, seed: 1, data: {}, outDir: dir, log: () => {} })).rejects.toThrow(
      /--data ffpp=<path>[^\n]*\n.*--data celebdf=<path>[^\n]*\n.*ImageNet weights efficientnet-b3\.safetensors, resnet34\.safetensors /,
    );
  });
});
