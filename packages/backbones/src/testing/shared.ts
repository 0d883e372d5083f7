/** Test-only: the shared golden-fixture helpers of `@caddm/testkit`, under this package's names. */
import { repoRoot } from '@caddm/testkit';

export { sharedPath, haveShared } from '@caddm/testkit';

/** The repository root. */
export const REPO_ROOT = repoRoot();

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
