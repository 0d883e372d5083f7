/**
 * The one typed error of `@caddm/ffmpeg`.
 */

/**
 * ffmpeg (or ffprobe) could not be found, or a found executable could not be started.
 * The message lists every place that was tried and how to install ffmpeg.
 */
export class FfmpegNotFoundError extends Error {
  /**
   * @param message - what is missing, the places tried and how to install it
   * @param tool - the tool that was looked for (`ffmpeg` or `ffprobe`)
   * @param tried - each place tried, in order, with why it did not serve
   * @param path - the offending executable path, when there is one (a bad environment override, a binary that would not start)
   */
  constructor(
    message: string,
    readonly tool: string,
    readonly tried: readonly string[],
    readonly path?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
