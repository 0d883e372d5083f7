/**
 * Reading and writing image files: PNG through this package's codec, JPEG and others
 * through `@caddm/image` (jimp), then ffmpeg as a last resort. Writes are atomic (temporary file + rename), so an
 * interrupted run never leaves a half-written image under its final name.
 */
import { readFileSync, renameSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import { readImage, type ImageU8 } from '@caddm/image';
import { lastLine, requireFfmpegTools, runTool } from '@caddm/ffmpeg';
import { VideoDecodeError } from '../errors.js';
import { decodePng, encodePng } from './png.js';
import { parsePpmStream } from './ppm.js';

/**
 * Reads an image file as RGB `uint8`.
 * @throws VideoDecodeError when the file cannot be read or decoded
 */
export async function readImageFile(path: string): Promise<ImageU8> {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    throw new VideoDecodeError(`cannot read image ${path}: ${(e as Error).message}`, path);
  }
  if (extname(path).toLowerCase() === '.png' || buf.subarray(0, 4).toString('latin1') === '\x89PNG') {
    try {
      return decodePng(buf, path);
    } catch {
      /* fall through to ffmpeg (16-bit or interlaced PNGs) */
    }
  }
  try {
    return await readImage(path);
  } catch {
    /* fall through to ffmpeg, which reads more formats */
  }
  const { ffmpeg } = requireFfmpegTools();
  const r = await runTool(ffmpeg, ['-v', 'error', '-i', path, '-frames:v', '1', '-f', 'image2pipe', '-c:v', 'ppm', '-pix_fmt', 'rgb24', 'pipe:1']);
  if (r.code !== 0) throw new VideoDecodeError(`cannot decode image ${path}: ${lastLine(r.stderr)}`, path);
  const { frames } = parsePpmStream(r.stdout, path);
  if (frames.length === 0) throw new VideoDecodeError(`cannot decode image ${path}: no picture in it`, path);
  return frames[0];
}

/** Writes a file atomically (temporary name in the same folder, then rename). Creates the folder. */
export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/** Encodes an image as PNG and writes it atomically. */
export function writePngFile(path: string, img: ImageU8): void {
  writeFileAtomic(path, encodePng(img));
}
