import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createImage, createRng } from '@caddm/image';
import { perturb } from '@caddm/perturb';
import { main } from '../cli.js';
import { quickDir, runExp } from '../testing/quick.js';
import type { PairedComparison } from '../protocol/stats.js';
import { levelVerdicts, perturbFrame, reading } from './table4.js';

const dir = quickDir('table4');

describe('pnpm exp table4 --quick', () => {
  it('scores whole-frame perturbations (BW and GNC at levels 1 and 5) and writes them beside the paper, with a plot', async () => {
    const code = await runExp(['table4', '--quick', '--out', join(dir, 'results')], dir);
    expect(code).toBe(0);
    const md = readFileSync(join(dir, 'results', 'table4-mini-quick.md'), 'utf8');
    expect(md).toContain('(paper)');
    expect(md).toContain('87.40'); // the paper's Ours under noise, quoted
    expect(md).toMatch(/upscaled[\s\S]*256/); // BW on small frames is explained
    expect(md).toMatch(/## Reading[\s\S]*noise/);
    expect(existsSync(join(dir, 'results', 'table4-mini-quick.png'))).toBe(true);
    const raw = JSON.parse(readFileSync(join(dir, 'results', 'table4-mini-quick.json'), 'utf8')).raw;
    expect(raw.results.map((r: { type: string }) => r.type)).toEqual(['BW', 'GNC']);
    for (const r of raw.results) {
      expect(r.levels).toEqual([1, 5]);
      expect(r.videoAuc).toHaveLength(2);
      for (const v of r.videoAuc) expect(v >= 0 && v <= 100).toBe(true);
      expect(r.avg).toBeCloseTo((r.videoAuc[0] + r.videoAuc[1]) / 2, 6);
      // Each level is paired with the clean pass on the same videos.
      expect(r.vsClean).toHaveLength(2);
      for (const [i, c] of r.vsClean.entries()) expect(c.diffPct).toBeCloseTo(r.videoAuc[i] - raw.clean, 1);
    }
  }, 600_000);

  it('--profile paper says which real data and weights it needs', async () => {
    await expect(main(['table4', '--profile', 'paper', '--weights', 'none', '--out', join(dir, 'p')], dir)).rejects.toThrow(/table4 --profile paper cannot run; supply:\n {2}- --data ffpp=<path>: FaceForensics\+\+[^\n]*$/);
  });
});

describe('perturbFrame', () => {
  it('makes BW act on frames under 256 px (upscaled, perturbed, resized back) and keeps the frame size', () => {
    const frame = createImage(128, 96, 3);
    frame.data.fill(200);
    const out = perturbFrame(frame, 'BW', 5, createRng(3));
    expect(out.shape).toEqual([128, 96, 3]);
    let changed = 0;
    for (let i = 0; i < out.data.length; i += 3) if (out.data[i] !== 200) changed++;
    expect(changed).toBeGreaterThan(0); // blocks were drawn
    expect(changed).toBeLessThan(128 * 96 * 0.5); // but only blocks
    // plain BW on the small frame would draw nothing
    expect(perturb(frame, { type: 'BW', level: 5 }, createRng(3)).data).toEqual(frame.data);
  });

  it('leaves the other types at the frame\'s own resolution', () => {
    const frame = createImage(64, 64, 3);
    for (let i = 0; i < frame.data.length; i++) frame.data[i] = (i * 37) % 256;
    expect(perturbFrame(frame, 'CC', 3, createRng(1)).data).toEqual(perturb(frame, { type: 'CC', level: 3 }).data);
  });
});

describe('table4 reading', () => {
  const cmp = (diffPct: number, lo: number, hi: number): PairedComparison => ({ verdict: lo > 0 ? 'better' : hi < 0 ? 'worse' : 'tie', diffPct, ciPct: [lo, hi], p: 0.01, test: 'paired DeLong', level: 0.95, videos: 200 });
  const type = (vs: PairedComparison[]) => ({ type: 'GNC' as const, column: 'Noise', levels: [1, 2, 3], videoAuc: vs.map((c) => 80 + c.diffPct), frameAuc: [80, 80, 80], avg: 80 + vs.reduce((a, c) => a + c.diffPct, 0) / 3, vsClean: vs });

  it('counts a level as a drop only when its paired interval lies below 0', () => {
    expect(levelVerdicts(type([cmp(-1, -3, 1), cmp(-5, -8, -0.1), cmp(-9, -12, -6)]))).toBe('2 of 3 (level 2, 3)');
    expect(levelVerdicts(type([cmp(-1, -3, 1), cmp(2, 0.1, 4), cmp(0, -1, 1)]))).toBe('0 of 3; above clean at level 2');
    const text = reading([type([cmp(-1, -3, 1), cmp(-5, -8, -0.1), cmp(-9, -12, -6)])], 80, { fake: 100, real: 100 }, null);
    expect(text).toContain('below clean beyond noise at level 2, 3; largest drop at level 3: -9.00 [-12.00, -6.00] points');
    expect(reading([type([cmp(-1, -3, 1), cmp(-2, -4, 0.1), cmp(0, -1, 1)])], 80, { fake: 100, real: 100 }, null)).toContain('no level below clean beyond noise');
  });

  it('says the comparison cannot test the claim when the clean model is at chance', () => {
    expect(reading([], 52, { fake: 100, real: 100 }, null, 'mini', '', false)).toContain('not above chance');
    expect(reading([], 92, { fake: 100, real: 100 }, null, 'mini', '', true)).not.toContain('not above chance');
  });
});
