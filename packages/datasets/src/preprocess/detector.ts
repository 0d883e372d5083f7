/**
 * Landmark detectors for preprocessing. The interface is small so tests and the
 * embedded benchmark can inject their own: the default runs face-api's detector and
 * 68-point landmark net through `@caddm/face`; the benchmark's exact landmarks are read
 * from the sidecar files the generator writes.
 */
import { readFileSync } from 'node:fs';
import type { ImageU8 } from '@caddm/image';
import { detectFaces, type DetectOptions } from '@caddm/face-detect';
import { DatasetError } from '../errors.js';
import type { VideoEntry } from '../types.js';

/** One face found in a frame. */
export interface FaceCandidate {
  /** Flat `[x, y] x 68` landmarks in frame pixels. */
  landmarks: Float32Array;
  /** Detection confidence in `[0, 1]` (1 for exact landmarks). */
  score: number;
}

/** Where the frame being detected comes from. */
export interface DetectContext {
  /** The video. */
  entry: VideoEntry;
  /** Frame index in the video. */
  frameIndex: number;
}

/** Finds faces and 68 landmarks in a frame. */
export interface LandmarkDetector {
  /** Name recorded in the manifest (`face-api/tiny`, `sidecar`, ...). */
  readonly name: string;
  /** All faces of the frame (possibly none); preprocessing keeps the largest, as the reference does. */
  detect(frame: ImageU8, ctx: DetectContext): Promise<FaceCandidate[]>;
}

/**
 * The default detector: face-api (tiny detector or SSD) + its 68-point net, via `@caddm/face`.
 * @param options - detector kind, score threshold, input size
 */
export function faceApiDetector(options: DetectOptions = {}): LandmarkDetector {
  return {
    name: `face-api/${options.detector ?? 'tiny'}`,
    async detect(frame) {
      const faces = await detectFaces(frame, options);
      return faces.map((f) => ({ landmarks: f.landmarks68, score: f.score }));
    },
  };
}

/** The sidecar file format: exact landmarks of every frame of a video. */
export interface LandmarkSidecar {
  /** Format version (1). */
  v: 1;
  /** Number of frames of the video. */
  frameCount: number;
  /** Per frame index: flat `[x, y] x 68` landmarks, or null where the frame has no face. */
  frames: Array<number[] | null>;
}

/**
 * Reads exact landmarks from `entry.landmarksPath` (written by the embedded benchmark).
 * Entries without a sidecar fall back to `fallback` (e.g. {@link faceApiDetector}), or
 * yield no face when there is none.
 */
export function sidecarDetector(fallback?: LandmarkDetector): LandmarkDetector {
  const cache = new Map<string, LandmarkSidecar>();
  const load = (path: string): LandmarkSidecar => {
    let s = cache.get(path);
    if (!s) {
      try {
        s = JSON.parse(readFileSync(path, 'utf8')) as LandmarkSidecar;
      } catch (e) {
        throw new DatasetError(`cannot read landmark sidecar ${path}: ${(e as Error).message}`, path);
      }
      if (!s || s.v !== 1 || !Array.isArray(s.frames)) throw new DatasetError(`landmark sidecar ${path} is malformed (expected {v: 1, frames: [...]})`, path);
      if (cache.size > 256) cache.clear();
      cache.set(path, s);
    }
    return s;
  };
  return {
    name: fallback ? `sidecar+${fallback.name}` : 'sidecar',
    async detect(frame, ctx) {
      if (!ctx.entry.landmarksPath) return fallback ? fallback.detect(frame, ctx) : [];
      const lm = load(ctx.entry.landmarksPath).frames[ctx.frameIndex];
      return lm ? [{ landmarks: Float32Array.from(lm), score: 1 }] : [];
    },
  };
}

/** Area of the landmarks' bounding box (the reference keeps the face with the largest). */
export function landmarkArea(lm: ArrayLike<number>): number {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (let i = 0; i + 1 < lm.length; i += 2) {
    x0 = Math.min(x0, lm[i]);
    x1 = Math.max(x1, lm[i]);
    y0 = Math.min(y0, lm[i + 1]);
    y1 = Math.max(y1, lm[i + 1]);
  }
  return (x1 - x0) * (y1 - y0);
}
