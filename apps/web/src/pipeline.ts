/**
 * From a dropped file to the report `caddm detect --json` prints for it:
 * decode (the browser's decoders), find faces and landmarks (face-api), align,
 * score (CADDM), with the same code as the CLI (`@caddm/trainer/web`).
 */
import { fromRGBA, type ImageU8 } from '@caddm/image';
import {
  detectImage,
  faceReport,
  NoFaceError,
  NO_FACE,
  videoReport,
  type FaceResult,
  type ImageReport,
  type VideoReport,
} from '@caddm/trainer/web';
import type { PageModel } from './model.js';

/** Where face-api's weights are served (copied by scripts/assets.mjs). */
export const FACE_MODELS = 'vendor/face-api/';

/** One analysed image or video frame: the report, and what the page draws. */
export interface Analysed {
  readonly report: ImageReport;
  readonly image: ImageU8;
  readonly faces: readonly FaceResult[];
  /** Milliseconds spent in detection and scoring. */
  readonly ms: number;
}

/** Pixels of a bitmap as an RGB image, without colour management (as the CLI's decoders). */
function pixelsOf(source: CanvasImageSource, width: number, height: number): ImageU8 {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true, colorSpace: 'srgb' });
  if (ctx == null) throw new Error('this browser gives no 2D canvas');
  ctx.drawImage(source, 0, 0);
  return fromRGBA(ctx.getImageData(0, 0, width, height).data, width, height);
}

/** Decodes an image file exactly (no colour-space conversion, no premultiplied alpha). */
export async function decodeImageFile(file: Blob): Promise<ImageU8> {
  const bitmap = await createImageBitmap(file, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  try {
    return pixelsOf(bitmap, bitmap.width, bitmap.height);
  } finally {
    bitmap.close();
  }
}

/** Detects and scores every face of one image (or frame). */
export async function analyseImage(model: PageModel, image: ImageU8, name: string): Promise<Analysed> {
  const t0 = performance.now();
  try {
    const faces = await detectImage(model, image, name, { detector: { modelDir: FACE_MODELS } });
    return { report: { file: name, faces: faces.map(faceReport) }, image, faces, ms: performance.now() - t0 };
  } catch (e) {
    if (e instanceof NoFaceError) return { report: { file: name, error: NO_FACE }, image, faces: [], ms: performance.now() - t0 };
    throw e;
  }
}

function once(target: EventTarget, ok: string, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      target.removeEventListener(ok, done);
      target.removeEventListener('error', fail);
      resolve();
    };
    const fail = () => {
      target.removeEventListener(ok, done);
      target.removeEventListener('error', fail);
      reject(new Error(`this browser cannot ${what}`));
    };
    target.addEventListener(ok, done);
    target.addEventListener('error', fail);
  });
}

/** A video's frames analysed one by one, and its report. */
export interface AnalysedVideo {
  readonly report: VideoReport;
  readonly frames: readonly Analysed[];
  /** Seconds into the video of each sampled frame. */
  readonly times: readonly number[];
}

/**
 * Samples `n` frames at equal intervals over the video's duration (the CLI samples
 * equal intervals of frame indices: the same frames up to one frame), analyses
 * each, and reports as `caddm detect` does: per frame, and the mean over frames
 * with a face of each frame's highest P(fake).
 */
export async function analyseVideo(
  model: PageModel,
  file: File,
  n: number,
  onFrame: (done: number, total: number, frame: Analysed) => void,
): Promise<AnalysedVideo> {
  const video = document.createElement('video');
  video.muted = true;
  video.preload = 'auto';
  const url = URL.createObjectURL(file);
  try {
    const meta = once(video, 'loadeddata', `decode ${file.name} (try an MP4 with H.264 or a WebM)`);
    video.src = url;
    await meta;
    const d = video.duration;
    if (!Number.isFinite(d) || d <= 0 || video.videoWidth === 0) throw new Error(`${file.name}: the browser reports no duration or size for this video`);
    // A frame lasts at least 1/120 s; stop short of the end so the last seek lands on a frame.
    const end = Math.max(0, d - 1 / 120);
    const times = n === 1 ? [0] : Array.from({ length: n }, (_, i) => (i * end) / (n - 1));
    const frames: Analysed[] = [];
    for (const [i, t] of times.entries()) {
      const seeked = once(video, 'seeked', `seek in ${file.name}`);
      video.currentTime = t;
      await seeked;
      const image = pixelsOf(video, video.videoWidth, video.videoHeight);
      const frame = await analyseImage(model, image, `${file.name}#${t.toFixed(3)}s`);
      frames.push(frame);
      onFrame(i + 1, times.length, frame);
    }
    return { report: videoReport(file.name, frames.map((f) => f.report)), frames, times };
  } finally {
    URL.revokeObjectURL(url);
    video.removeAttribute('src');
  }
}
