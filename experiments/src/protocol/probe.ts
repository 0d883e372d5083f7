/**
 * What an identity probe needs beyond the features: a split that keeps a
 * person's videos apart (train on one video, test on another, so a probe
 * cannot pass by recognising a scene), the raw-pixel control, and intervals
 * of a probe's accuracy that resample identities.
 */
import { clusterBootstrap } from '@caddm/metrics';
import type { FrameSet } from './features.js';

/** Probe-train and probe-test frame indices, and how they were split. */
export interface ProbeSplit {
  readonly train: number[];
  readonly test: number[];
  /**
   * `video`: every person's videos alternate between train and test (sorted by id), so no
   * video is on both sides; `frames`: no person has two videos, so each person's frames
   * alternate (scene and pose then help any feature).
   */
  readonly by: 'video' | 'frames';
}

/**
 * Splits a frame set for an identity probe. When at least two persons have two or more
 * videos, those persons' videos alternate between probe-train and probe-test (sorted by
 * video id) and persons with one video are left out; otherwise each person's frames
 * alternate (the old, scene-sharing split, reported as `by: 'frames'`).
 */
export function probeSplitByVideo(identities: readonly string[], videoIds: readonly string[]): ProbeSplit {
  const videosOf = new Map<string, Set<string>>();
  identities.forEach((id, i) => videosOf.set(id, (videosOf.get(id) ?? new Set()).add(videoIds[i])));
  const multi = [...videosOf].filter(([, v]) => v.size >= 2);
  const train: number[] = [];
  const test: number[] = [];
  if (multi.length >= 2) {
    const side = new Map<string, 'train' | 'test'>();
    for (const [, vids] of multi) [...vids].sort().forEach((v, k) => side.set(v, k % 2 === 0 ? 'train' : 'test'));
    videoIds.forEach((v, i) => {
      const s = side.get(v);
      if (s) (s === 'train' ? train : test).push(i);
    });
    return { train, test, by: 'video' };
  }
  const counts = new Map<string, number>();
  for (const id of identities) counts.set(id, (counts.get(id) ?? 0) + 1);
  const seen = new Map<string, number>();
  identities.forEach((id, i) => {
    if ((counts.get(id) ?? 0) < 2) return;
    const k = seen.get(id) ?? 0;
    seen.set(id, k + 1);
    (k % 2 === 0 ? train : test).push(i);
  });
  return { train, test, by: 'frames' };
}

/**
 * The raw-pixel control: each frame average-pooled to `side x side` per channel
 * (the frames as the networks see them), flattened.
 */
export function pixelFeatures(set: FrameSet, side = 16): { features: Float32Array; dim: number } {
  const [h, w, c] = set.shape;
  const dim = side * side * c;
  const out = new Float32Array(set.count * dim);
  const size = h * w * c;
  for (let n = 0; n < set.count; n++) {
    const img = set.images.subarray(n * size, (n + 1) * size);
    for (let by = 0; by < side; by++) {
      const y0 = Math.floor((by * h) / side);
      const y1 = Math.max(y0 + 1, Math.floor(((by + 1) * h) / side));
      for (let bx = 0; bx < side; bx++) {
        const x0 = Math.floor((bx * w) / side);
        const x1 = Math.max(x0 + 1, Math.floor(((bx + 1) * w) / side));
        for (let k = 0; k < c; k++) {
          let s = 0;
          for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) s += img[(y * w + x) * c + k];
          out[n * dim + (by * side + bx) * c + k] = s / ((y1 - y0) * (x1 - x0));
        }
      }
    }
  }
  return { features: out, dim };
}

/** An accuracy (%) with its 95% identity-cluster bootstrap interval. */
export interface AccuracyInterval {
  readonly accPct: number;
  readonly ciPct: readonly [number, number];
}

/**
 * Interval of a mean of per-frame values, in % (a probe's 0/1 outcomes give its
 * accuracy; per-frame fractions such as kNN agreement work too), or with `b`
 * of the paired difference `a - b` on the same frames, resampling the frames'
 * persons with all their frames (2,000 replicates, seeded).
 */
export function accuracyInterval(a: ArrayLike<number>, clusters: readonly string[], b?: ArrayLike<number>): AccuracyInterval {
  if (a.length !== clusters.length || (b && b.length !== a.length)) throw new Error(`accuracyInterval: ${a.length} outcomes, ${clusters.length} persons${b ? `, ${b.length} outcomes to compare` : ''}`);
  const value = (i: number) => a[i] - (b ? b[i] : 0);
  const stat = (wts: Uint32Array) => {
    let s = 0;
    let n = 0;
    for (let i = 0; i < wts.length; i++) {
      s += wts[i] * value(i);
      n += wts[i];
    }
    return n > 0 ? s / n : Number.NaN;
  };
  const r = clusterBootstrap(clusters, stat, { reps: 2000, seed: 0 });
  return { accPct: 100 * r.estimate, ciPct: [100 * r.lo, 100 * r.hi] };
}
