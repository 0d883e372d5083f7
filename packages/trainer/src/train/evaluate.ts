import { aucVsChance, averagePrecision, eer, rocAuc, videoAuc, type VideoScore } from '@caddm/metrics';
import { tf } from '@caddm/tf';
import type { EvalFrame } from './data.js';
import type { Net } from './net.js';

/** Frame- and video-level results of {@link evaluate}. */
export interface EvalResult {
  readonly frames: number;
  readonly videos: number;
  /** ROC AUC over frames (ties count half). */
  readonly frameAuc: number;
  /** ROC AUC over videos, a video's score being the mean of its frames' (the paper's metric). */
  readonly videoAuc: number;
  /**
   * 95% interval of the video AUC (DeLong's variance, normal approximation,
   * clipped to [0, 1]); null with fewer than two videos of either class.
   * Videos of one person are not independent: where identities are known, the
   * experiments' identity-cluster bootstrap gives the wider, honest interval.
   */
  readonly videoAucCi95: readonly [number, number] | null;
  /** Equal error rate over videos. */
  readonly videoEer: number;
  /** Average precision over videos (fake = positive). */
  readonly videoAp: number;
  /** P(fake) per frame, in input order. */
  readonly frameScores: Float32Array;
  readonly frameLabels: Uint8Array;
  readonly frameVideoIds: readonly string[];
  /** Per-video mean score and label. */
  readonly perVideo: readonly VideoScore[];
}

/**
 * Scores every frame with `net` in inference mode (P(fake) = softmax of the
 * logits), batched, and computes frame AUC, video AUC, EER and AP. AUCs are
 * NaN when the frames hold only one class. Leaves no tensors.
 */
export async function evaluate(net: Net, frames: AsyncIterable<EvalFrame> | Iterable<EvalFrame>, batchSize = 32, options: ScoreOptions = {}): Promise<EvalResult> {
  const s = await scoreFrames(net, frames, batchSize, options);
  if (s.scores.length === 0) throw new Error('evaluate: no frames to score');
  return summariseScores(s.scores, s.labels, s.ids);
}

/** P(fake) of every frame, with its label and video id, in input order. */
export interface FrameScores {
  readonly scores: Float32Array;
  readonly labels: Uint8Array;
  readonly ids: readonly string[];
}

/** Options of {@link scoreFrames} and {@link evaluate}. */
export interface ScoreOptions {
  /**
   * Batches never span two videos (default true), so a video's scores do not
   * depend on which videos are scored with it: a backend may round a frame's
   * score differently in a batch of another size, and a subset or a shard must
   * give the same numbers as the whole. `false` fills every batch across videos,
   * faster with few frames per video, for callers that only compare runs made
   * the same way.
   */
  readonly videoBatches?: boolean;
}

/**
 * Scores frames with `net` in inference mode (P(fake) = softmax of the logits),
 * in batches of at most `batchSize` frames (of one video each, see {@link ScoreOptions}), without computing metrics: what one shard of a sharded evaluation
 * keeps. No frames give empty arrays. Leaves no tensors.
 */
export async function scoreFrames(net: Net, frames: AsyncIterable<EvalFrame> | Iterable<EvalFrame>, batchSize = 32, options: ScoreOptions = {}): Promise<FrameScores> {
  const videoBatches = options.videoBatches ?? true;
  const scores: number[] = [];
  const labels: number[] = [];
  const ids: string[] = [];
  let pending: EvalFrame[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    const [h, w, c] = pending[0].shape;
    const buf = new Float32Array(pending.length * h * w * c);
    pending.forEach((f, i) => {
      if (f.shape[0] !== h || f.shape[1] !== w || f.shape[2] !== c) {
        throw new Error(`frame of ${f.videoId} has shape [${f.shape}], expected [${h},${w},${c}]`);
      }
      buf.set(f.image, i * h * w * c);
    });
    const p = tf.tidy(() => {
      const x = tf.tensor4d(buf, [pending.length, h, w, c]);
      return tf.softmax(net.forward(x, false).logits).slice([0, 1], [-1, 1]).reshape([-1]);
    });
    const v = await p.data();
    p.dispose();
    for (let i = 0; i < pending.length; i++) {
      scores.push(v[i]);
      labels.push(pending[i].label);
      ids.push(pending[i].videoId);
    }
    pending = [];
  };
  for await (const f of frames as AsyncIterable<EvalFrame>) {
    if (videoBatches && pending.length > 0 && pending[0].videoId !== f.videoId) await flush();
    pending.push(f);
    if (pending.length >= batchSize) await flush();
  }
  await flush();
  return { scores: Float32Array.from(scores), labels: Uint8Array.from(labels), ids };
}

/** DeLong 95% interval of an AUC, or null when a class has fewer than two items. */
function aucInterval(labels: readonly number[], scores: readonly number[]): readonly [number, number] | null {
  const pos = labels.filter((l) => l === 1).length;
  if (pos < 2 || labels.length - pos < 2) return null;
  const [lo, hi] = aucVsChance(labels, scores).ci;
  return [Math.max(0, lo), Math.min(1, hi)];
}

/**
 * Frame and video metrics of scored frames (AUCs NaN when the frames hold one
 * class): what {@link evaluate} reports, from scores made elsewhere (e.g. the
 * shards of a sharded evaluation, joined in the single-process frame order).
 */
export function summariseScores(frameScores: Float32Array, frameLabels: Uint8Array, ids: readonly string[]): EvalResult {
  const labels = Array.from(frameLabels);
  const scores = Array.from(frameScores);
  const twoClasses = labels.includes(0) && labels.includes(1);
  const frameAuc = twoClasses ? rocAuc(labels, scores) : Number.NaN;
  const va = twoClasses ? videoAuc(labels, scores, ids) : undefined;
  const perVideo = va?.videos ?? [];
  const vLabels = perVideo.map((v) => v.label);
  const vScores = perVideo.map((v) => v.score);
  return {
    frames: scores.length,
    videos: new Set(ids).size,
    frameAuc,
    videoAuc: va?.auc ?? Number.NaN,
    videoAucCi95: aucInterval(vLabels, vScores),
    videoEer: va ? eer(vLabels, vScores) : Number.NaN,
    videoAp: va ? averagePrecision(vLabels, vScores) : Number.NaN,
    frameScores,
    frameLabels,
    frameVideoIds: ids,
    perVideo,
  };
}

/**
 * The result {@link evaluate} would give on only the videos `keep` accepts,
 * computed from `result`'s frame scores without scoring again (a video's
 * frames keep their order, so its mean score is the same number). This is
 * how one scored test split serves several test sets drawn from it, e.g. each
 * manipulation method's fakes with the genuine videos.
 *
 * @throws Error when `keep` accepts no frame of `result`
 */
export function evalSubset(result: EvalResult, keep: (videoId: string) => boolean): EvalResult {
  const idx: number[] = [];
  const verdict = new Map<string, boolean>();
  result.frameVideoIds.forEach((id, i) => {
    let k = verdict.get(id);
    if (k === undefined) verdict.set(id, (k = keep(id)));
    if (k) idx.push(i);
  });
  if (idx.length === 0) throw new Error(`evalSubset: the selection keeps none of the ${result.videos} videos`);
  return summariseScores(
    Float32Array.from(idx, (i) => result.frameScores[i]),
    Uint8Array.from(idx, (i) => result.frameLabels[i]),
    idx.map((i) => result.frameVideoIds[i]),
  );
}
