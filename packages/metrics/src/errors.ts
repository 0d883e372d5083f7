/**
 * What was wrong with the input of a metric. Stable strings, so callers can
 * branch on them without parsing messages.
 */
export type MetricsInputProblem =
  | 'empty'
  | 'length-mismatch'
  | 'bad-label'
  | 'single-class'
  | 'too-few'
  | 'non-finite'
  | 'mixed-video-labels'
  | 'bad-option'
  | 'bad-shape';

/**
 * Thrown by every function of `@caddm/metrics` when its input is unusable
 * (never a silent NaN). `problem` names the kind of fault; the message names
 * the argument and, where there is one, the first offending index.
 */
export class MetricsInputError extends Error {
  constructor(
    /** The kind of fault. */
    readonly problem: MetricsInputProblem,
    message: string,
  ) {
    super(message);
    this.name = 'MetricsInputError';
  }
}
