import { MetricsInputError } from './errors.js';

/** Binary labels: 1 (positive, e.g. fake) or 0 (negative, e.g. real). Booleans are accepted. */
export type BinaryLabels = ArrayLike<number> | ArrayLike<boolean>;

/** Scores: larger means more positive (more likely fake). */
export type Scores = ArrayLike<number>;

/** Labels as 0/1 bytes plus the class counts. @internal */
export interface CheckedBinary {
  readonly y: Uint8Array;
  readonly s: Float64Array;
  readonly positives: number;
  readonly negatives: number;
}

/**
 * Checks labels and scores of a binary metric and copies them into typed
 * arrays. Throws {@link MetricsInputError} on empty input, different lengths,
 * labels other than 0/1, non-finite scores and (unless `allowSingleClass`)
 * when only one class is present.
 * @internal
 */
export function checkBinary(
  labels: BinaryLabels,
  scores: Scores,
  what: string,
  allowSingleClass = false,
): CheckedBinary {
  const n = labels.length;
  if (n !== scores.length) {
    throw new MetricsInputError(
      'length-mismatch',
      `${what}: labels has ${n} entries but scores has ${scores.length}`,
    );
  }
  if (n === 0) throw new MetricsInputError('empty', `${what}: labels and scores are empty`);
  const y = new Uint8Array(n);
  const s = new Float64Array(n);
  let positives = 0;
  for (let i = 0; i < n; i++) {
    const l = labels[i] as number | boolean;
    let v: number;
    if (l === true || l === 1) v = 1;
    else if (l === false || l === 0) v = 0;
    else {
      throw new MetricsInputError('bad-label', `${what}: labels[${i}] is ${String(l)}; labels must be 0 or 1`);
    }
    const sc = scores[i];
    if (typeof sc !== 'number' || !Number.isFinite(sc)) {
      throw new MetricsInputError('non-finite', `${what}: scores[${i}] is ${String(sc)}; scores must be finite numbers`);
    }
    y[i] = v;
    s[i] = sc;
    positives += v;
  }
  const negatives = n - positives;
  if (!allowSingleClass && (positives === 0 || negatives === 0)) {
    throw new MetricsInputError(
      'single-class',
      `${what}: all ${n} labels are ${positives === 0 ? 0 : 1}; both classes are needed`,
    );
  }
  return { y, s, positives, negatives };
}

/** Throws a {@link MetricsInputError} with problem `bad-option` unless `ok`. @internal */
export function requireOption(ok: boolean, message: string): void {
  if (!ok) throw new MetricsInputError('bad-option', message);
}
