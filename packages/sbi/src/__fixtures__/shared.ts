/** Test-only: the shared-folder helper of `@caddm/testkit` (missing data fails under `CI=true`, is skipped with a message otherwise). */
export { requireShared } from '@caddm/testkit';
