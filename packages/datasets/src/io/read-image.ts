/**
 * Reading and writing image files: PNG through this package's codec, JPEG and others
 * through `@caddm/image` (jimp), then ffmpeg as a last resort. Writes are atomic (temporary file + rename), so an
 * interrupted run never leaves a half-written image under its final name.
 */
import { readFileSync, renameSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import { readImage, type ImageU8 } from '@caddm/image';
import { ffmpegFile, lastLine, requireFfmpegTools, runTool } from '@caddm/ffmpeg';
import { VideoDecodeError } from '../errors.js';
import { decodePng, encodePng } from './png.js';
import { parsePpmStream } from './ppm.js';

/** The largest image read, in pixels: 100 megapixels, the JPEG decoder's own limit. */
export const MAX_IMAGE_PIXELS = 100_000_000;

/** Width and height from a PNG's IHDR chunk, without decoding anything; undefined when there is none. */
export function pngHeaderSize(buf: Uint8Array): { width: number; height: number } | undefined {
  if (buf.length < 24 || buf[0] !== 0x89 || buf[1] !== 0x50 || buf[2] !== 0x4e || buf[3] !== 0x47) return undefined;
  const view = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (view.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  return { width: view.readUInt32BE(16), height: view.readUInt32BE(20) };
}

/**
 * Reads an image file as RGB `uint8`. A PNG whose header claims more than
 * {@link MAX_IMAGE_PIXELS} is refused before anything is decoded (a few bytes
 * can claim gigabytes of pixels).
 * @throws VideoDecodeError when the file cannot be read or decoded, or is too large
 */
export async function readImageFile(path: string): Promise<ImageU8> {
  let buf: Buffer;
  try {
    // A named pipe, socket or device would block the read (or never end): only regular files are images.
    if (!statSync(path).isFile()) throw new Error('not a regular file (a folder, pipe or device); give an image file');
    buf = readFileSync(path);
  } catch (e) {
    throw new VideoDecodeError(`cannot read image ${path}: ${(e as Error).message}`, path);
  }
  const size = pngHeaderSize(buf);
  if (size && size.width * size.height > MAX_IMAGE_PIXELS) {
    throw new VideoDecodeError(
      `cannot read image ${path}: its header claims ${size.width}x${size.height} pixels, above the ${MAX_IMAGE_PIXELS / 1e6} megapixel limit; the file is probably corrupt: leave it out or re-save it`,
      path,
    );
  }
  if (extname(path).toLowerCase() === '.png' || buf.subarray(0, 4).toString('latin1') === '\x89PNG') {
    try {
      return decodePng(buf, path);
    } catch (e) {
      // 16-bit, interlaced or unusual colour types go on to ffmpeg; a PNG that is damaged stops here,
      // rather than letting another decoder make an image of whatever bytes are left.
      const why = (e as Error).message.replace(`${path}: `, '').replace(`${path} `, '');
      if (buf.subarray(0, 4).toString('latin1') === '\x89PNG' && !/not supported|unsupported/.test(why)) {
        throw new VideoDecodeError(`cannot read image ${path}: a damaged PNG (${why}); re-save it or leave it out`, path);
      }
    }
  }
  try {
    return await readImage(path);
  } catch {
    /* fall through to ffmpeg, which reads more formats */
  }
  const { ffmpeg } = requireFfmpegTools();
  const r = await runTool(ffmpeg, ['-v', 'error', '-i', ffmpegFile(path), '-frames:v', '1', '-f', 'image2pipe', '-c:v', 'ppm', '-pix_fmt', 'rgb24', 'pipe:1']);
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
