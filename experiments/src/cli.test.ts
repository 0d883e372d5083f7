import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
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
  it.each([
    [['x', '--set', 'train.bogus=1'], /bad --set: train: unknown key 'bogus'/],
    [['x', '--set', 'nosuch.key=1'], /bad --set: \(top level\): unknown key 'nosuch'/],
    [['x', '--set', 'train.batch_size=abc'], /bad --set: train\.batch_size: .*got "abc"/],
    [['x', '--set', 'train.batch_size=-3'], /bad --set: train\.batch_size/],
    [['x', '--set', 'model.width'], /bad --set: expected KEY=VALUE, got 'model\.width'/],
    [['x', '--set', 'model.backbone=[resnet18'], /bad --set: model\.backbone=\[resnet18: /],
    [['x', '--profile', 'paper', '--set', 'model.backbone=vgg16'], /bad --set: model\.backbone/],
    [['x', '--profile', 'paper', '--quick'], /--quick is a variant of the mini profile/],
    [['x', '--weights', '/w'], /--weights is for --profile paper/],
  ])('rejects %j', (argv, msg) => {
    expect(() => parseCli(argv, '/repo')).toThrow(UsageError);
    expect(() => parseCli(argv, '/repo')).toThrow(msg);
  });
  it('parses --set with the trainer\'s parser (JSON / YAML values) into dotted overrides, and --weights', () => {
    const { ctx } = parseCli(
      ['x', '--profile', 'paper', '--set', 'train.batch_size=32', '--set', 'model.width=0.5', '--set', 'adm_det.feature_maps=[7,5,3,1]', '--set', 'ablation.adm=false', '--set', 'model.backbone=resnet18', '--weights', 'none'],
      '/repo',
    );
    expect(ctx.overrides).toEqual({ 'train.batch_size': 32, 'model.width': 0.5, 'adm_det.feature_maps': [7, 5, 3, 1], 'ablation.adm': false, 'model.backbone': 'resnet18' });
    expect(ctx.weights).toBe('none');
    expect(parseCli(['x', '--profile', 'paper', '--weights', 'w'], '/repo').ctx.weights).toBe(resolve('w'));
    // No --set: no overrides at all (the mini path stays as it was).
    expect(parseCli(['x'], '/repo').ctx.overrides).toBeUndefined();
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
    expect(md).toMatch(/\| commit \| ([0-9a-f]{40}(-dirty)?|unknown) \|/);
    const raw = JSON.parse(readFileSync(join(out, 'hello-mini-quick.json'), 'utf8'));
    expect(raw.raw.value).toBeGreaterThan(0);
    expect(raw.meta.seeds).toEqual([1]);
    expect(raw.meta.commit).toMatch(/^([0-9a-f]{40}(-dirty)?|unknown)$/);
  });
});
