/**
 * What `linearProbe` (`@caddm/metrics/tensors`) reports: plain numbers, so the
 * charts and reports that read it need no tensors.
 * @packageDocumentation
 */

/** The state after one epoch. */
export interface ProbeEpoch {
  /** 1-based epoch number. */
  readonly epoch: number;
  /** Mean training cross-entropy over the epoch's steps. */
  readonly loss: number;
  /** Top-1 identity accuracy on the training set after the epoch. */
  readonly trainAccuracy: number;
  /** Top-1 identity accuracy on the test set after the epoch. */
  readonly testAccuracy: number;
}

/** Result of `linearProbe`: the accuracy curves. */
export interface ProbeResult {
  /** One entry per epoch. */
  readonly epochs: readonly ProbeEpoch[];
  /** Training accuracy per epoch. */
  readonly trainAccuracy: readonly number[];
  /** Test accuracy per epoch. */
  readonly testAccuracy: readonly number[];
  /** Mean loss per epoch. */
  readonly loss: readonly number[];
  /** The identities, in class-index order (first appearance in the training set). */
  readonly classes: readonly (number | string)[];
  /** Test accuracy of always guessing the most frequent training identity. */
  readonly chance: number;
  /**
   * Whether each test row was classified correctly after the last epoch (1 or 0), in the
   * test set's order: for intervals that resample identities or videos.
   */
  readonly testCorrect: Uint8Array;
}
