/**
 * Video compression (DeeperForensics' `video_compression`: `ffmpeg -i in -crf N -y out`,
 * i.e. libx264 with its default `medium` preset at constant rate factor N).
 */
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import { ffmpegFile, lastLine, requireFfmpeg, runTool, type ToolResult } from '@caddm/ffmpeg';
import { contiguous, imageSize, wrapImage, type Image, type ImageU8 } from '@caddm/image';
import { PerturbArgumentError, VideoCompressionError } from '../errors.js';

/** Options of {@link compressVideo} and {@link compressFrames}. */
export interface CompressOptions {
  /** x264 preset (default `medium`, ffmpeg's default and so the reference's). */
  preset?: string;
  /** Frame rate given to the encoded frames by {@link compressFrames} (default 25; it affects x264's rate control). */
  fps?: number;
  /** ffmpeg executable (default: {@link requireFfmpeg}). */
  ffmpeg?: string;
}

/**
 * Throws a {@link VideoCompressionError} quoting ffmpeg's last stderr line unless it exited with 0.
 * @param what - what was being done, for the message
 * @param path - the file concerned (or `<frames>`)
 */
function checkRun(r: ToolResult, what: string, path: string): void {
  if (r.code === 0) return;
  throw new VideoCompressionError(`ffmpeg could not ${what} (exit ${r.code}): ${lastLine(r.stderr)}`, path);
}

function checkCrf(crf: number): void {
  if (!(Number.isFinite(crf) && crf >= 0 && crf <= 51)) throw new PerturbArgumentError(`CRF must be a number in 0..51, got ${crf}`);
}

function checkPreset(preset: string): void {
  if (!/^[a-z]+$/.test(preset)) throw new PerturbArgumentError(`x264 preset must be a word such as medium or veryfast, got ${JSON.stringify(preset)}`);
}

/**
 * Re-encodes a video file's first video stream with libx264 at `crf` (the reference's VC
 * perturbation; levels 1..5 use CRF 30, 32, 35, 38, 40). The pixel format and frame rate
 * are kept; audio and other streams are dropped (the detector never reads them). The
 * output is written to a temporary file beside it and renamed, so it never exists half-written.
 * @param inputPath - existing video
 * @param outputPath - where to write (its extension picks the container, e.g. `.mp4`)
 * @param crf - constant rate factor, 0..51
 * @throws PerturbArgumentError for a missing input, input = output, or a bad CRF
 * @throws VideoCompressionError when ffmpeg fails (quoting its message)
 * @throws FfmpegNotFoundError when there is no ffmpeg
 */
