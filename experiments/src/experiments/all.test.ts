import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXPERIMENTS, findExperiment } from '../registry.js';
import type { Experiment, ExperimentContext } from '../types.js';
import { ALL_SKIPS, commandFor, createAll, runAll } from './all.js';

const dir = mkdtempSync(join(tmpdir(), 'caddm-all-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function context(out: string, over: Partial<ExperimentContext> = {}): ExperimentContext & { logs: string[] } {
  const logs: string[] = [];
  return { profile: 'mini', quick: true, seed: 1, data: {}, outDir: out, log: (m) => logs.push(m), logs, ...over };
}

/** Cheap stand-ins for real experiments; `ran` records the order they ran in. */
function stubs(ran: string[]): Experiment[] {
  const ok = (name: string, ref: string): Experiment => ({
    name,
    title: `stub ${name}`,
    paperRef: ref,
    async run(ctx) {
      ran.push(name);
      return { markdown: `${name} ran with seed ${ctx.seed}`, raw: { name } };
    },
  });
  return [
    ok('hello', '-'),
    ok('tableA', 'Table A'),
    {
      name: 'tableB',
      title: 'stub tableB',
      paperRef: 'Table B',
      async run() {
        ran.push('tableB');
        throw new Error('tableB needs\na dataset');
      },
    },
    ok('figC', 'Fig. C'),
  ];
}

describe('runAll', () => {
  it('runs every experiment but hello in order, continues past a failure, and indexes the reports', async () => {
    const ran: string[] = [];
    const ctx = context(join(dir, 'a'));
    const { entries, index } = await runAll(ctx, stubs(ran));
    expect(ran).toEqual(['tableA', 'tableB', 'figC']);
    expect(entries.map((e) => [e.name, e.status])).toEqual([
      ['tableA', 'ok'],
      ['tableB', 'failed'],
      ['figC', 'ok'],
    ]);
    expect(entries[1].error).toBe('tableB needs\na dataset');
    expect(index).toBe(join(dir, 'a', 'index-mini-quick.md'));
    const md = readFileSync(index, 'utf8');
    expect(md).toMatch(/\| tableA \| Table A \| ok \| [\d.]+ \| \[tableA-mini-quick\.md\]\(tableA-mini-quick\.md\) \|/);
    expect(md).toMatch(/\| tableB \| Table B \| failed \| [\d.]+ \| - \|/);
    expect(md).toContain('3 of 3 experiments done, 1 failed');
    expect(md).toContain('- `tableB`: tableB needs a dataset');
    expect(md).not.toContain('| hello |');
    // Each experiment's own report, as `pnpm exp <name>` writes it.
    expect(readFileSync(join(dir, 'a', 'figC-mini-quick.md'), 'utf8')).toContain('figC ran with seed 1');
    expect(JSON.parse(readFileSync(join(dir, 'a', 'tableA-mini-quick.json'), 'utf8')).raw).toEqual({ name: 'tableA' });
    expect(existsSync(join(dir, 'a', 'tableB-mini-quick.md'))).toBe(false);
    expect(ctx.logs.some((l) => l.includes('tableB failed'))).toBe(true);
  });

  it('names the index after the profile and says how to rerun', async () => {
    const ctx = context(join(dir, 'b'), { profile: 'paper', quick: false, seed: 7, data: { ffpp: '/d/ff' } });
    const { index } = await runAll(ctx, stubs([]).slice(0, 2));
    expect(index.endsWith('index-paper.md')).toBe(true);
    expect(readFileSync(index, 'utf8')).toContain('`pnpm exp all --profile paper --seed 7 --data ffpp=/d/ff`');
    expect(commandFor('table2', context(dir))).toBe('pnpm exp table2 --quick');
  });
});

describe('the all experiment', () => {
  it('throws after the last experiment when one failed, having written the index', async () => {
    const ran: string[] = [];
    const all = createAll(() => stubs(ran));
    const ctx = context(join(dir, 'c'));
    await expect(all.run(ctx)).rejects.toThrow(/1 of 3 experiments failed \(tableB\)/);
    expect(ran).toEqual(['tableA', 'tableB', 'figC']);
    expect(existsSync(join(dir, 'c', 'index-mini-quick.md'))).toBe(true);
  });

  it('returns the index table when every experiment succeeded', async () => {
    const all = createAll(() => stubs([]).filter((e) => e.name !== 'tableB'));
    const r = await all.run(context(join(dir, 'd')));
    expect(r.markdown).toContain('[index-mini-quick.md](index-mini-quick.md)');
    expect(r.markdown).toContain('| figC | Fig. C |');
  });

  it('is registered and would run every registered experiment but hello and itself', () => {
    const all = findExperiment('all');
    expect(all && 'run' in all).toBe(true);
    expect(findExperiment('table5') && 'run' in findExperiment('table5')!).toBe(true);
    const targets = EXPERIMENTS.filter((e) => !ALL_SKIPS.includes(e.name)).map((e) => e.name);
    expect(targets).toContain('table5');
    expect(targets).not.toContain('hello');
    expect(targets).not.toContain('all');
    expect(EXPERIMENTS[EXPERIMENTS.length - 1].name).toBe('all');
  });
});
