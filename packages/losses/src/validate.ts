import { tf } from '@caddm/tf';
import { LossShapeError, LossValueError } from './errors.js';

const shapeStr = (t: tf.Tensor): string => `[${t.shape.join(', ')}]`;

/**
 * Throws {@link LossShapeError} unless `t` is a tensor of the given rank.
 *
 * @internal
 */
export function expectRank(name: string, t: unknown, rank: number, layout: string): asserts t is tf.Tensor {
  if (!(t instanceof tf.Tensor)) throw new LossShapeError(`${name} must be a tensor ${layout}, got ${typeof t}`);
  if (t.rank !== rank) throw new LossShapeError(`${name} must have rank ${rank} ${layout}, got shape ${shapeStr(t)}`);
  if (t.isDisposed) throw new LossShapeError(`${name} has been disposed`);
}

/**
 * Throws {@link LossShapeError} unless `t`'s shape matches `expected` (`-1` = any).
 *
 * @internal
 */
export function expectShape(name: string, t: tf.Tensor, expected: readonly number[], layout: string): void {
  const ok = t.shape.length === expected.length && expected.every((d, i) => d < 0 || d === t.shape[i]);
  if (!ok) {
    throw new LossShapeError(
      `${name} must have shape ${layout} = [${expected.map((d) => (d < 0 ? '?' : d)).join(', ')}], got ${shapeStr(t)}`,
    );
  }
}

/**
 * Throws {@link LossShapeError} unless the label tensor is int32 or float32 (float labels are cast).
 *
 * @internal
 */
export function expectLabelDtype(name: string, t: tf.Tensor): void {
  if (t.dtype !== 'int32' && t.dtype !== 'float32' && t.dtype !== 'bool') {
    throw new LossShapeError(`${name} must hold integer class labels (int32, float32 or bool), got ${t.dtype}`);
  }
}

/** One data check: a boolean scalar tensor and the error to throw when it is false. @internal */
export interface Check {
  readonly ok: tf.Tensor;
  readonly input: string;
  readonly message: string;
}

/**
 * `all(isFinite(t))` as a check.
 *
 * @internal
 */
export function finiteCheck(input: string, t: tf.Tensor): Check {
  return { ok: tf.tidy(() => tf.all(tf.isFinite(t))), input, message: 'holds NaN or infinite values' };
}

/**
 * `0 <= labels < classes` (and integral) as a check.
 *
 * @internal
 */
export function labelCheck(input: string, labels: tf.Tensor, classes: number): Check {
  const ok = tf.tidy(() => {
    const f = labels.toFloat();
    return tf.logicalAnd(
      tf.logicalAnd(tf.all(tf.greaterEqual(f, 0)), tf.all(tf.less(f, classes))),
      tf.all(tf.equal(f, tf.round(f))),
    );
  });
  return { ok, input, message: `holds labels outside the integers 0..${classes - 1}` };
}

/**
 * Reads every check's flag in ONE device read (a sync) and throws a
 * {@link LossValueError} for the first failing one. Disposes the flags.
 *
 * @internal
 */
export function runChecks(checks: readonly Check[]): void {
  if (checks.length === 0) return;
  const flags = tf.tidy(() => tf.stack(checks.map((c) => c.ok.cast('int32'))));
  const values = flags.dataSync();
  flags.dispose();
  checks.forEach((c) => c.ok.dispose());
  const bad = checks.findIndex((_, i) => values[i] === 0);
  if (bad >= 0) throw new LossValueError(checks[bad].input, checks[bad].message);
}
