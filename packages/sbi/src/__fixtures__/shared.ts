/**
 * Test helper: locates the read-only `../shared` folder (relative to the repo root). Missing
 * data fails loudly under `CI=true` and is skipped with a message otherwise.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'pnpm-workspace.yaml'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the repo root (pnpm-workspace.yaml) above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
  return dir;
}

/**
 * The absolute path of `../shared/<rel>` when it exists; otherwise throws under `CI=true`, or
 * warns that the dependent tests are skipped and returns `undefined`.
 */
export function requireShared(rel: string): string | undefined {
  const p = resolve(repoRoot(), '..', 'shared', rel);
  if (existsSync(p)) return p;
  const msg = `shared test data missing: ${p}`;
  if (process.env.CI === 'true') throw new Error(`${msg} (CI=true: failing instead of skipping)`);
  console.warn(`[skip] ${msg}; the tests that need it are skipped`);
  return undefined;
}
