/**
 * Typed errors of `@caddm/datasets`. Every error names the file or folder at fault.
 */

/** Base class of this package's errors. */
export class DatasetError extends Error {
  /**
   * @param message - what went wrong, naming the file or folder
   * @param path - the file or folder at fault, when there is one
   */
  constructor(
    message: string,
    readonly path?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A dataset root is missing, is not a folder, or does not have the expected layout. */
export class DatasetRootError extends DatasetError {}

/** A split or label file (FF++ `splits/*.json`, Celeb-DF's test list, DFDC `metadata.json`) is unreadable or malformed. */
export class SplitFileError extends DatasetError {}

/** A bad option value (unknown method, compression, negative frame count, ...). */
export class DatasetOptionError extends DatasetError {}

/**
 * ffmpeg / ffprobe cannot be found or fail to start: `@caddm/ffmpeg`'s error, re-exported (so
 * it is not a {@link DatasetError}); its message lists the places tried and how to install ffmpeg.
 */
export { FfmpegNotFoundError } from '@caddm/ffmpeg';

/** A video cannot be probed or decoded (corrupt, truncated, not a video). */
export class VideoDecodeError extends DatasetError {}

/** A preprocessing manifest line is malformed. */
export class ManifestError extends DatasetError {}
