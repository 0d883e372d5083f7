import type { Box } from '@caddm/anchors';

/**
 * A batch of training samples as typed arrays (what a data loader yields).
 */
export interface SampleBatch {
  /** Images NHWC float32, normalised as the net expects. */
  readonly images: Float32Array;
  /** `[B, H, W, C]`. */
  readonly shape: readonly [number, number, number, number];
  /** 0 genuine, 1 fake, one per image. */
  readonly labels: Uint8Array | Int32Array;
  /** Artifact boxes per image, normalised to [0, 1] (empty for genuine images). */
  readonly boxes: ReadonlyArray<ReadonlyArray<Box>>;
}

/**
 * An endless, seeded stream of training batches that can be resumed: the
 * state returned by {@link getState} after N batches makes a new source
 * continue with batch N + 1.
 */
export interface BatchSource {
  next(): Promise<SampleBatch>;
  getState(): unknown;
  setState(state: unknown): void;
  /** Frees workers and files. */
  close?(): Promise<void> | void;
}

/** One frame to score at evaluation time. */
export interface EvalFrame {
  /** Stable video id including dataset and method (e.g. `ffpp/Deepfakes/000_003`). */
  readonly videoId: string;
  /** 0 genuine, 1 fake. */
  readonly label: 0 | 1;
  /** The aligned face, HWC float32 normalised like training images. */
  readonly image: Float32Array;
  readonly shape: readonly [number, number, number];
}
