/**
 * Test-only loader for the reference's golden fixtures in `<repo>/../shared/golden`.
 * Missing fixtures fail loudly when `CI=true`; otherwise the caller skips with a message.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

/** `<repo root>/../shared/golden`. */
export const GOLDEN_DIR = join(repoRoot, '..', 'shared', 'golden');

/**
 * Reads `name` from the golden directory, or returns `undefined` (after a
 * warning) when it is absent and CI is not set.
 */
export function loadGolden<T>(name: string): T | undefined {
  const path = join(GOLDEN_DIR, name);
  if (!existsSync(path)) {
    const msg = `golden fixture ${path} is missing`;
    if (process.env.CI === 'true') throw new Error(`${msg} (CI=true: golden tests must run)`);
    console.warn(`${msg}; skipping its golden tests (set CI=true to make this an error)`);
    return undefined;
  }
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/**
 * Every golden file named `<kind>.json` or `<kind>_<anything>.json`, so that
 * more fixtures of the same kind can be dropped in. Returns `[]` (after a
 * warning) when none exist and CI is not set; throws under `CI=true`.
 */
export function loadGoldenKind<T>(kind: string): Array<{ file: string; data: T }> {
  const files = existsSync(GOLDEN_DIR)
    ? readdirSync(GOLDEN_DIR).filter((f) => f === `${kind}.json` || (f.startsWith(`${kind}_`) && f.endsWith('.json')))
    : [];
  if (files.length === 0) {
    // Report the canonical file as missing (throws under CI).
    const one = loadGolden<T>(`${kind}.json`);
    return one === undefined ? [] : [{ file: `${kind}.json`, data: one }];
  }
  return files.sort().map((file) => ({ file, data: loadGolden<T>(file) as T }));
}

/** Deterministic PRNG (mulberry32) for property tests: returns uniform [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
