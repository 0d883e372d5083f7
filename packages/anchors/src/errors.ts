/**
 * Thrown when a box is unusable: a non-finite coordinate, zero or negative
 * area (`x1 <= x0` or `y1 <= y0`), or a coordinate outside [0, 1] when the
 * caller asked for strict range checking.
 *
 * The message names the box (its index and, for batched calls, its image)
 * and the problem.
 */
export class InvalidBoxError extends Error {
  /** Which problem was found. */
  readonly problem: 'non-finite' | 'inverted' | 'zero-area' | 'out-of-range';
  /** Where the box was found, e.g. `"truths[1]"` or `"batch[3].truths[0]"`. */
  readonly where: string;

  /**
   * @param where - where the box was found, e.g. `"truths[1]"`.
   * @param problem - the kind of problem.
   * @param detail - a human-readable description including the coordinates.
   */
  constructor(where: string, problem: InvalidBoxError['problem'], detail: string) {
    super(`${where}: ${detail}`);
    this.name = 'InvalidBoxError';
    this.where = where;
    this.problem = problem;
  }
}

/** Thrown when an anchor configuration is inconsistent or non-positive. */
export class AnchorConfigError extends Error {
  /**
   * @param message - what is wrong with the configuration.
   */
  constructor(message: string) {
    super(message);
    this.name = 'AnchorConfigError';
  }
}

/**
 * Thrown when typed-array arguments have incompatible lengths (e.g. a `loc`
 * array that is not 4 values per prior) or options are out of range.
 */
export class AnchorShapeError extends Error {
  /**
   * @param message - which argument has which wrong size.
   */
  constructor(message: string) {
    super(message);
    this.name = 'AnchorShapeError';
  }
}