export async function compressVideo(inputPath: string, outputPath: string, crf: number, options: CompressOptions = {}): Promise<void> {
  checkCrf(crf);
  const preset = options.preset ?? 'medium';
  checkPreset(preset);
  if (!existsSync(inputPath)) throw new PerturbArgumentError(`input video ${inputPath} does not exist`);
  if (resolve(inputPath) === resolve(outputPath)) throw new PerturbArgumentError(`input and output are the same file (${inputPath})`);
  const ffmpeg = options.ffmpeg ?? requireFfmpeg();
  mkdirSync(dirname(resolve(outputPath)), { recursive: true });
  const tmp = `${outputPath}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}${extname(outputPath)}`;
  try {
    const r = await runTool(ffmpeg, [
      '-v', 'error', '-nostdin', '-y', '-i', ffmpegFile(inputPath),
      '-map', '0:v:0', '-an', '-sn', '-dn',
      '-c:v', 'libx264', '-preset', preset, '-crf', String(crf),
      ffmpegFile(tmp),
    ]);
    checkRun(r, `compress ${inputPath} at CRF ${crf}`, inputPath);
    renameSync(tmp, outputPath);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/**
 * Compresses a frame sequence as the reference compresses a video: encodes the RGB frames
 * to a temporary H.264 mp4 (libx264, yuv420p as in real videos, `crf`, default preset
 * `medium`, 25 fps), decodes it back to RGB and removes the temporary files. Frames with
 * an odd width or height are padded by repeating their last column/row for yuv420p and
 * cropped back. Deterministic for a given ffmpeg build.
 * @param frames - RGB `uint8` frames, all the same size, in display order
 * @param crf - constant rate factor, 0..51 (levels 1..5: 30, 32, 35, 38, 40)
 * @returns new frames, same count and size
 * @throws PerturbArgumentError for no frames, mixed sizes, non-RGB or non-`uint8` frames, or a bad CRF
 * @throws VideoCompressionError when ffmpeg fails or returns the wrong number of frames
 * @throws FfmpegNotFoundError when there is no ffmpeg
 */
export async function compressFrames(frames: readonly Image[], crf: number, options: CompressOptions = {}): Promise<ImageU8[]> {
  checkCrf(crf);
  const preset = options.preset ?? 'medium';
  checkPreset(preset);
  const fps = options.fps ?? 25;
  if (!(Number.isFinite(fps) && fps > 0)) throw new PerturbArgumentError(`fps must be a positive number, got ${fps}`);
  if (!Array.isArray(frames) || frames.length === 0) throw new PerturbArgumentError('compressFrames needs at least one frame');
  const { height: h, width: w } = imageSize(frames[0]);
  const pw = w + (w & 1);
  const ph = h + (h & 1);
  const frameBytes = pw * ph * 3;
  const raw = new Uint8Array(frameBytes * frames.length);
  frames.forEach((f, i) => {
    const s = imageSize(f);
    if (s.height !== h || s.width !== w || s.channels !== 3) {
      throw new PerturbArgumentError(`frame ${i} is ${s.width}x${s.height}x${s.channels}, expected ${w}x${h}x3 like frame 0`);
    }
    if (!(f.data instanceof Uint8Array)) throw new PerturbArgumentError(`frame ${i} is not a uint8 image`);
    padInto(contiguous(f as ImageU8).data, w, h, raw, i * frameBytes, pw, ph);
  });
  const ffmpeg = options.ffmpeg ?? requireFfmpeg();
  const dir = mkdtempSync(join(tmpdir(), 'caddm-vc-'));
  const mp4 = join(dir, 'vc.mp4');
  try {
    const enc = await runTool(ffmpeg, [
      '-v', 'error', '-y',
      '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${pw}x${ph}`, '-r', String(fps), '-i', 'pipe:0',
      '-c:v', 'libx264', '-preset', preset, '-crf', String(crf), '-pix_fmt', 'yuv420p',
      '-map_metadata', '-1', '-fflags', '+bitexact', '-flags:v', '+bitexact',
      ffmpegFile(mp4),
    ], raw);
    checkRun(enc, `encode ${frames.length} frames at CRF ${crf}`, '<frames>');
    const dec = await runTool(ffmpeg, ['-v', 'error', '-nostdin', '-i', ffmpegFile(mp4), '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1']);
    checkRun(dec, 'decode the compressed frames', '<frames>');
    const got = dec.stdout.length / frameBytes;
    if (got !== frames.length) {
      throw new VideoCompressionError(`compressed ${frames.length} frames but decoded ${dec.stdout.length} bytes (${got} frames of ${pw}x${ph})`, '<frames>');
    }
    const out: ImageU8[] = [];
    for (let i = 0; i < frames.length; i++) out.push(cropFrom(dec.stdout, i * frameBytes, pw, w, h));
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Copies a `w×h` RGB frame into a `pw×ph` slot at `offset`, repeating the last column/row. */
function padInto(src: Uint8Array, w: number, h: number, dst: Uint8Array, offset: number, pw: number, ph: number): void {
  const row = w * 3;
  const prow = pw * 3;
  for (let y = 0; y < ph; y++) {
    const sy = y < h ? y : h - 1;
    const o = offset + y * prow;
    dst.set(src.subarray(sy * row, sy * row + row), o);
    if (pw > w) {
      const last = sy * row + row - 3;
      dst[o + row] = src[last];
      dst[o + row + 1] = src[last + 1];
      dst[o + row + 2] = src[last + 2];
    }
  }
}

/** The top-left `w×h` part of a `pw`-wide RGB frame starting at `offset`. */
function cropFrom(buf: Uint8Array, offset: number, pw: number, w: number, h: number): ImageU8 {
  const out = new Uint8Array(w * h * 3);
  const row = w * 3;
  const prow = pw * 3;
  for (let y = 0; y < h; y++) out.set(buf.subarray(offset + y * prow, offset + y * prow + row), y * row);
  return wrapImage(out, h, w, 3);
}
