/**
 * Probing videos and decoding frames at equal intervals.
 *
 * Frame indices follow the reference: `linspace(0, count - 1, n)` truncated to integers
 * (duplicates removed when a video has fewer than `n` frames). Frame counts come from the
 * MP4 sample table read directly, else from ffmpeg itself counting the video packets (a stream
 * copy, no decoding). ffprobe is never needed, so every ffmpeg build (Debian's, the npm
 * `@ffmpeg-installer/ffmpeg` one, which ships no ffprobe) probes the same way and reports a bad
 * file in the same words. Frames are decoded in one ffmpeg pass with a `select` filter and
 * read as PPM, which carries each frame's size.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ImageU8 } from '@caddm/image';
import { ffmpegFile, type FfmpegTools, lastLine, requireFfmpegTools, runTool } from '@caddm/ffmpeg';
import { DatasetOptionError, VideoDecodeError } from '../errors.js';
import { readImageFile } from '../io/read-image.js';
import { parsePpmStream } from '../io/ppm.js';
import { listFrameFiles } from '../readers/fs-util.js';
import type { MediaFormat } from '../types.js';
import { readMp4Info } from './mp4.js';

/** What is known about a video before decoding. */
export interface VideoInfo {
  /** Number of frames. */
  frameCount: number;
  /** Frame width (0 when not known before decoding). */
  width: number;
  /** Frame height (0 when not known before decoding). */
  height: number;
  /** Frames per second, when known. */
  fps?: number;
  /** How the count was obtained: the MP4 sample table, ffmpeg's packet count, or the files of a frames folder. */
  countedBy: 'mp4' | 'packets' | 'files';
}

/**
 * `n` frame indices at equal intervals over `frameCount` frames, like the reference's
 * `np.linspace(0, frameCount - 1, n, dtype=int)`, without duplicates.
 * @throws DatasetOptionError for a non-positive `n` or a negative count
 */
export function sampleFrameIndices(frameCount: number, n: number): number[] {
  if (!Number.isInteger(n) || n <= 0) throw new DatasetOptionError(`frames per video must be a positive integer, got ${n}`);
  if (!Number.isInteger(frameCount) || frameCount < 0) throw new DatasetOptionError(`frame count must be a non-negative integer, got ${frameCount}`);
  if (frameCount === 0) return [];
  if (n === 1) return [0];
  const out: number[] = [];
  const step = (frameCount - 1) / (n - 1);
  for (let i = 0; i < n; i++) {
    const v = Math.trunc(i * step);
    if (out.length === 0 || out[out.length - 1] !== v) out.push(v);
  }
  return out;
}

/** What to do about a video that cannot be read, closing every such message. */
const UNREADABLE_VIDEO_HINT = 'check that it plays, then re-copy or re-encode it, or leave it out';

/**
 * The one error for a video that cannot be probed or decoded: the file, the problem, what to
 * do, on one line. ffmpeg's own line starts with the file name, which is dropped here.
 */
function unreadableVideo(path: string, problem: string): VideoDecodeError {
  // ffmpeg starts its reason with the input as it was given: `file:<absolute path>: `.
  const given = `${ffmpegFile(path)}: `;
  const p = problem.startsWith(given) ? problem.slice(given.length) : problem.startsWith(`${path}: `) ? problem.slice(path.length + 2) : problem;
  return new VideoDecodeError(`cannot read video ${path}: ${p}; ${UNREADABLE_VIDEO_HINT}`, path);
}

