import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { inShard, loadManifest, readImageFile, type ManifestVideo, type Shard, type Split } from '@caddm/datasets';
import { align5p, LandmarkError } from '@caddm/face';
import type { CaddmConfig } from '../config/index.js';
import { toNetInput } from '../input.js';
import type { EvalFrame } from '../train/data.js';

/** Options of {@link manifestEvalFrames}. */
export interface EvalFramesOptions {
  /** Only videos of this split (default: all). */
  readonly split?: Split;
  /** At most this many frames per video, at equal intervals of those cached (default: the config's test_frames). */
  readonly frames?: number;
  /** Called for every video or frame that cannot be scored (no face, failed decode). */
  readonly onSkip?: (videoId: string, reason: string) => void;
  /** Only the videos of this shard (by a stable hash of the video id; see `@caddm/datasets` `inShard`). */
  readonly shard?: Shard;
}

/** A preprocessing cache that cannot give what was asked of it: printed as one line by the CLI. */
export class EvalDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EvalDataError';
  }
}

/**
 * The videos of a cache's manifest.
 * @throws EvalDataError when the folder holds no manifest (not a cache)
 */
function manifestVideos(cacheDir: string): Map<string, ManifestVideo> {
  const file = join(cacheDir, 'manifest.jsonl');
  if (!existsSync(file)) {
    throw new EvalDataError(`${cacheDir}: no manifest.jsonl, so this is not a preprocessing cache; run 'caddm preprocess' on the dataset first and give the folder it wrote (--out)`);
  }
  return loadManifest(file).videos;
}

function splitCounts(videos: Map<string, ManifestVideo>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of videos.values()) if (v.status === 'ok') counts.set(v.split ?? 'none', (counts.get(v.split ?? 'none') ?? 0) + 1);
  return counts;
}

/**
 * The usable videos (preprocessed without failure) of a cache, per split.
 * @throws EvalDataError when the folder holds no manifest (not a cache)
 */
export function cacheSplits(cacheDir: string): Map<string, number> {
  return splitCounts(manifestVideos(cacheDir));
}

/**
 * Checks that a cache has usable videos to evaluate (in `split`, when given).
 * @throws EvalDataError naming the cache, the split and the splits it does have
 */
export function requireEvalVideos(cacheDir: string, split?: Split): void {
  checkEvalVideos(cacheDir, manifestVideos(cacheDir), split);
}

function checkEvalVideos(cacheDir: string, videos: Map<string, ManifestVideo>, split?: Split): void {
  const counts = splitCounts(videos);
  const n = split == null ? [...counts.values()].reduce((a, b) => a + b, 0) : (counts.get(split) ?? 0);
  if (n > 0) return;
  const have = [...counts].map(([k, v]) => `${k} ${v}`).join(', ') || 'no usable video at all';
  throw new EvalDataError(`${cacheDir} has no usable video${split ? ` in split '${split}'` : ''} to evaluate (it has: ${have}); choose another split or cache, or re-run 'caddm preprocess'`);
}

/** Picks `k` of `n` items at equal intervals (all when k >= n). */
export function equalIntervals(n: number, k: number): number[] {
  if (k >= n) return [...Array(n).keys()];
  return Array.from({ length: k }, (_, i) => Math.floor((i * n) / k));
}

/**
 * Test-time frames from a preprocessing cache (`caddm preprocess` output):
 * each cached frame with landmarks is aligned exactly as in training but
 * without jitter (the reference's test path), normalised, and yielded with
 * its video id and label. Frames without a face and failed videos are
 * reported through `onSkip`, never silently dropped.
 * @throws EvalDataError (before yielding) when the folder is not a cache or the split has no usable video
 */
export async function* manifestEvalFrames(cacheDir: string, config: CaddmConfig, options: EvalFramesOptions = {}): AsyncGenerator<EvalFrame> {
  // One read of the manifest: checked, then walked.
  const videos = manifestVideos(cacheDir);
  checkEvalVideos(cacheDir, videos, options.split);
  const per = options.frames ?? config.dataset.test_frames;
  const c = config.crop_face;
  const skip = options.onSkip ?? (() => {});
  const list: ManifestVideo[] = [...videos.values()].filter((v) => (options.split == null || v.split === options.split) && (options.shard == null || inShard(v.id, options.shard)));
  for (const v of list) {
    if (v.status !== 'ok') {
      skip(v.id, `video failed: ${v.reason ?? 'unknown'}`);
      continue;
    }
    const withFace = v.frames.filter((f) => f.landmarks != null);
    if (withFace.length < v.frames.length) skip(v.id, `${v.frames.length - withFace.length} of ${v.frames.length} frames have no face`);
    for (const i of equalIntervals(withFace.length, per)) {
      const f = withFace[i];
      const img = await readImageFile(join(cacheDir, f.file));
      let a: ReturnType<typeof align5p<typeof img>>;
      try {
        a = align5p(img, Float32Array.from(f.landmarks as number[]), { faceWidth: c.face_width, canvasSize: c.output_size, scale: c.scale });
      } catch (e) {
        if (e instanceof LandmarkError) throw new EvalDataError(`${join(cacheDir, f.file)} (video ${v.id}, frame ${f.index}): its cached ${e.message}; preprocess this video again`);
        throw e;
      }
      yield {
        videoId: v.id,
        label: v.label,
        image: toNetInput(a.image.data, config.model.input_norm),
        shape: [c.output_size, c.output_size, 3],
      };
    }
  }
}
