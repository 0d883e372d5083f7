/**
 * ResNet-34 (torchvision layout, 2 classes) built with tf.layers, as in
 * `../shared/bench/baseline.py`: 7x7/2 stem, 3x3/2 max pooling, basic
 * blocks [3, 4, 6, 3] with a 1x1 conv + BN shortcut where the shape changes,
 * global average pooling and a linear layer. Batch norm uses PyTorch's
 * epsilon (1e-5) and momentum (0.1, i.e. Keras 0.9). Padding is 'same',
 * which matches PyTorch's output sizes (the split of odd paddings differs,
 * the cost does not).
 */
import * as tf from '@tensorflow/tfjs';

type Sym = tf.SymbolicTensor;

function convBn(x: Sym, filters: number, k: number, s: number, relu: boolean): Sym {
  let y = tf.layers.conv2d({ filters, kernelSize: k, strides: s, padding: 'same', useBias: false }).apply(x) as Sym;
  y = tf.layers.batchNormalization({ epsilon: 1e-5, momentum: 0.9 }).apply(y) as Sym;
  return relu ? (tf.layers.reLU().apply(y) as Sym) : y;
}

function basicBlock(x: Sym, filters: number, stride: number): Sym {
  const y = convBn(convBn(x, filters, 3, stride, true), filters, 3, 1, false);
  const shortcut = stride === 1 && x.shape[3] === filters ? x : convBn(x, filters, 1, stride, false);
  return tf.layers.reLU().apply(tf.layers.add().apply([y, shortcut]) as Sym) as Sym;
}

/** ResNet-34 with stage widths `widths` for `size` x `size` RGB input. */
export function resnet34(widths: readonly [number, number, number, number], size: number, classes = 2): tf.LayersModel {
  const input = tf.input({ shape: [size, size, 3] });
  let y = convBn(input, widths[0], 7, 2, true);
  y = tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }).apply(y) as Sym;
  [3, 4, 6, 3].forEach((blocks, stage) => {
    for (let j = 0; j < blocks; j++) y = basicBlock(y, widths[stage], j === 0 && stage > 0 ? 2 : 1);
  });
  y = tf.layers.globalAveragePooling2d({}).apply(y) as Sym;
  y = tf.layers.dense({ units: classes }).apply(y) as Sym;
  return tf.model({ inputs: input, outputs: y });
}
