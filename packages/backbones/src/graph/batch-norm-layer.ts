import { tf } from '@caddm/tf';
import { batchNormTraining } from '@caddm/wasm-train';

/** The fields of tfjs-layers' BatchNormalization this subclass reads (private there). */
interface BatchNormFields {
  axis: number;
  momentum: number;
  epsilon: number;
  center: boolean;
  scale: boolean;
  gamma: tf.LayerVariable;
  beta: tf.LayerVariable;
  movingMean: tf.LayerVariable;
  movingVariance: tf.LayerVariable;
}

type LayerCtor = new (args: object) => tf.layers.Layer;

/** tfjs-layers' BatchNormalization class (not exported by name; taken from an instance). */
const StockBatchNormalization = (tf.layers.batchNormalization({}) as object).constructor as LayerCtor;

/**
 * tfjs-layers' `BatchNormalization` with a faster training step: over the last axis
 * with center and scale (every batch norm of the backbones), it normalises with
 * `@caddm/wasm-train`'s `batchNormTraining`, one op with a closed-form gradient (two
 * passes over the activations each way on wasm) instead of `moments` + `batchNorm`
 * and their op-by-op gradients, and updates the moving mean and variance exactly as
 * the stock layer does. Inference, other axes and the configuration are the stock
 * layer's. Registered under the stock class name, so saved models stay compatible
 * both ways.
 */
export class FastBatchNormalization extends StockBatchNormalization {
  /** The stock layer's serialization name. */
  static readonly className = 'BatchNormalization';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean } & Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    const self = this as unknown as BatchNormFields;
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const last = self.axis === -1 || self.axis === x.rank - 1;
    if (!(kwargs?.training ?? false) || !last || !self.center || !self.scale || x.dtype !== 'float32') return super.call(inputs, kwargs);
    return tf.tidy(() => {
      const { y, mean, variance } = batchNormTraining(x, self.gamma.read() as tf.Tensor1D, self.beta.read() as tf.Tensor1D, self.epsilon);
      const decay = 1 - self.momentum;
      for (const [v, value] of [
        [self.movingMean, mean],
        [self.movingVariance, variance],
      ] as const) {
        tf.tidy(() => {
          const orig = v.read();
          v.write(tf.sub(orig, tf.mul(tf.sub(orig, value), decay)));
        });
      }
      tf.dispose([mean, variance]);
      return y;
    });
  }
}
tf.serialization.registerClass(FastBatchNormalization as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>);
