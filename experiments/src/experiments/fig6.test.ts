import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readImage } from '@caddm/image';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../cli.js';
import { quickDir, runExp } from '../testing/quick.js';
import { reading, type RowStats } from './fig6.js';

const dir = quickDir('fig6');

describe('pnpm exp fig6 --quick', () => {
  it('scores every method and the genuine faces, writes the grid (rows x columns of aligned faces) and per-method box rates', async () => {
    const code = await runExp(['fig6', '--quick', '--out', join(dir, 'results')], dir);
    expect(code).toBe(0);
    const md = readFileSync(join(dir, 'results', 'fig6-mini-quick.md'), 'utf8');
    expect(md).toContain('| real |');
    expect(md).toMatch(/## Reading[\s\S]*noise/);
    const raw = JSON.parse(readFileSync(join(dir, 'results', 'fig6-mini-quick.json'), 'utf8')).raw;
    const names: string[] = raw.rows.map((r: { name: string }) => r.name);
    expect(names).toContain('real');
    expect(raw.rows.filter((r: { label: number }) => r.label === 1).length).toBeGreaterThanOrEqual(2); // in-domain methods + the cross method
    for (const r of raw.rows) {
      expect(r.boxRate).toBeGreaterThanOrEqual(0);
      expect(r.boxRate).toBeLessThanOrEqual(1);
      expect(r.withBox).toBeLessThanOrEqual(r.frames);
      expect(r.meanP).toBeGreaterThanOrEqual(0);
      expect(r.meanP).toBeLessThanOrEqual(1);
    }
    for (const row of raw.tiles) for (const t of row.tiles) if (t.box) expect(t.box.score).toBeGreaterThanOrEqual(0.5);
    const png = join(dir, 'results', 'fig6-mini-quick.png');
    expect(existsSync(png)).toBe(true);
    const img = await readImage(png);
    expect(img.shape[0]).toBe(raw.rows.length * (112 + 4) + 4); // one row of tiles per method / genuine set
    expect(img.shape[1]).toBe(2 * (112 + 4) + 4);
  }, 600_000);

  it('--profile paper says which real data and weights it needs', async () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      // Celeb-DF and DFDC-V2 add rows when given; only FF++ is required.
      const e = await main(['fig6', '--profile', 'paper', '--out', join(dir, 'p')], dir).catch((x: Error) => x);
      expect((e as Error).message).toMatch(/fig6 --profile paper cannot run; supply:\n {2}- --data ffpp=<path>: FaceForensics\+\+[^\n]*\n {2}- --weights <dir> holding the ImageNet weights resnet34\.safetensors /);
      expect((e as Error).message).not.toMatch(/celebdf|dfdc/);
    } finally {
      err.mockRestore();
    }
  });
});

describe('fig6 reading', () => {
  const row = (name: string, label: 0 | 1, frames: number, withBox: number, hit: number | null = null, changed: number | null = null): RowStats => ({
    name, label, videos: frames / 4, frames, withBox, boxRate: withBox / frames, meanP: 0.5, meanBoxScore: withBox ? 0.8 : null, meanHit: hit, meanChanged: changed, meanBoxArea: withBox ? 0.3 : null,
  });

  it('calls fakes boxed more often only beyond two standard errors of the rate difference', () => {
    // 400 frames each: 2 SE of a difference of 0.5 vs 0.3 is about 0.067.
    expect(reading([row('FaceSwap', 1, 400, 200), row('real', 0, 400, 120)])).toContain('Fakes get boxes more often beyond noise');
    expect(reading([row('FaceSwap', 1, 400, 130), row('real', 0, 400, 120)])).toContain('is not shown here');
    expect(reading([row('FaceSwap', 1, 400, 60), row('real', 0, 400, 200)])).toContain('contradicted');
  });

  it('says whether the boxes lean toward the changed pixels, and notes genuine frames without boxes', () => {
    const text = reading([row('FaceSwap', 1, 40, 20, 0.6, 0.3), row('real', 0, 40, 0)]);
    expect(text).toContain('FaceSwap: its boxes cover 60.0% changed pixels vs 30.0% for the whole face: the boxes lean toward the manipulated region');
    expect(text).toContain("No genuine frame has a box at this threshold");
    expect(reading([row('FaceSwap', 1, 40, 20, 0.2, 0.3), row('real', 0, 40, 2)])).toContain('the boxes do not favour the manipulated region');
  });
});
