/**
 * Probing videos and decoding frames at equal intervals.
 *
 * Frame indices follow the reference: `linspace(0, count - 1, n)` truncated to integers
 * (duplicates removed when a video has fewer than `n` frames). Frame counts come from the
 * MP4 sample table read directly, else ffprobe's container count, then its packet count,
 * and without ffprobe from a full decode with ffmpeg. Frames are decoded in one ffmpeg pass with a `select` filter and
 * read as PPM, which carries each frame's size.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ImageU8 } from '@caddm/image';
import { lastLine, requireFfmpegTools, runTool, type FfmpegTools } from '@caddm/ffmpeg';
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
  /** How the count was obtained. */
  countedBy: 'mp4' | 'ffprobe' | 'packets' | 'decode' | 'files';
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

function parseRate(r: unknown): number | undefined {
  if (typeof r !== 'string') return undefined;
  const [a, b] = r.split('/').map(Number);
  const v = b ? a / b : a;
  return Number.isFinite(v) && v > 0 ? v : undefined;
}

/**
 * Probes a video file: frame count, size, frame rate (MP4/MOV are read directly).
 * @throws VideoDecodeError when the file is not a decodable video (naming it and ffmpeg's message)
 */
export async function probeVideo(path: string, tools: FfmpegTools = requireFfmpegTools()): Promise<VideoInfo> {
  if (/\.(mp4|mov|m4v)$/i.test(path)) {
    const m = readMp4Info(path);
    if (m) return { ...m, countedBy: 'mp4' };
  }
  if (tools.ffprobe) {
    const base = ['-v', 'error', '-select_streams', 'v:0', '-of', 'json'];
    const r = await runTool(tools.ffprobe, [...base, '-show_entries', 'stream=width,height,nb_frames,avg_frame_rate', path]);
    if (r.code !== 0) throw new VideoDecodeError(`cannot probe ${path}: ${lastLine(r.stderr)}`, path);
    let s: Record<string, unknown> | undefined;
    try {
      s = (JSON.parse(r.stdout.toString('utf8')) as { streams?: Array<Record<string, unknown>> }).streams?.[0];
    } catch {
      s = undefined;
    }
    if (!s) throw new VideoDecodeError(`cannot probe ${path}: no video stream`, path);
    const width = Number(s.width) || 0;
    const height = Number(s.height) || 0;
    const fps = parseRate(s.avg_frame_rate);
    let count = Number(s.nb_frames);
    let countedBy: VideoInfo['countedBy'] = 'ffprobe';
    if (!Number.isInteger(count) || count <= 0) {
      const p = await runTool(tools.ffprobe, [...base, '-count_packets', '-show_entries', 'stream=nb_read_packets', path]);
      const q = p.code === 0 ? (JSON.parse(p.stdout.toString('utf8')) as { streams?: Array<Record<string, unknown>> }).streams?.[0] : undefined;
      count = Number(q?.nb_read_packets);
      countedBy = 'packets';
    }
    if (!Number.isInteger(count) || count <= 0) throw new VideoDecodeError(`cannot probe ${path}: no frames`, path);
    return fps === undefined ? { frameCount: count, width, height, countedBy } : { frameCount: count, width, height, fps, countedBy };
  }
  // No ffprobe: decode everything once and count frames (framecrc prints one line per frame).
  const r = await runTool(tools.ffmpeg, ['-v', 'error', '-i', path, '-map', '0:v:0', '-f', 'framecrc', '-']);
  const lines = r.stdout.toString('utf8').split('\n').filter((l) => l.length > 0 && !l.startsWith('#'));
  if (r.code !== 0 && lines.length === 0) throw new VideoDecodeError(`cannot decode ${path}: ${lastLine(r.stderr)}`, path);
  if (lines.length === 0) throw new VideoDecodeError(`cannot decode ${path}: no frames`, path);
  return { frameCount: lines.length, width: 0, height: 0, countedBy: 'decode' };
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
 * @throws VideoDecodeError when nothing can be decoded
 */
export async function decodeVideoFrames(path: string, indices: readonly number[], tools: FfmpegTools = requireFfmpegTools()): Promise<DecodedFrames> {
  const idx = [...new Set(indices)].sort((a, b) => a - b);
  if (idx.length === 0) return { frames: new Map(), missing: [] };
  if (idx.some((i) => !Number.isInteger(i) || i < 0)) throw new DatasetOptionError(`frame indices must be non-negative integers, got ${idx.join(',')}`);
  const select = `select=${idx.map((i) => `eq(n\\,${i})`).join('+')}`;
  const r = await runTool(tools.ffmpeg, [
    '-v', 'error', '-i', path, '-map', '0:v:0', '-vf', select, '-vsync', '0',
    '-f', 'image2pipe', '-c:v', 'ppm', '-pix_fmt', 'rgb24', 'pipe:1',
  ]);
  const { frames } = parsePpmStream(r.stdout, path);
  if (frames.length === 0) {
    throw new VideoDecodeError(`cannot decode ${path}: ${r.code !== 0 ? lastLine(r.stderr) : 'no frame at the requested indices'}`, path);
  }
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
      '-v', 'error', '-f', 'concat', '-safe', '0', '-i', list, '-map', '0:v:0', '-vsync', '0',
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
