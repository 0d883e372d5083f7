/** Test-only: runs the `caddm` program in-process and captures what it prints. */
import { vi } from 'vitest';
import { runCli } from '../program.js';

/** `caddm <args>` in this process: its exit code and everything it wrote to stdout and stderr, in order. */
export async function runCliCaptured(args: readonly string[]): Promise<{ code: number; out: string }> {
  const chunks: string[] = [];
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => (chunks.push(String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => (chunks.push(String(s)), true));
  try {
    return { code: await runCli(args), out: chunks.join('') };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}
