/**
 * Typed errors thrown by `@caddm/mfs`. Messages name the offending argument and
 * its value; no function returns a NaN box instead of throwing.
 */

/** Base class of every error thrown by `@caddm/mfs`. */
export class MfsError extends Error {
  /** @param message - what went wrong, naming the offending argument */
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Images, masks or maps whose sizes must agree do not, or an array has the wrong rank. */
export class MfsShapeError extends MfsError {}

/** An option or argument is out of range (window sizes, probabilities, tolerances...). */
export class MfsArgumentError extends MfsError {}

/** A window does not fit in the map it slides over. */
export class WindowError extends MfsError {}

/** A mask cannot be built: too few distinct landmarks, collinear points (zero-area hull), or a hull entirely outside the image. */
export class MaskError extends MfsError {}
