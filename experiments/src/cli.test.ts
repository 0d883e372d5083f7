import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main, parseCli, UsageError } from './cli.js';
import { EXPERIMENTS, PLANNED } from './registry.js';

const out = mkdtempSync(join(tmpdir(), 'caddm-exp-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function capture() {
  const chunks: string[] = [];
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => (chunks.push(String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => (chunks.push(String(s)), true));
  return {
    text: () => chunks.join(''),
    restore: () => {
      o.mockRestore();
      e.mockRestore();
    },
  };
}

describe('parseCli', () => {
  it('defaults to the mini profile, seed 1, the results folder', () => {
    const { name, ctx } = parseCli(['hello'], '/repo');
    expect(name).toBe('hello');
    expect(ctx).toMatchObject({ profile: 'mini', quick: false, seed: 1, outDir: '/repo/experiments/results' });
  });
  it.each([
    [['x', '--profile', 'huge'], /--profile must be mini or paper/],
    [['x', '--seed', '1.5'], /--seed must be an integer/],
    [['x', '--data', 'ffpp'], /NAME=PATH/],
    [['x', '--bogus'], /bogus/],
    [['a', 'b'], /one experiment at a time/],
  ])('rejects %j', (argv, msg) => {
    expect(() => parseCli(argv, '/repo')).toThrow(UsageError);
    expect(() => parseCli(argv, '/repo')).toThrow(msg);
  });
  it('parses dataset roots', () => {
    const { ctx } = parseCli(['x', '--data', 'ffpp=/d/ff', '--data', 'celebdf=/d/cdf'], '/repo');
    expect(ctx.data).toEqual({ ffpp: '/d/ff', celebdf: '/d/cdf' });
  });
});

describe('main', () => {
  it('lists every experiment when called without a name', async () => {
    const c = capture();
    const code = await main([], '/repo').finally(c.restore);
    expect(code).toBe(0);
    for (const e of [...EXPERIMENTS, ...PLANNED]) expect(c.text()).toContain(e.name);
  });
  it('fails clearly on an unknown experiment', async () => {
    const c = capture();
    const code = await main(['tabel2'], '/repo').finally(c.restore);
    expect(code).toBe(2);
    expect(c.text()).toMatch(/unknown experiment 'tabel2'/);
  });
  // Every announced experiment is implemented now; this guards the next one announced.
  it.runIf(PLANNED.length > 0)('refuses to pretend a planned experiment ran', async () => {
    const planned = PLANNED[0];
    const c = capture();
    const code = await main([planned.name, '--out', out], '/repo').finally(c.restore);
    expect(code).toBe(3);
    expect(c.text()).toMatch(/not implemented yet/);
  });
  it('runs hello and writes its report with the run metadata', async () => {
    const c = capture();
    const code = await main(['hello', '--quick', '--out', out], '/repo').finally(c.restore);
    expect(code).toBe(0);
    const md = readFileSync(join(out, 'hello-mini-quick.md'), 'utf8');
    expect(md).toMatch(/\| profile \| mini \(quick\) \|/);
    expect(md).toMatch(/\| wall time \| [\d.]+ s \|/);
    const raw = JSON.parse(readFileSync(join(out, 'hello-mini-quick.json'), 'utf8'));
    expect(raw.raw.value).toBeGreaterThan(0);
  });
});
