/**
 * `@caddm/testkit`: helpers for the test suites only. The read-only
 * `../shared` folder (golden fixtures from the reference, real face photos)
 * sits beside the repository, or wherever `CADDM_SHARED` points. When a file
 * or tool a test needs is missing, the test fails under `CI=true` and is
 * skipped with a message otherwise.
 *
 * @packageDocumentation
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The environment variable that moves the shared folder (e.g. to a missing one, to run as a newcomer would). */
export const SHARED_ENV = 'CADDM_SHARED';

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

/** The shared folder: `$CADDM_SHARED` when set (relative to the working directory), else `<repo root>/../shared`. */
export function sharedDir(): string {
  const env = process.env[SHARED_ENV];
  return env ? resolve(env) : resolve(repoRoot(), '..', 'shared');
}

/** Absolute path of `<shared folder>/<rel>` (see {@link sharedDir}). */
export function sharedPath(rel: string): string {
  return join(sharedDir(), rel);
}

/** `<shared folder>/golden`. */
export const GOLDEN_DIR = sharedPath('golden');

/** Whether this run must fail instead of skipping when something a test needs is missing. */
export function strictCi(): boolean {
  return process.env.CI === 'true';
}

/**
 * The one rule for a test input that is not there (a fixture, a tool): under `CI=true`
 * it throws, so that CI never passes by skipping; otherwise it prints one `[skip]` line
 * saying what is missing and how to get it, and the caller skips the tests that need it.
 * @param what - what is missing, naming the path or tool
 * @param howToGet - what to do to run the skipped tests
 * @throws Error under `CI=true`
 */
export function missingForTests(what: string, howToGet: string): undefined {
  if (strictCi()) throw new Error(`${what} (CI=true: failing instead of skipping); ${howToGet}`);
  console.warn(`[skip] ${what}: the tests that need it are skipped; ${howToGet}`);
  return undefined;
}

/** How to provide the shared folder, quoted by every missing-fixture message. */
export const SHARED_HINT = `put the shared fixtures beside the repository (../shared) or set ${SHARED_ENV} to their folder`;

/**
 * The absolute path when `<shared folder>/<rel>` exists; otherwise throws under
 * `CI=true`, or warns that the dependent tests are skipped and returns `undefined`
 * (see {@link missingForTests}).
 */
export function requireShared(rel: string): string | undefined {
  const p = sharedPath(rel);
  if (existsSync(p)) return p;
  return missingForTests(`shared test data missing: ${p}`, SHARED_HINT);
}

/** Whether `<shared folder>/<rel>` exists (see {@link requireShared} for the CI rule). */
export function haveShared(rel: string): boolean {
  return requireShared(rel) !== undefined;
}

/** Parses `<shared folder>/golden/<name>`, or `undefined` when skipped (see {@link requireShared}). */
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
export { installedWith, runtimeImports } from './import-graph.js';
export { fileTree } from './file-tree.js';
