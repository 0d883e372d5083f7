import { tf } from '@caddm/tf';

/**
 * Selects hard negatives per image, outside of autodiff: for row `b` of
 * `scores` ([B, A], higher = harder; positives should carry `-Infinity`),
 * marks the `numNeg[b]` highest-scoring anchors with 1.
 *
 * The ranking (top-k sort, then scattering rank < k back to anchor order) runs
 * inside a `tf.customGrad` whose gradient is zero, which plays the role of the
 * reference's `no_grad` ranking: tfjs has no `stopGradient`, and its `TopK`,
 * `Less` and `ScatterNd` kernels have no gradients. No data is read back to
 * the CPU (no sync). Ties are broken by `tf.topk`'s order.
 *
 * @param scores - mining scores `[B, A]` float32.
 * @param numNeg - negatives to take per image `[B, 1]` int32 (0..A).
 * @returns a float32 0/1 mask `[B, A]` with zero gradient.
 */
export const hardNegativeMask: (scores: tf.Tensor, numNeg: tf.Tensor) => tf.Tensor = tf.customGrad(
  (...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const scores = args[0] as tf.Tensor;
    const numNeg = args[1] as tf.Tensor;
    const [B, A] = scores.shape as [number, number];
    const { indices } = tf.topk(scores, A, true);
    const rows = tf.range(0, B, 1, 'int32').reshape([B, 1]).tile([1, A]);
    const where = tf.stack([rows, indices], 2).reshape([B * A, 2]);
    const selected = tf.range(0, A, 1, 'int32').reshape([1, A]).less(numNeg).cast('int32').reshape([B * A]);
    const value = tf.scatterND(where, selected, [B, A]).cast('float32');
    return {
      value,
      gradFunc: () => [tf.zerosLike(scores), tf.zerosLike(numNeg)],
    };
  },
) as (scores: tf.Tensor, numNeg: tf.Tensor) => tf.Tensor;
