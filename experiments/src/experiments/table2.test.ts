import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quickDir, runExp } from '../testing/quick.js';

const dir = quickDir('table2');

describe('pnpm exp table2 --quick', () => {
  it('trains the five rows on the tiny benchmark and writes the report beside the paper, with a plot and raw numbers', async () => {
    const code = await runExp(['table2', '--quick', '--out', join(dir, 'results')], dir);
    expect(code).toBe(0);
    const md = readFileSync(join(dir, 'results', 'table2-mini-quick.md'), 'utf8');
    for (const row of ['baseline', '+MFS', '+DA', '+DA+MFS', '+DA+MFS+ADM']) expect(md).toContain(`| ${row} |`);
    expect(md).toContain('(99.88)'); // the paper's number beside ours
    expect(md).toMatch(/## Reading[\s\S]*paired DeLong/);
    expect(md).toContain('## Identity contrast');
    expect(md).toMatch(/\| commit \| [0-9a-f]{7,}/);
    expect(existsSync(join(dir, 'results', 'table2-mini-quick.png'))).toBe(true);
    const raw = JSON.parse(readFileSync(join(dir, 'results', 'table2-mini-quick.json'), 'utf8'));
    expect(raw.raw.results).toHaveLength(5);
    for (const r of raw.raw.results) for (const m of r.models) expect(m.videoAuc.every((v: number) => v >= 0 && v <= 100)).toBe(true);
    // In-domain test, random-donor cross, similar-donor cross.
    expect(raw.raw.tests).toHaveLength(3);
    expect(raw.meta.seeds).toEqual([1]);
    expect(raw.meta.configHash).toMatch(/^[0-9a-f]{12}$/);
  }, 600_000);
});
