import { afterEach, describe, expect, it, vi } from 'vitest';
import { createProgram, runCli } from './program.js';

function capture() {
  const out: string[] = [];
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true)),
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => (out.push(String(s)), true)),
  ];
  return { text: () => out.join(''), restore: () => spies.forEach((s) => s.mockRestore()) };
}
let cap: ReturnType<typeof capture> | undefined;
afterEach(() => cap?.restore());

describe('caddm CLI', () => {
  it('lists its commands, each with an explanation', () => {
    const names = createProgram().commands.map((c) => c.name());
    expect(names).toEqual(expect.arrayContaining(['eval', 'detect', 'preprocess', 'generate']));
    for (const c of createProgram().commands) {
      expect(c.description().length, c.name()).toBeGreaterThan(40);
      for (const o of c.options) expect(o.description.length, `${c.name()} ${o.flags}`).toBeGreaterThan(5);
    }
  });
  it('exits 0 on --help and 2 on an unknown command', async () => {
    cap = capture();
    expect(await runCli(['--help'])).toBe(0);
    expect(cap.text()).toMatch(/Usage: caddm/);
    expect(await runCli(['trian'])).toBe(2);
    expect(cap.text()).toMatch(/unknown command 'trian'/);
  });
  it('rejects bad option values with a clear message and exit code 2', async () => {
    cap = capture();
    expect(await runCli(['eval', '--run', 'r', '--cache', 'c', '--frames', '0'])).toBe(2);
    expect(cap.text()).toMatch(/--frames must be a positive integer, got '0'/);
    expect(await runCli(['detect', 'x.png', '--run', 'r', '--threshold', '2'])).toBe(2);
    expect(cap.text()).toMatch(/--threshold must be a number in \[0, 1\]/);
    expect(await runCli(['eval', '--cache', 'c'])).toBe(2);
    expect(cap.text()).toMatch(/required option '-r, --run <dir>' not specified/);
  });
  it('names a missing run directory', async () => {
    cap = capture();
    expect(await runCli(['eval', '--run', '/definitely/not/here', '--cache', '/x'])).toBe(2);
    expect(cap.text()).toMatch(/\/definitely\/not\/here: not a run or checkpoint directory/);
  });

  it('turns file-system errors into one line naming the path, with no stack trace', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'caddm-cli-'));
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    cap = capture();
    // --out is an existing file: the generator cannot make folders under it.
    expect(await runCli(['generate', '--out', file, '--format', 'frames'])).toBe(2);
    expect(cap.text()).toMatch(new RegExp(`caddm: ${file}[^\\n]*: a part of this path is a file, not a folder; choose another path|caddm: ${file}[^\\n]*already exists and is not a folder`));
    expect(cap.text()).not.toMatch(/\n\s+at /);
  });
  it('reports an unexpected error in one line, and its stack only with CADDM_DEBUG=1', async () => {
    const { describeSystemError } = await import('./common.js');
    const enoent = Object.assign(new Error("ENOENT: no such file or directory, open '/m.safetensors'"), { code: 'ENOENT', path: '/m.safetensors', syscall: 'open' });
    expect(describeSystemError(enoent)).toBe('/m.safetensors: does not exist; check the path (ENOENT in open)');
    expect(describeSystemError(new Error('plain'))).toBeUndefined();
    const { Command } = await import('commander');
    const boom = vi.spyOn(Command.prototype, 'parseAsync').mockRejectedValue(new TypeError('boom'));
    try {
      cap = capture();
      expect(await runCli(['eval'])).toBe(1);
      expect(cap.text()).toBe('caddm: boom\n(set CADDM_DEBUG=1 to see where it happened)\n');
      cap.restore();
      cap = capture();
      process.env.CADDM_DEBUG = '1';
      expect(await runCli(['eval'])).toBe(1);
      expect(cap.text()).toMatch(/^caddm: TypeError: boom\n\s+at /);
    } finally {
      delete process.env.CADDM_DEBUG;
      boom.mockRestore();
    }
  });
});
