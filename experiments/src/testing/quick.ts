/**
 * Test helpers for the experiments' `--quick` runs (test-only; not exported by the package).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, vi } from 'vitest';
import { main } from '../cli.js';

/** A temporary folder for one test file, removed (and CADDM_CACHE unset) after its tests. */
export function quickDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `caddm-${name}-`));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    delete process.env.CADDM_CACHE;
  });
  return dir;
}

/** Runs `pnpm exp <args>` in-process with the cache under `dir` and its output silenced; returns the exit code. */
export async function runExp(args: readonly string[], dir: string): Promise<number> {
  process.env.CADDM_CACHE = join(dir, 'cache');
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    return await main([...args], dir);
  } finally {
    err.mockRestore();
    out.mockRestore();
  }
}
