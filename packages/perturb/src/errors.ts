/**
 * Typed errors of `@caddm/perturb`. Every message names the offending argument and value.
 */

/** Base class of every error thrown by `@caddm/perturb`. */
export class PerturbError extends Error {
  /** @param message - what went wrong, naming the offending argument */
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** An unknown perturbation type, a level outside 1..5, a missing RNG or an unsuitable image. */
export class PerturbArgumentError extends PerturbError {}

/**
 * ffmpeg could not be found or started: `@caddm/ffmpeg`'s error, re-exported (so it is not a
 * {@link PerturbError}); its message lists the places tried and how to install ffmpeg.
 */
export { FfmpegNotFoundError } from '@caddm/ffmpeg';

/** ffmpeg failed to compress or decode a video; the message quotes ffmpeg's last line. */
export class VideoCompressionError extends PerturbError {
  /** The file (or `<frames>`) being processed. */
  readonly path: string;
  /**
   * @param message - what failed, with ffmpeg's last message line
   * @param path - the file (or `<frames>`) being processed
   */
  constructor(message: string, path: string) {
    super(message);
    this.path = path;
  }
}
