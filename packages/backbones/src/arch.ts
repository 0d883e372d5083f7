/** Options and results shared by the architecture builders. */

/** Options every architecture builder receives (already validated). */
export interface ArchOptions {
  /** Multiplies every channel count (1 = the published network). */
  readonly widthMultiplier: number;
  /** 32: the published network. 16: the last downsampling is removed (stride 1). */
  readonly outputStride: 16 | 32;
  /** EfficientNet only: drop-connect (stochastic depth) base rate; undefined = the variant's default. */
  readonly dropConnectRate?: number;
  /** EfficientNet only: dropout on the pooled feature; undefined = the variant's default. */
  readonly dropoutRate?: number;
}

/** What an architecture builder returns. */
export interface ArchOutput<T> {
  /** The last feature map `[h, w, channels]`. */
  readonly features: T;
  /** Channels of `features`. */
  readonly channels: number;
  /** PyTorch module path of the ImageNet classifier (`fc`, `_fc`). */
  readonly classifier: string;
  /** Dropout applied to the pooled feature in training (EfficientNet's `_dropout`). */
  readonly dropout: number;
}

/** A channel count scaled by a width multiplier (at least 1). */
export function scaledWidth(channels: number, multiplier: number): number {
  return Math.max(1, Math.round(channels * multiplier));
}
