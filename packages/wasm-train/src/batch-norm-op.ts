import * as tf from '@tensorflow/tfjs';

/** Output of {@link batchNormTraining}. */
export interface BatchNormTrainingResult {
  /** The normalised, scaled and shifted input (differentiable in x, gamma, beta). */
  y: tf.Tensor;
  /** Batch mean per channel (not differentiable; the caller disposes it). */
  mean: tf.Tensor1D;
  /** Biased batch variance per channel (not differentiable; the caller disposes it). */
  variance: tf.Tensor1D;
}

/**
 * Name of an optional kernel computing {@link batchNormTraining}'s forward pass in one
 * call: inputs `x`, `gamma`, `beta`, attribute `epsilon`; outputs y, mean, biased
 * variance and 1/√(σ² + ε). A backend that registers it must also register
 * {@link BATCH_NORM_TRAINING_GRAD} (inputs `dy`, `x`, `gamma`, `mean`, `invstd`;
 * outputs dx, dγ, dβ). `@caddm/torch` does, on libtorch's fused batch norm.
 */
export const BATCH_NORM_TRAINING = 'CaddmBatchNormTraining';
/** The gradient kernel of {@link BATCH_NORM_TRAINING}. */
export const BATCH_NORM_TRAINING_GRAD = 'CaddmBatchNormTrainingGrad';

function fusedBatchNormTraining(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon: number): BatchNormTrainingResult {
  let stats: [tf.Tensor1D, tf.Tensor1D] | undefined;
  const op = tf.customGrad(((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xi, g, b] = args as tf.Tensor[];
    const save = args[3] as tf.GradSaveFunc;
    const [y, mean, variance, invstd] = tf.engine().runKernel(BATCH_NORM_TRAINING, { x: xi, gamma: g, beta: b }, { epsilon }) as tf.Tensor[];
    save([xi, g, mean, invstd]);
    stats = [tf.keep(mean) as tf.Tensor1D, tf.keep(variance) as tf.Tensor1D];
    return {
      value: y,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [sx, sg, sm, si] = saved;
        return tf.engine().runKernel(BATCH_NORM_TRAINING_GRAD, { dy: dy as tf.Tensor, x: sx, gamma: sg, mean: sm, invstd: si }, { epsilon }) as tf.Tensor[];
      },
    };
  }) as Parameters<typeof tf.customGrad>[0]);
  const y = op(x, gamma, beta) as tf.Tensor;
  const [mean, variance] = stats as [tf.Tensor1D, tf.Tensor1D];
  return { y, mean, variance };
}

/**
 * Batch normalisation in training mode over every axis but the last, as one
 * differentiable op with a closed-form gradient: `y = γ·(x − μ)/√(σ² + ε) + β` with
 * the batch's mean μ and biased variance σ² = mean((x − μ)²), as `tf.moments` +
 * `tf.batchNorm` compute them (tfjs-layers' BatchNormalization in training).
 *
 * Forward: six ops (mean, centre, square, mean, then one per-channel affine map in two),
 * keeping the centred input; backward: seven (Σdy, Σdy·(x − μ), and
 * dx = γs·dy − (γs³·Σdy(x − μ)/N)·(x − μ) − γs·Σdy/N with s = 1/√(σ² + ε)), where
 * automatic differentiation of `moments` + `batchNorm` runs about twice as many, each a
 * full pass over the activations. Any backend; on wasm the leading-axis means and sums
 * are `@caddm/wasm-train`'s pooled reductions. Also returns μ and σ² for the moving
 * averages.
 */
export function batchNormTraining(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon: number): BatchNormTrainingResult {
  if (tf.getKernel(BATCH_NORM_TRAINING, tf.getBackend()) != null) return fusedBatchNormTraining(x, gamma, beta, epsilon);
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  const n = x.size / x.shape[x.shape.length - 1];
  let stats: [tf.Tensor1D, tf.Tensor1D] | undefined;
  const op = tf.customGrad(((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xi, g, b] = args as tf.Tensor[];
    const save = args[3] as tf.GradSaveFunc;
    const mean = tf.mean(xi, axes) as tf.Tensor1D;
    const centered = tf.sub(xi, mean);
    const variance = tf.mean(tf.square(centered), axes) as tf.Tensor1D;
    const s = tf.rsqrt(tf.add(variance, epsilon));
    const y = tf.add(tf.mul(centered, tf.mul(g, s)), b);
    save([centered, s, g]);
    stats = [tf.keep(mean), tf.keep(variance)];
    return {
      value: y,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [c, sv, gv] = saved;
        const d = dy as tf.Tensor;
        const sdy = tf.sum(d, axes);
        const sdc = tf.sum(tf.mul(d, c), axes);
        const gs = tf.mul(gv, sv);
        const kc = tf.div(tf.mul(tf.mul(gs, tf.square(sv)), sdc), -n);
        const k0 = tf.div(tf.mul(gs, sdy), -n);
        const dx = tf.add(tf.add(tf.mul(d, gs), tf.mul(c, kc)), k0);
        return [dx, tf.mul(sv, sdc), sdy];
      },
    };
  }) as Parameters<typeof tf.customGrad>[0]);
  const y = op(x, gamma, beta) as tf.Tensor;
  const [mean, variance] = stats as [tf.Tensor1D, tf.Tensor1D];
  return { y, mean, variance };
}
