/** Test-only: the shared golden-fixture helpers of `@caddm/testkit`, under this package's names. */
export { GOLDEN_DIR, loadGolden, loadGoldenKind, seededUniform as rng } from '@caddm/testkit';
