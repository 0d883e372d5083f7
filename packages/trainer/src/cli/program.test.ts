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
});
