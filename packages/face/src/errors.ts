/**
 * Typed errors thrown by `@caddm/face`. Every message names the offending
 * argument (or the image the caller named), never a silent NaN.
 */

/** Base class of every error thrown by `@caddm/face`. */
export class FaceError extends Error {
  /** @param message - what went wrong, naming the offending argument */
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Landmarks of the wrong length, non-finite, or otherwise unusable (e.g. all points coincide). */
export class LandmarkError extends FaceError {}

/** An option of an alignment, jitter or forehead function is out of range. */
export class FaceArgumentError extends FaceError {}

/** The face detector found no face in an image. */
export class NoFaceFoundError extends FaceError {
  /** The file name or label the caller gave for the image (`<image>` when none was given). */
  readonly source: string;
  /**
   * @param source - file name or label of the image
   * @param detail - extra context (detector, threshold)
   */
  constructor(source: string, detail = '') {
    super(`no face found in ${JSON.stringify(source)}${detail ? ` (${detail})` : ''}`);
    this.source = source;
  }
}

/** The landmark models could not be loaded, or run on a different tfjs instance than `@caddm/tf`'s. */
export class FaceModelError extends FaceError {}
