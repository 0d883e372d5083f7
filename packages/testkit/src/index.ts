/**
 * `@caddm/testkit`: helpers for the test suites only. The read-only
 * `../shared` folder (golden fixtures from the reference, real face photos)
 * sits beside the repository; when a file is missing, tests fail under
 * `CI=true` and are skipped with a message otherwise.
 *
 * @packageDocumentation
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the nearest folder above this file holding `pnpm-workspace.yaml`. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'pnpm-workspace.yaml'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find the repo root (pnpm-workspace.yaml) above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
  return dir;
}

/** Absolute path of `../shared/<rel>` from the repo root. */
export function sharedPath(rel: string): string {
  return resolve(repoRoot(), '..', 'shared', rel);
}

/** `<repo root>/../shared/golden`. */
export const GOLDEN_DIR = sharedPath('golden');

/**
 * The absolute path when `../shared/<rel>` exists; otherwise throws under
 * `CI=true`, or warns that the dependent tests are skipped and returns `undefined`.
 */
export function requireShared(rel: string): string | undefined {
  const p = sharedPath(rel);
  if (existsSync(p)) return p;
  const msg = `shared test data missing: ${p}`;
  if (process.env.CI === 'true') throw new Error(`${msg} (CI=true: failing instead of skipping)`);
  console.warn(`[skip] ${msg}; the tests that need it are skipped`);
  return undefined;
}

/** Whether `../shared/<rel>` exists (see {@link requireShared} for the CI rule). */
export function haveShared(rel: string): boolean {
  return requireShared(rel) !== undefined;
}

/** Parses `../shared/golden/<name>`, or `undefined` when skipped (see {@link requireShared}). */
export function loadGolden<T>(name: string): T | undefined {
  const p = requireShared(join('golden', name));
  return p == null ? undefined : (JSON.parse(readFileSync(p, 'utf8')) as T);
}

/**
 * Every golden file named `<kind>.json` or `<kind>_<anything>.json`, so that
 * more fixtures of the same kind can be dropped in.
 */
export function loadGoldenKind<T>(kind: string): Array<{ file: string; data: T }> {
  const files = existsSync(GOLDEN_DIR)
    ? readdirSync(GOLDEN_DIR).filter((f) => f === `${kind}.json` || (f.startsWith(`${kind}_`) && f.endsWith('.json')))
    : [];
  if (files.length === 0) {
    const one = loadGolden<T>(`${kind}.json`);
    return one === undefined ? [] : [{ file: `${kind}.json`, data: one }];
  }
  return files.sort().map((file) => ({ file, data: loadGolden<T>(file) as T }));
}

/** A seeded uniform generator on [0, 1) (mulberry32) for property tests. */
export function seededUniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
