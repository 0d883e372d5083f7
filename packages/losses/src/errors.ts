/**
 * Thrown when loss inputs have wrong ranks, shapes or dtypes. Checked from
 * tensor metadata only (no data read, no device sync).
 */
export class LossShapeError extends Error {
  /**
   * @param message - which argument has which wrong shape.
   */
  constructor(message: string) {
    super(message);
    this.name = 'LossShapeError';
  }
}

/**
 * Thrown by the data checks (option `validate`, on by default) when an input
 * holds NaN or infinite values or a label is out of range, instead of
 * returning a NaN loss. `input` names the offending tensor.
 */
export class LossValueError extends Error {
  /** The offending input, e.g. `"confP"`. */
  readonly input: string;

  /**
   * @param input - the offending input's name.
   * @param message - what is wrong with it.
   */
  constructor(input: string, message: string) {
    super(`${input}: ${message}`);
    this.name = 'LossValueError';
    this.input = input;
  }
}