/** ffmpeg's reason: `no video stream` for a file without video, else its last line (not the generic closing `Conversion failed!`). */
function ffmpegProblem(stderr: string): string {
  if (/Stream map '0:v:0' matches no streams|Output file #0 does not contain any stream/.test(stderr)) return 'no video stream';
  return lastLine(stderr.replace(/^Conversion failed!\s*$/m, ''));
}

/**
 * Probes a video file: frame count, and size and frame rate when known (MP4/MOV are read
 * directly; other containers by ffmpeg counting the video packets without decoding them).
 * Needs ffmpeg only, never ffprobe.
 * @throws VideoDecodeError when the file is not a readable video (`cannot read video <file>: <problem>; <what to do>`)
 */
export async function probeVideo(path: string, tools: FfmpegTools = requireFfmpegTools()): Promise<VideoInfo> {
  if (/\.(mp4|mov|m4v)$/i.test(path)) {
    const m = readMp4Info(path);
    if (m) return { ...m, countedBy: 'mp4' };
  }
  // framecrc prints one line per packet; with a stream copy nothing is decoded.
  const r = await runTool(tools.ffmpeg, ['-hide_banner', '-nostats', '-i', ffmpegFile(path), '-map', '0:v:0', '-c', 'copy', '-f', 'framecrc', '-']);
  const count = r.stdout.toString('utf8').split('\n').filter((l) => l.length > 0 && !l.startsWith('#')).length;
  if (count === 0) throw unreadableVideo(path, r.code !== 0 ? ffmpegProblem(r.stderr) : 'no video frames');
  // The input's stream line, e.g. "Stream #0:0(und): Video: h264 (...), yuv420p, 32x24 [SAR 1:1 DAR 4:3], 10 fps, ...".
  const stream = /Stream #\d+:\d+.*?: Video: (.*)/.exec(r.stderr)?.[1] ?? '';
  const size = /, (\d+)x(\d+)\b/.exec(stream);
  const fps = Number(/, (\d+(?:\.\d+)?) fps\b/.exec(stream)?.[1]);
  const info: VideoInfo = { frameCount: count, width: size ? Number(size[1]) : 0, height: size ? Number(size[2]) : 0, countedBy: 'packets' };
  return fps > 0 ? { ...info, fps } : info;
}

/** Decoded frames of one video. */
export interface DecodedFrames {
  /** Frames by index (only those decoded). */
  frames: Map<number, ImageU8>;
  /** Requested indices that could not be decoded (truncated or corrupt video). */
  missing: number[];
  /** ffmpeg's last error line when some frames are missing. */
  error?: string;
}

/**
 * Decodes the frames at the given indices (sorted, unique) of a video file.
 * Frames past a truncation come back in `missing`; a video that yields no frame at all throws.
 * @throws VideoDecodeError when nothing can be decoded (the same message as {@link probeVideo}'s)
 */
export async function decodeVideoFrames(path: string, indices: readonly number[], tools: FfmpegTools = requireFfmpegTools()): Promise<DecodedFrames> {
  const idx = [...new Set(indices)].sort((a, b) => a - b);
  if (idx.length === 0) return { frames: new Map(), missing: [] };
  if (idx.some((i) => !Number.isInteger(i) || i < 0)) throw new DatasetOptionError(`frame indices must be non-negative integers, got ${idx.join(',')}`);
  const select = `select=${idx.map((i) => `eq(n\\,${i})`).join('+')}`;
  const r = await runTool(tools.ffmpeg, [
    '-v', 'error', '-i', ffmpegFile(path), '-map', '0:v:0', '-vf', select, '-vsync', '0',
    '-f', 'image2pipe', '-c:v', 'ppm', '-pix_fmt', 'rgb24', 'pipe:1',
  ]);
  const { frames } = parsePpmStream(r.stdout, path);
  if (frames.length === 0) throw unreadableVideo(path, r.code !== 0 ? ffmpegProblem(r.stderr) : 'no frame at the requested indices');
  const out = new Map<number, ImageU8>();
  for (let k = 0; k < Math.min(frames.length, idx.length); k++) out.set(idx[k], frames[k]);
  const missing = idx.slice(frames.length);
  const res: DecodedFrames = { frames: out, missing };
  if (missing.length > 0) res.error = r.code !== 0 ? lastLine(r.stderr) : `the video ends after ${frames.length} of the requested frames`;
  return res;
}

/** Frame count and size of any media entry (video file, frames folder, single image). */
export async function probeMedia(path: string, format: MediaFormat, tools?: FfmpegTools): Promise<VideoInfo> {
  if (format === 'image') return { frameCount: 1, width: 0, height: 0, countedBy: 'files' };
  if (format === 'frames') {
    const files = listFrameFiles(path);
    if (files.length === 0) throw new VideoDecodeError(`frames folder ${path} holds no image`, path);
    return { frameCount: files.length, width: 0, height: 0, countedBy: 'files' };
  }
  return probeVideo(path, tools);
}

/**
 * Decodes frames of any media entry. For a frames folder, frame `i` is its i-th image by name;
 * an image is a one-frame video.
 */
export async function decodeMediaFrames(
  path: string,
  format: MediaFormat,
  indices: readonly number[],
  tools?: FfmpegTools,
): Promise<DecodedFrames> {
  if (format === 'video') return decodeVideoFrames(path, indices, tools);
  const files = format === 'image' ? [path] : listFrameFiles(path);
  const frames = new Map<number, ImageU8>();
  const missing: number[] = [];
  let error: string | undefined;
  for (const i of [...new Set(indices)].sort((a, b) => a - b)) {
    if (i >= files.length) {
      missing.push(i);
      error = `only ${files.length} frame(s) in ${path}`;
      continue;
    }
    try {
      frames.set(i, await readImageFile(files[i]));
    } catch (e) {
      missing.push(i);
      error = (e as Error).message;
    }
  }
  if (frames.size === 0 && indices.length > 0) throw new VideoDecodeError(`cannot decode ${path}: ${error ?? 'no frame'}`, path);
  return error === undefined ? { frames, missing } : { frames, missing, error };
}

/**
 * Decodes EVERY frame of several short videos with one ffmpeg process (the concat demuxer),
 * for datasets of many tiny videos where process start-up would dominate. Frames are split
 * back by each file's frame count, read from its MP4 sample table.
 * @returns the frames of each video, or undefined when the files cannot be batched (not MP4,
 *   mixed sizes, or the decoded total differs from the sum of counts): decode them one by one then
 */
export async function decodeAllFramesBatch(paths: readonly string[], tools: FfmpegTools = requireFfmpegTools()): Promise<ImageU8[][] | undefined> {
  if (paths.length === 0) return [];
  const infos = paths.map((p) => readMp4Info(p));
  if (infos.some((i) => !i || i.width !== infos[0]!.width || i.height !== infos[0]!.height)) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'caddm-concat-'));
  try {
    const list = join(dir, 'list.txt');
    writeFileSync(list, paths.map((p) => `file '${resolve(p).replace(/'/g, "'\\''")}'`).join('\n') + '\n');
    const r = await runTool(tools.ffmpeg, [
      '-v', 'error', '-f', 'concat', '-safe', '0', '-i', ffmpegFile(list), '-map', '0:v:0', '-vsync', '0',
      '-f', 'image2pipe', '-c:v', 'ppm', '-pix_fmt', 'rgb24', 'pipe:1',
    ]);
    if (r.code !== 0) return undefined;
    const { frames } = parsePpmStream(r.stdout, 'concat batch');
    const total = infos.reduce((s, i) => s + i!.frameCount, 0);
    if (frames.length !== total) return undefined;
    const out: ImageU8[][] = [];
    let k = 0;
    for (const i of infos) {
      out.push(frames.slice(k, k + i!.frameCount));
      k += i!.frameCount;
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
