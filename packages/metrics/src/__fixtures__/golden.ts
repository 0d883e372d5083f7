/**
 * Test-only: the golden fixtures of the shared folder, through `@caddm/testkit` (a missing
 * file fails under `CI=true` and skips the tests that need it, with a message, otherwise).
 */
export { loadGolden } from '@caddm/testkit';

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
