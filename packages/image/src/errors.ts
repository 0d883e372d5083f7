/**
 * Typed errors thrown by `@caddm/image` for bad input. Every message names the
 * offending argument and the values it had, so callers never get a silent NaN.
 */

/** Base class of every error thrown by `@caddm/image`. */
export class ImageError extends Error {
  /** @param message - what went wrong, naming the offending argument */
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Two images (or an image and a buffer) that must agree in size do not. */
export class ImageShapeError extends ImageError {}

/** An image has a channel count (or dtype) the operation does not support. */
export class ImageChannelError extends ImageError {}

/** An argument (size, matrix, kernel, quality, ...) is out of range or malformed. */
export class ImageArgumentError extends ImageError {}

/** A file could not be read or decoded; the message names the path. */
export class ImageReadError extends ImageError {
  /** The path (or `<buffer>`) that could not be read. */
  readonly path: string;
  /**
   * @param path - the file path, or `<buffer>` for in-memory data
   * @param cause - the underlying error
   */
  constructor(path: string, cause: unknown) {
    super(`cannot read image ${JSON.stringify(path)}: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.path = path;
    this.cause = cause;
  }
}

/** A file could not be encoded or written; the message names the path. */
export class ImageWriteError extends ImageError {
  /** The path (or `<buffer>`) that could not be written. */
  readonly path: string;
  /**
   * @param path - the file path, or `<buffer>` for in-memory encoding
   * @param cause - the underlying error
   */
  constructor(path: string, cause: unknown) {
    super(`cannot write image ${JSON.stringify(path)}: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.path = path;
    this.cause = cause;
  }
}
