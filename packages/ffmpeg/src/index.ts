/**
 * `@caddm/ffmpeg`: finds the ffmpeg and ffprobe executables and runs them, for the packages
 * that decode, encode or compress video (`@caddm/datasets`, `@caddm/perturb`).
 *
 * Search order: the `CADDM_FFMPEG` / `CADDM_FFPROBE` environment override (a bad one is an
 * error naming it), then `PATH`, then the optional npm package `@ffmpeg-installer/ffmpeg`
 * (ffmpeg only). A miss throws {@link FfmpegNotFoundError}, listing what was tried and how
 * to install ffmpeg.
 *
 * ```ts
 * import { requireFfmpeg, runTool, lastLine } from '@caddm/ffmpeg';
 * const r = await runTool(requireFfmpeg(), ['-version']);
 * if (r.code !== 0) throw new Error(lastLine(r.stderr));
 * ```
 *
 * @packageDocumentation
 */
export { FfmpegNotFoundError } from './errors.js';
export {
  ENV_OVERRIDE,
  INSTALL_HINT,
  findFfmpeg,
  findFfmpegTools,
  findFfprobe,
  notFoundError,
  requireFfmpeg,
  requireFfmpegTools,
  searchTool,
  type FfmpegTools,
  type ToolName,
  type ToolSearch,
} from './find.js';
export { STDERR_TAIL, lastLine, runTool, type ToolResult } from './run.js';
export { ffmpegFile } from './file-arg.js';
