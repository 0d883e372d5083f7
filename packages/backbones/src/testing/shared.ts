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

/**
 * The backend for tests: `CADDM_BACKEND` when set (`cpu` or `wasm`), else
 * wasm when it initialises and passes its smoke test, else cpu. The suite
 * passes on both; on cpu the training test alone takes tens of seconds.
 */
export async function initTestBackend(): Promise<void> {
  const { initBackend } = await import('@caddm/tf');
  const env = process.env.CADDM_BACKEND as 'cpu' | 'wasm' | undefined;
  await initBackend({ prefer: env ?? ['wasm', 'cpu'], quiet: true });
}
