import { join } from 'node:path';
import { loadManifest, type ManifestFrame, type ManifestVideo, type Split } from '@caddm/datasets';
import { align5p } from '@caddm/face';
import type { Image, ImageU8 } from '@caddm/image';
import { equalIntervals, type CaddmConfig } from '@caddm/trainer';

/** One video of a cache with the frames the test protocol scores. */
export interface TestVideo {
  readonly video: ManifestVideo;
  /** Frames with landmarks, `test_frames` of them at equal intervals (as `manifestEvalFrames` picks). */
  readonly frames: readonly ManifestFrame[];
  /** Every cached frame with landmarks, in order (for whole-video perturbations). */
  readonly allFrames: readonly ManifestFrame[];
}

/**
 * The videos of a preprocessing cache (one split, or all) with the frames
 * the trainer's test path would score. Failed videos and videos without a
 * face are returned in `skipped` with a reason, never dropped silently.
 */
export function testVideos(cache: string, config: CaddmConfig, split?: Split): { videos: TestVideo[]; skipped: Array<{ id: string; reason: string }> } {
  const { videos } = loadManifest(join(cache, 'manifest.jsonl'));
  const out: TestVideo[] = [];
  const skipped: Array<{ id: string; reason: string }> = [];
  for (const v of videos.values()) {
    if (split != null && v.split !== split) continue;
    if (v.status !== 'ok') {
      skipped.push({ id: v.id, reason: `video failed: ${v.reason ?? 'unknown'}` });
      continue;
    }
    const withFace = v.frames.filter((f) => f.landmarks != null);
    if (withFace.length === 0) {
      skipped.push({ id: v.id, reason: 'no frame with a face' });
      continue;
    }
    out.push({ video: v, frames: equalIntervals(withFace.length, config.dataset.test_frames).map((i) => withFace[i]), allFrames: withFace });
  }
  if (out.length === 0) throw new Error(`testVideos: no usable video in ${cache}${split ? ` (split ${split})` : ''}`);
  return { videos: out, skipped };
}

/** Aligns a whole frame with its cached landmarks exactly as the test path does (no jitter). */
export function alignFrame(frame: Image, frameMeta: ManifestFrame, config: CaddmConfig): ImageU8 {
  if (frameMeta.landmarks == null) throw new Error(`alignFrame: ${frameMeta.file} has no landmarks`);
  const c = config.crop_face;
  return align5p(frame, Float32Array.from(frameMeta.landmarks), { faceWidth: c.face_width, canvasSize: c.output_size, scale: c.scale }).image as ImageU8;
}
