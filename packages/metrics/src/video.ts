import { MetricsInputError } from './errors.js';
import { rocAuc } from './roc.js';
import { checkBinary, type BinaryLabels, type Scores } from './validate.js';

/**
 * The id of one video, including the manipulation method: FF++ names such
 * as `000_003` repeat across Deepfakes, Face2Face, FaceSwap and
 * NeuralTextures, so a bare name would merge four different videos.
 *
 * `videoId('Deepfakes', '000_003')` is `'Deepfakes/000_003'`.
 *
 * @throws {@link MetricsInputError} when either part is empty or the method contains `/`.
 */
export function videoId(method: string, name: string): string {
  if (typeof method !== 'string' || method.length === 0 || method.includes('/')) {
    throw new MetricsInputError('bad-option', `videoId: method '${String(method)}' must be a non-empty string without '/'`);
  }
  if (typeof name !== 'string' || name.length === 0) {
    throw new MetricsInputError('bad-option', `videoId: name '${String(name)}' must be a non-empty string`);
  }
  return `${method}/${name}`;
}

/** One video's aggregate in {@link videoAuc}. */
export interface VideoScore {
  /** The video id as given. */
  readonly id: string;
  /** The label shared by all its frames. */
  readonly label: 0 | 1;
  /** Mean of its frames' scores (summed in frame order, then divided). */
  readonly score: number;
  /** Number of frames. */
  readonly frames: number;
}

/** Result of {@link videoAuc}. */
export interface VideoAucResult {
  /** ROC AUC over videos (ties count half). */
  readonly auc: number;
  /** One entry per video, in order of first appearance. */
  readonly videos: readonly VideoScore[];
}

/**
 * Video-level AUC as the reference's `get_video_auc`: a video's score is
 * the mean of its frames' scores, its label that of its frames, then
 * {@link rocAuc} over videos. Build ids with {@link videoId} so that the
 * manipulation method is part of them.
 *
 * @param labels - per-frame labels (1 = fake); all frames of a video must agree.
 * @param scores - per-frame scores.
 * @param videoIds - per-frame video ids.
 * @throws {@link MetricsInputError} on bad frame input (as {@link rocAuc}), a
 * `videoIds` length mismatch or empty id (`length-mismatch`, `bad-option`),
 * frames of one id with both labels (`mixed-video-labels`, which usually
 * means the method is missing from the id), or videos of one class only.
 */
export function videoAuc(labels: BinaryLabels, scores: Scores, videoIds: ArrayLike<string>): VideoAucResult {
  const { y, s } = checkBinary(labels, scores, 'videoAuc', true);
  if (videoIds.length !== s.length) {
    throw new MetricsInputError(
      'length-mismatch',
      `videoAuc: videoIds has ${videoIds.length} entries but labels and scores have ${s.length}`,
    );
  }
  const index = new Map<string, number>();
  const ids: string[] = [];
  const vLabel: number[] = [];
  const firstFrame: number[] = [];
  const sum: number[] = [];
  const count: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const id = videoIds[i];
    if (typeof id !== 'string' || id.length === 0) {
      throw new MetricsInputError('bad-option', `videoAuc: videoIds[${i}] is ${JSON.stringify(id)}; ids must be non-empty strings`);
    }
    let v = index.get(id);
    if (v === undefined) {
      v = ids.length;
      index.set(id, v);
      ids.push(id);
      vLabel.push(y[i]);
      firstFrame.push(i);
      sum.push(0);
      count.push(0);
    } else if (vLabel[v] !== y[i]) {
      throw new MetricsInputError(
        'mixed-video-labels',
        `videoAuc: video '${id}' has frames labelled ${vLabel[v]} (frame ${firstFrame[v]}) and ${y[i]} (frame ${i}); ` +
          `ids must name one video, including its manipulation method (use videoId(method, name))`,
      );
    }
    sum[v] += s[i];
    count[v]++;
  }
  const videos: VideoScore[] = ids.map((id, v) => ({
    id,
    label: vLabel[v] as 0 | 1,
    score: sum[v] / count[v],
    frames: count[v],
  }));
  const auc = rocAuc(
    videos.map((v) => v.label),
    videos.map((v) => v.score),
  );
  return { auc, videos };
}
