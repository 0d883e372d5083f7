/** Test-only: the shared golden-fixture helpers of `@caddm/testkit`, under this package's names. */
export { sharedPath, requireShared, loadGolden } from '@caddm/testkit';
