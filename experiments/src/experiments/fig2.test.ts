import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProbeResult } from '@caddm/metrics';
import { quickDir, runExp } from '../testing/quick.js';
import { accuracyInterval } from '../protocol/probe.js';
import { fig2Reading, type ProbeRun } from './fig2.js';

const dir = quickDir('fig2');

/** A probe run whose final test outcomes are `correct` (1/0 per frame) over `persons` persons (frames dealt round-robin). */
const run = (features: ProbeRun['features'], correct: number[], persons: number, chance: number): ProbeRun => {
  const testIdentities = correct.map((_, i) => `p${i % persons}`);
  const acc = correct.reduce((a, b) => a + b, 0) / correct.length;
  const final = accuracyInterval(Uint8Array.from(correct), testIdentities);
  return {
    model: features === 'raw pixels' ? 'pixels' : 'm',
    features,
    set: 's',
    identities: persons,
    trainImages: correct.length,
    testImages: correct.length,
    split: 'video',
    final,
    testIdentities,
    result: { epochs: [], trainAccuracy: [1], testAccuracy: [acc / 2, acc], loss: [1], classes: [], chance, testCorrect: Uint8Array.from(correct) } as unknown as ProbeResult,
  };
};

/** `k` of every 10 frames right. */
const rate = (k: number, n = 200) => Array.from({ length: n }, (_, i) => (i % 10 < k ? 1 : 0));

describe('fig2 reading', () => {
  it('says identity is decodable only when the interval clears chance', () => {
    expect(fig2Reading([run('trained', rate(9), 20, 0.05)])).toContain('identity is linearly decodable');
    expect(fig2Reading([run('trained', rate(1), 20, 0.1)])).toContain('not distinguishable from chance');
  });

  it('compares the trained features with the untrained network and the pixels on the same frames', () => {
    const text = fig2Reading([run('trained', rate(9), 20, 0.05), run('random init', rate(5), 20, 0.05), run('raw pixels', rate(9), 20, 0.05)]);
    expect(text).toMatch(/untrained network \(50\.0%\): \+40\.0 points \[[\d.]+, [\d.]+\], so the trained features carry more identity than the untrained network/);
    expect(text).toMatch(/raw pixels \(90\.0%\): \+0\.0 points \[0\.0, 0\.0\], so the trained features carry no more and no less identity than the pixels/);
    const worse = fig2Reading([run('trained', rate(3), 20, 0.05), run('random init', rate(8), 20, 0.05)]);
    expect(worse).toContain('carry less identity than the untrained network');
  });
});

describe('pnpm exp fig2 --quick', () => {
  it('probes the frozen features of a tiny binary classifier in- and cross-dataset and plots the curves', async () => {
    const code = await runExp(['fig2', '--quick', '--out', join(dir, 'results')], dir);
    expect(code).toBe(0);
    const md = readFileSync(join(dir, 'results', 'fig2-mini-quick.md'), 'utf8');
    expect(md).toMatch(/## Reading[\s\S]*chance/);
    expect(md).toContain('| random init |');
    expect(md).toContain('| raw pixels |');
    expect(md).toContain('by video');
    expect(md).toContain('LFW panel is absent');
    expect(existsSync(join(dir, 'results', 'fig2-mini-quick-resnet18.png'))).toBe(true);
    const raw = JSON.parse(readFileSync(join(dir, 'results', 'fig2-mini-quick.json'), 'utf8'));
    // Two sets (in-domain, cross) x trained, random init, raw pixels.
    expect(raw.raw.runs).toHaveLength(6);
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
