import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** /work/main (the repo root), from packages/metrics/src/__fixtures__. */
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
/** The read-only golden fixtures, beside the repo: `../shared/golden`. */
export const goldenDir = join(repoRoot, '..', 'shared', 'golden');

/**
 * Reads a golden fixture. Returns `undefined` (so the caller skips, with a
 * message) when the folder is missing outside CI; throws when CI=true.
 */
export function loadGolden<T>(name: string): T | undefined {
  const path = join(goldenDir, name);
  if (!existsSync(path)) {
    if (process.env.CI === 'true') throw new Error(`golden fixture ${path} is missing (CI=true: it must be there)`);
    console.warn(`[metrics] skipping golden tests: ${path} not found (set up ../shared to run them)`);
    return undefined;
  }
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** Shape of `auc.json`. */
export interface AucGolden {
  readonly _about: string;
  readonly labels: number[];
  readonly scores: number[];
  readonly videos: string[];
  readonly video_labels: number[];
  readonly frame_auc: number;
  readonly average_precision: number;
  readonly eer_approx: number;
  readonly video_auc: number;
}
