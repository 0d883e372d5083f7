import { resolve } from 'node:path';

/**
 * A file path as an ffmpeg input or output argument: `file:` and the
 * absolute path. ffmpeg reads `name:rest` as a protocol (`pipe:0.mp4` is
 * standard input, `take:1.mp4` an unknown protocol), so a plain path given by
 * a user must never reach it bare.
 */
export function ffmpegFile(path: string): string {
  return `file:${resolve(path)}`;
}
