import { tf } from '@caddm/tf';
import type { BatchTargets } from '@caddm/anchors';

/** Target tensors for {@link multiBoxLoss}. */
export interface TargetTensors {
  /** `[B, A, 4]` float32 offsets. */
  readonly locT: tf.Tensor3D;
  /** `[B, A]` int32 labels. */
  readonly confT: tf.Tensor2D;
}

/**
 * Uploads targets built by `@caddm/anchors` (`TargetBuilder.build` /
 * `buildTargets`) as the tensors {@link multiBoxLoss} takes. The caller
 * disposes them.
 *
 * @param t - batched targets.
 */
export function targetTensors(t: BatchTargets): TargetTensors {
  const { batch: B, anchors: A } = t;
  const conf = t.conf instanceof Int32Array ? t.conf : Int32Array.from(t.conf);
  return {
    locT: tf.tensor3d(t.loc, [B, A, 4], 'float32'),
    confT: tf.tensor2d(conf, [B, A], 'int32'),
  };
}
