/**
 * Test helper: locates the read-only `../shared` folder (relative to the repo root)
 * holding golden fixtures and face photos. Missing data fails loudly under `CI=true`
 * and is skipped with a message otherwise.
 */
import { existsSync, readFileSync } from 'node:fs';
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

/** Absolute path of `../shared/<rel>` from the repo root. */
export function sharedPath(rel: string): string {
  return resolve(repoRoot(), '..', 'shared', rel);
}

/**
 * Returns the absolute path when it exists; otherwise throws under `CI=true`, or
 * logs why the dependent tests are skipped and returns `undefined`.
 */
export function requireShared(rel: string): string | undefined {
  const p = sharedPath(rel);
  if (existsSync(p)) return p;
  const msg = `shared test data missing: ${p}`;
  if (process.env.CI === 'true') throw new Error(`${msg} (CI=true: failing instead of skipping)`);
  console.warn(`[skip] ${msg}; the tests that need it are skipped`);
  return undefined;
}

/** Parses `../shared/golden/<name>`, or `undefined` (see {@link requireShared}). */
export function loadGolden<T>(name: string): T | undefined {
  const p = requireShared(join('golden', name));
  return p == null ? undefined : (JSON.parse(readFileSync(p, 'utf8')) as T);
}
