/**
 * Encoding frames to H.264 mp4 with ffmpeg, bit-exactly reproducible (one thread,
 * bitexact flags, no metadata), so the same frames always give the same bytes on one
 * ffmpeg build.
 */
import { copyFileSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { contiguous, imageSize, type ImageU8 } from '@caddm/image';
import { ffmpegFile, type FfmpegTools, lastLine, requireFfmpegTools, runTool } from '@caddm/ffmpeg';
import { DatasetOptionError, VideoDecodeError } from '../errors.js';

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
export async function encodeMp4(frames: readonly ImageU8[], path: string, options: EncodeOptions = {}, tools: FfmpegTools = requireFfmpegTools()): Promise<void> {
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
    ffmpegFile(tmp),
  ], raw);
  if (r.code !== 0) {
    rmSync(tmp, { force: true });
    throw new VideoDecodeError(`ffmpeg could not encode ${path}: ${lastLine(r.stderr)}`, path);
  }
  renameSync(tmp, path);
}

/**
 * Encodes many short videos (all the same size) with ONE ffmpeg process: the frames are
 * concatenated, a keyframe is forced at each video's first frame, and the segment muxer
 * cuts the stream into one mp4 per video. Far cheaper than a process per video when
 * there are hundreds of tiny videos. Rate-control look-ahead is off, so a video's bytes
 * do not depend on its neighbours' content beyond x264's running rate statistics.
 * @param videos - frames of each video
 * @param paths - output path of each video
 */
export async function encodeMp4Batch(
  videos: readonly (readonly ImageU8[])[],
  paths: readonly string[],
  options: EncodeOptions = {},
  tools: FfmpegTools = requireFfmpegTools(),
): Promise<void> {
  if (videos.length !== paths.length) throw new DatasetOptionError(`encodeMp4Batch: ${videos.length} videos but ${paths.length} paths`);
  if (videos.length === 0) return;
  if (videos.length === 1) return encodeMp4(videos[0], paths[0], options, tools);
  const lens = videos.map((v) => v.length);
  const equal = lens.every((l) => l === lens[0]);
  if (!equal && videos.length > 40) {
    // ffmpeg's expression parser limits a keyframe list's length: encode in chunks.
    for (let i = 0; i < videos.length; i += 40) await encodeMp4Batch(videos.slice(i, i + 40), paths.slice(i, i + 40), options, tools);
    return;
  }
  const { height: h, width: w } = imageSize(videos[0][0]);
  if (w % 2 || h % 2) throw new DatasetOptionError(`encodeMp4Batch needs even frame sizes (yuv420p), got ${w}x${h}`);
  const total = videos.reduce((s, v) => s + v.length, 0);
  const raw = new Uint8Array(w * h * 3 * total);
  const starts: number[] = [];
  let f = 0;
  videos.forEach((v, vi) => {
    if (v.length === 0) throw new DatasetOptionError(`video ${vi} (${paths[vi]}) has no frame`);
    starts.push(f);
    for (const img of v) {
      const s = imageSize(img);
      if (s.width !== w || s.height !== h || s.channels !== 3) throw new DatasetOptionError(`${paths[vi]}: frame is ${s.width}x${s.height}x${s.channels}, expected ${w}x${h}x3`);
      raw.set(contiguous(img).data, f * w * h * 3);
      f++;
    }
  });
  const tmpDir = mkdtempSync(join(tmpdir(), 'caddm-enc-'));
  try {
    const fps = options.fps ?? 25;
    const maxLen = Math.max(...videos.map((v) => v.length));
    const r = await runTool(tools.ffmpeg, [
      '-v', 'error', '-y',
      '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${w}x${h}`, '-r', String(fps), '-i', 'pipe:0',
      '-c:v', 'libx264', '-preset', options.preset ?? 'veryfast', '-crf', String(options.crf ?? 23),
      '-pix_fmt', 'yuv420p', '-threads', '1',
      '-x264-params', `threads=1:rc-lookahead=0:mbtree=0:scenecut=0:keyint=${maxLen + 1}:min-keyint=1`,
      '-force_key_frames', equal ? `expr:eq(mod(n,${lens[0]}),0)` : `expr:${starts.slice(1).map((s) => `eq(n,${s})`).join('+')}`,
      '-map_metadata', '-1', '-fflags', '+bitexact', '-flags:v', '+bitexact',
      '-f', 'segment', '-segment_format', 'mp4', '-segment_frames', starts.slice(1).join(','), '-reset_timestamps', '1',
      ffmpegFile(join(tmpDir, '%06d.mp4')),
    ], raw);
    if (r.code !== 0) throw new VideoDecodeError(`ffmpeg could not encode the batch (first ${paths[0]}): ${lastLine(r.stderr)}`, paths[0]);
    paths.forEach((p, i) => {
      const seg = join(tmpDir, `${String(i).padStart(6, '0')}.mp4`);
      mkdirSync(dirname(p), { recursive: true });
      try {
        renameSync(seg, p);
      } catch {
        copyFileSync(seg, p);
      }
    });
  } finally {
    rmSync(tmpDir, { recursive: true, force: true });
  }
}
