import { tf } from '@caddm/tf';

/** The fields of tfjs-layers' Conv2D this subclass reads (protected there). */
interface ConvFields {
  kernel: tf.LayerVariable;
  bias: tf.LayerVariable | null;
  strides: number[];
  padding: string;
  dataFormat: string;
  dilationRate: number | number[];
  activation: { getClassName(): string };
}

type LayerCtor = new (args: object) => tf.layers.Layer;

/** tfjs-layers' Conv2D class (not exported by name; taken from an instance). */
const StockConv2D = (tf.layers.conv2d({ filters: 1, kernelSize: 1 }) as object).constructor as LayerCtor;

/**
 * tfjs-layers' `Conv2D` whose bias-free, linear convolutions (every convolution of the
 * backbones) run as the plain `conv2d` op instead of the fused one. Same kernel
 * forward; the difference is the gradient: the fused op's custom gradient computes the
 * input gradient eagerly, also where nothing needs it, i.e. for the first
 * convolution, whose input is the image (90 ms of a ResNet-34 training step at 224 on
 * wasm, 8 ms at 112); the plain op's gradient is computed only when asked for.
 * Other convolutions are the stock layer's. Registered under the stock class name, so
 * saved models stay compatible both ways.
 */
export class FastConv2D extends StockConv2D {
  /** The stock layer's serialization name. */
  static readonly className = 'Conv2D';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    const self = this as unknown as ConvFields;
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const linear = self.activation == null || self.activation.getClassName() === 'linear';
    if (self.bias != null || !linear || self.dataFormat !== 'channelsLast' || x.rank !== 4 || (self.padding !== 'same' && self.padding !== 'valid')) {
      return super.call(inputs, kwargs);
    }
    return tf.tidy(() =>
      tf.conv2d(
        x as tf.Tensor4D,
        self.kernel.read() as tf.Tensor4D,
        self.strides as [number, number],
        self.padding as 'same' | 'valid',
        'NHWC',
        self.dilationRate as [number, number],
      ),
    );
  }
}
tf.serialization.registerClass(FastConv2D as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>);
