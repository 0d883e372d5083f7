/**
 * Frames with identities, penultimate-layer features and a scalar score of
 * a trained net: what the identity-leakage experiments (Table 1, Fig. 2,
 * Fig. 5) measure.
 */
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { faceApiDetector, loadManifest, preprocess, readIdentityFolders, type ManifestVideo, type Split } from '@caddm/datasets';
import type { ScoreModel } from '@caddm/metrics/tensors';
import { writeFileAtomic } from '@caddm/runlog';
import { tf } from '@caddm/tf';
import { equalIntervals, manifestEvalFrames, type BuiltNet, type CaddmConfig } from '@caddm/trainer';

/**
 * The identity shown in a cached video: its `identity` field when the cache
 * has one (identity folders), else for a fake its target's real video (the
 * person and scene the fake was made from, `sourceId`), else the video
 * itself (an FF++ original is one person).
 */
export function identityOf(v: ManifestVideo): string {
  return v.identity ?? (v.label === 1 && v.sourceId ? v.sourceId : v.id);
}

/** Aligned, normalised frames with their labels and identities. */
export interface FrameSet {
  /** `n * h * w * c` values, row-major. */
  readonly images: Float32Array;
  readonly shape: readonly [number, number, number];
  readonly count: number;
  /** 1 fake, 0 genuine. */
  readonly labels: Uint8Array;
  readonly identities: readonly string[];
  readonly videoIds: readonly string[];
}

/** Options of {@link collectFrames}. */
export interface CollectOptions {
  /** Only this split of the cache. */
  readonly split?: Split;
  /** Frames per video at equal intervals (default: the config's test_frames). */
  readonly frames?: number;
  /** Keep a video only if this returns true. */
  readonly keep?: (v: ManifestVideo) => boolean;
  /** The person of a video by its id (e.g. from a benchmark's identities.json); default {@link identityOf}. */
  readonly person?: (videoId: string) => string;
}

/**
 * Reads a preprocessing cache's frames (aligned as at test time) into
 * memory with each frame's identity ({@link identityOf}).
 * @throws Error when no frame is left.
 */
export async function collectFrames(cache: string, config: CaddmConfig, o: CollectOptions = {}): Promise<FrameSet> {
  const { videos } = loadManifest(join(cache, 'manifest.jsonl'));
  const parts: Float32Array[] = [];
  const labels: number[] = [];
  const identities: string[] = [];
  const videoIds: string[] = [];
  let shape: readonly [number, number, number] = [0, 0, 0];
  for await (const f of manifestEvalFrames(cache, config, { split: o.split, frames: o.frames })) {
    const v = videos.get(f.videoId);
    if (v == null) throw new Error(`collectFrames: frame of ${f.videoId} has no manifest entry in ${cache}`);
    if (o.keep && !o.keep(v)) continue;
    shape = f.shape;
    parts.push(f.image);
    labels.push(f.label);
    identities.push(o.person && v.identity == null ? o.person(v.id) : identityOf(v));
    videoIds.push(f.videoId);
  }
  if (parts.length === 0) throw new Error(`collectFrames: no frames in ${cache}${o.split ? ` (split ${o.split})` : ''}`);
  const size = shape[0] * shape[1] * shape[2];
  const images = new Float32Array(parts.length * size);
  parts.forEach((p, i) => images.set(p, i * size));
  return { images, shape, count: parts.length, labels: Uint8Array.from(labels), identities, videoIds };
}

/** The frames of `set` at `indices`, as a new set. */
export function subsetFrames(set: FrameSet, indices: readonly number[]): FrameSet {
  const size = set.shape[0] * set.shape[1] * set.shape[2];
  const images = new Float32Array(indices.length * size);
  indices.forEach((k, i) => images.set(set.images.subarray(k * size, (k + 1) * size), i * size));
  return {
    images,
    shape: set.shape,
    count: indices.length,
    labels: Uint8Array.from(indices.map((k) => set.labels[k])),
    identities: indices.map((k) => set.identities[k]),
    videoIds: indices.map((k) => set.videoIds[k]),
  };
}

/**
 * Picks up to `identities` identities (those with the most frames, ties by
 * name) and up to `perIdentity` frames of each, spread over the identity's
 * frames in order; returns frame indices.
 */
export function pickIdentities(set: FrameSet, identities: number, perIdentity: number): number[] {
  const by = new Map<string, number[]>();
  set.identities.forEach((id, i) => {
    const list = by.get(id) ?? [];
    list.push(i);
    by.set(id, list);
  });
  const chosen = [...by].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1)).slice(0, identities);
  const out: number[] = [];
  for (const [, list] of chosen) for (const j of equalIntervals(list.length, perIdentity)) out.push(list[j]);
  return out;
}

/**
 * The net's penultimate feature: the input of its final linear layer `fc`
 * (the backbone's pooled feature for a binary classifier; pooled + ADM
 * feature for CADDM), computed in inference mode, batched.
 * @returns `count * dim` values and `dim`.
 */
export function penultimateFeatures(built: BuiltNet, set: FrameSet, batchSize = 32): { features: Float32Array; dim: number } {
  const m = built.model.model;
  const fc = m.getLayer('fc');
  const input = fc.input;
  if (Array.isArray(input)) throw new Error('penultimateFeatures: the fc layer has several inputs');
  const extractor = tf.model({ inputs: m.inputs, outputs: input });
  const dim = input.shape[input.shape.length - 1];
  if (dim == null) throw new Error('penultimateFeatures: the fc input has no static width');
  const [h, w, c] = set.shape;
  const size = h * w * c;
  const features = new Float32Array(set.count * dim);
  for (let s = 0; s < set.count; s += batchSize) {
    const n = Math.min(batchSize, set.count - s);
    const y = tf.tidy(() => extractor.predict(tf.tensor4d(set.images.subarray(s * size, (s + n) * size), [n, h, w, c])) as tf.Tensor);
    features.set(y.dataSync(), s * dim);
    y.dispose();
  }
  return { features, dim };
}

/**
 * The net as a scalar score for the Shapley interaction: the log-odds of
 * fake, `logit_fake - logit_real`, in inference mode.
 */
export function logOddsScore(built: BuiltNet): ScoreModel {
  return (x) =>
    tf.tidy(() => {
      const l = built.net.forward(x, false).logits;
      return l.slice([0, 1], [-1, 1]).sub(l.slice([0, 0], [-1, 1])).reshape([-1]);
    });
}

/**
 * Preprocesses a few photos of an identity folder (`<identity>/<image>`,
 * e.g. LFW) with face-api landmarks into a cache whose videos carry their
 * identity, once (reused when its manifest exists).
 * @returns the cache directory.
 */
export async function identityFolderCache(root: string, out: string, o: { identities: number; perIdentity: number }): Promise<string> {
  if (existsSync(join(out, 'done.json'))) return out;
  const ds = readIdentityFolders(root, { minImages: o.perIdentity, maxImages: o.perIdentity, maxIdentities: o.identities });
  await preprocess(ds, { out, frames: 1, detector: faceApiDetector(), progress: false });
  writeFileAtomic(join(out, 'done.json'), '{}\n');
  return out;
}
