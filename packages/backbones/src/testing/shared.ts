/** Test helper: locating the read-only `/work/shared` fixtures relative to the repo root. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

/** The repository root (three levels above this file's `src/testing`). */
export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../..');

/** Absolute path of a file under the shared fixtures folder (`../shared` from the repo root). */
export function sharedPath(rel: string): string {
  return resolve(REPO_ROOT, '../shared', rel);
}

/**
 * True when the shared file exists. When it is missing: throws under
 * `CI=true` (fixtures must be there), otherwise warns and returns false so
 * the caller can skip.
 */
export function haveShared(rel: string): boolean {
  const p = sharedPath(rel);
  if (existsSync(p)) return true;
  if (process.env.CI === 'true') throw new Error(`shared fixture ${p} is missing (CI=true: failing instead of skipping)`);
  console.warn(`skipping: shared fixture ${p} is missing`);
  return false;
}
