/**
 * Typed errors thrown by `@caddm/sbi`. Every message names the offending argument
 * and its value, so a bad sample is reported, never turned into a silent NaN.
 */

/** Base class of every error thrown by `@caddm/sbi`. */
export class SbiError extends Error {
  /** @param message - what went wrong, naming the offending argument */
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** An option is out of range or malformed (a probability outside [0, 1], an even kernel size, ...). */
export class SbiArgumentError extends SbiError {}

/** The image is not a 3-channel `uint8` RGB image, or an input does not match its size. */
export class SbiImageError extends SbiError {}

/** Landmarks of the wrong length, non-finite, or outside the image. */
export class SbiLandmarkError extends SbiError {}

/**
 * The blending mask is unusable: the landmark hull is degenerate (collinear points, zero
 * area) or the mask vanished while being resized (a face far too small for its image:
 * crop the face with a margin first, as SBI does).
 */
export class SbiMaskError extends SbiError {}
