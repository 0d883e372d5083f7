import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quickDir, runExp } from '../testing/quick.js';
import { agreementChance, fig5Reading, type Fig5Panel } from './fig5.js';

const dir = quickDir('fig5');

/** A panel of 10 persons x `perPerson` frames (2 videos each) whose per-point identity agreement is `value(i)`. */
const panel = (model: string, value: (i: number) => number, perPerson = 10): Fig5Panel => {
  const n = 10 * perPerson;
  const persons = Array.from({ length: n }, (_, i) => `p${Math.floor(i / perPerson)}`);
  const videoIds = persons.map((p, i) => `${p}-v${i % 2}`);
  const perPoint = Float64Array.from({ length: n }, (_, i) => value(i));
  return {
    model,
    set: 'in',
    points: n,
    identities: 10,
    k: 5,
    identityAgreement: perPoint.reduce((a, b) => a + b, 0) / n,
    identityCi: [0, 1],
    identityChance: 0.1,
    classAgreement: 0.5,
    png: 'x.png',
    perPoint,
    persons,
    videoIds,
  };
};

describe('fig5 helpers', () => {
  it('agreementChance is the chance of a random same-label neighbour, outside the point\'s own video when given', () => {
    expect(agreementChance(['a', 'a', 'b', 'b'])).toBeCloseTo(1 / 3, 12);
    expect(agreementChance(['a', 'b', 'c'])).toBe(0);
    // Two videos of two frames per person: outside its video, a frame has 2 same-person frames among 6.
    expect(agreementChance(['a', 'a', 'a', 'a', 'b', 'b', 'b', 'b'], ['1', '1', '2', '2', '3', '3', '4', '4'])).toBeCloseTo(2 / 6, 12);
  });
  it('the reading follows the paired difference of kNN agreement and its person-level interval', () => {
    const noisy = (base: number) => (i: number) => base + ((i * 7919) % 13) / 100;
    expect(fig5Reading([panel('binary', noisy(0.8)), panel('CADDM', noisy(0.3))], [])).toContain('clusters less by identity, as the paper claims');
    expect(fig5Reading([panel('binary', noisy(0.3)), panel('CADDM', noisy(0.8))], [])).toContain('contradicted');
    // CADDM higher for half the persons and lower for the other half: no direction.
    const mixed = (i: number) => (Math.floor(i / 10) % 2 ? 0.9 : 0.1);
    expect(fig5Reading([panel('binary', () => 0.5), panel('CADDM', mixed)], [])).toContain('within noise');
    // Panels of different frames cannot be paired.
    const other = { ...panel('CADDM', noisy(0.3)), videoIds: panel('x', () => 0).videoIds!.map((v) => `${v}x`) };
    expect(fig5Reading([panel('binary', noisy(0.8)), other], [])).toContain('not judged');
  });
  it('puts both models\' detection AUCs beside the comparison', () => {
    const text = fig5Reading([panel('binary', () => 0.5), panel('CADDM', () => 0.5)], [], 'mini', [
      { model: 'binary', sets: ['in-dataset', 'cross'], videoAuc: [95, 60] },
      { model: 'CADDM', sets: ['in-dataset', 'cross'], videoAuc: [80, 70] },
    ]);
    expect(text).toContain('in-dataset binary 95.00 vs CADDM 80.00; cross binary 60.00 vs CADDM 70.00');
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
    // Per set: each model's trained and untrained probe, and one raw-pixel probe.
    const probeKinds = raw.raw.probes.map((p: { model: string; features: string }) => `${p.model}:${p.features}`).sort();
    expect(probeKinds).toEqual(['CADDM:random init', 'CADDM:random init', 'CADDM:trained', 'CADDM:trained', 'binary:random init', 'binary:random init', 'binary:trained', 'binary:trained', 'pixels:raw pixels', 'pixels:raw pixels']);
    expect(raw.raw.aucs.map((a: { model: string }) => a.model)).toEqual(['binary', 'CADDM']);
    expect(md).toContain('neighbours from other videos only');
  }, 300_000);

  it('--profile paper names the data it needs and the weights of its EfficientNet-b3 (t-SNE) and ResNet-34 (probe) models', async () => {
    const { fig5 } = await import('./fig5.js');
    await expect(fig5.run({ profile: 'paper', quick: false, seed: 1, data: {}, outDir: dir, log: () => {} })).rejects.toThrow(
      /--data ffpp=<path>[^\n]*\n.*--data celebdf=<path>[^\n]*\n.*ImageNet weights efficientnet-b3\.safetensors, resnet34\.safetensors /,
    );
  });
});
