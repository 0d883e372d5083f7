/**
 * Encoding frames to H.264 mp4 with ffmpeg, bit-exactly reproducible (one thread,
 * bitexact flags, no metadata), so the same frames always give the same bytes on one
 * ffmpeg build.
 */
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { contiguous, imageSize, type ImageU8 } from '@caddm/image';
import { DatasetOptionError, VideoDecodeError } from '../errors.js';
import { lastLine, requireFfmpeg, runTool, type FfmpegTools } from './ffmpeg.js';

/** Options of {@link encodeMp4}. */
export interface EncodeOptions {
  /** Frames per second (default 25). */
  fps?: number;
  /** x264 constant rate factor (default 23, FF++'s c23). */
  crf?: number;
  /** x264 preset (default `veryfast`). */
  preset?: string;
}

/**
 * Encodes RGB frames (all the same even size) as an H.264 yuv420p mp4, atomically.
 * @throws DatasetOptionError for no frames, mixed sizes or odd sizes
 * @throws VideoDecodeError when ffmpeg fails
 */
export async function encodeMp4(frames: readonly ImageU8[], path: string, options: EncodeOptions = {}, tools: FfmpegTools = requireFfmpeg()): Promise<void> {
  if (frames.length === 0) throw new DatasetOptionError(`no frame to encode into ${path}`);
  const { height: h, width: w, channels } = imageSize(frames[0]);
  if (channels !== 3) throw new DatasetOptionError(`encodeMp4 needs RGB frames, got ${channels} channels`);
  if (w % 2 || h % 2) throw new DatasetOptionError(`encodeMp4 needs even frame sizes (yuv420p), got ${w}x${h}`);
  const raw = new Uint8Array(w * h * 3 * frames.length);
  frames.forEach((f, i) => {
    const s = imageSize(f);
    if (s.width !== w || s.height !== h || s.channels !== 3) {
      throw new DatasetOptionError(`frame ${i} is ${s.width}x${s.height}x${s.channels}, expected ${w}x${h}x3`);
    }
    raw.set(contiguous(f).data, i * w * h * 3);
  });
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}.mp4`;
  const r = await runTool(tools.ffmpeg, [
    '-v', 'error', '-y',
    '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${w}x${h}`, '-r', String(options.fps ?? 25), '-i', 'pipe:0',
    '-c:v', 'libx264', '-preset', options.preset ?? 'veryfast', '-crf', String(options.crf ?? 23),
    '-pix_fmt', 'yuv420p', '-threads', '1', '-x264-params', 'threads=1',
    '-map_metadata', '-1', '-fflags', '+bitexact', '-flags:v', '+bitexact', '-movflags', '+faststart',
    tmp,
  ], raw);
  if (r.code !== 0) {
    rmSync(tmp, { force: true });
    throw new VideoDecodeError(`ffmpeg could not encode ${path}: ${lastLine(r.stderr)}`, path);
  }
  renameSync(tmp, path);
}
