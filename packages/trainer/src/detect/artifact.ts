import { decodeBoxes, nms, type PriorsLike, type Variances } from '@caddm/anchors';

/** An artifact box on the aligned face, in canvas pixels (x = column). */
export interface ArtifactBox {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
  /** The anchor's P(artifact) (softmax of its two logits, column 1). */
  readonly score: number;
}

/** Options of {@link artifactBoxes}. */
export interface ArtifactBoxOptions {
  /** Keep boxes whose anchor score is at least this (Fig. 6: none for real faces). Default 0.5. */
  readonly scoreThreshold?: number;
  /** NMS IoU threshold (default 0.5). */
  readonly iouThreshold?: number;
  /** Boxes kept after NMS (default 1: the paper's top box). */
  readonly topK?: number;
  /** Box-coding variances (default [0.1, 0.2]). */
  readonly variances?: Variances;
}

/** One anchor's P(artifact): softmax of its two logits, column 1. */
function anchorProbability(c0: number, c1: number): number {
  const m = Math.max(c0, c1);
  const e0 = Math.exp(c0 - m);
  const e1 = Math.exp(c1 - m);
  return e1 / (e0 + e1);
}

/** Every anchor's P(artifact) from `[A * 2]` logits (the heat map of the web app). */
export function anchorProbabilities(conf: ArrayLike<number>): Float32Array {
  if (conf.length % 2 !== 0) throw new Error(`anchorProbabilities: ${conf.length} logits, need two per anchor`);
  const out = new Float32Array(conf.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = anchorProbability(conf[2 * i], conf[2 * i + 1]);
  return out;
}

/**
 * The ADM's artifact boxes for one image (paper Fig. 6): decode every
 * anchor's offsets, score it by softmax(conf)[1], drop those under the
 * threshold, NMS, keep the top ones; boxes in canvas pixels (clipped to
 * the canvas), best first.
 *
 * @param loc - `[A * 4]` offsets; @param conf - `[A * 2]` logits.
 */
export function artifactBoxes(
  loc: ArrayLike<number>,
  conf: ArrayLike<number>,
  priors: PriorsLike,
  canvasSize: number,
  options: ArtifactBoxOptions = {},
): ArtifactBox[] {
  const threshold = options.scoreThreshold ?? 0.5;
  const boxes = decodeBoxes(loc, priors, options.variances);
  const a = boxes.length / 4;
  if (conf.length !== 2 * a) throw new Error(`artifactBoxes: ${conf.length} confidence values for ${a} anchors (need 2 each)`);
  const keepIdx: number[] = [];
  const scores: number[] = [];
  for (let i = 0; i < a; i++) {
    const s = anchorProbability(conf[2 * i], conf[2 * i + 1]);
    if (s >= threshold) {
      keepIdx.push(i);
      scores.push(s);
    }
  }
  if (keepIdx.length === 0) return [];
  const sub = new Float32Array(keepIdx.length * 4);
  keepIdx.forEach((i, k) => sub.set(boxes.subarray(4 * i, 4 * i + 4), 4 * k));
  const kept = nms(sub, scores, { iouThreshold: options.iouThreshold ?? 0.5, topK: options.topK ?? 1 });
  // Decoded boxes may reach past the canvas; they are clipped to it.
  const clip = (v: number) => Math.min(canvasSize, Math.max(0, v * canvasSize));
  return Array.from(kept, (k) => ({
    x0: clip(sub[4 * k]),
    y0: clip(sub[4 * k + 1]),
    x1: clip(sub[4 * k + 2]),
    y1: clip(sub[4 * k + 3]),
    score: scores[k],
  }));
}
