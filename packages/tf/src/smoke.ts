import { tf } from './tf.js';

/**
 * A tiny convolution with gradients for both its input and its filter, plus
 * a depthwise convolution and a batch-norm style reduction: what training
 * needs. Throws when a kernel is missing or a result is wrong.
 *
 * The expected values are computed by hand: for x = ones[1,4,4,1] and
 * w = ones[3,3,1,1] with 'same' padding, sum(conv(x, w)) = 100 (4 corners x 4,
 * 8 edges x 6, 4 centres x 9), and so is the sum of d/dx; d/dw of that sum at each tap is the number of
 * output positions that read an in-bounds pixel through it.
 */
export function smokeTest(): void {
  tf.tidy(() => {
    const x = tf.ones([1, 4, 4, 1]) as tf.Tensor4D;
    const w = tf.ones([3, 3, 1, 1]) as tf.Tensor4D;
    const f = (a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same').sum();
    const y = f(x, w).dataSync()[0];
    if (Math.abs(y - 100) > 1e-3) throw new Error(`conv2d smoke test gave ${y}, expected 100`);
    const [dx, dw] = tf.grads(f)([x, w]);
    const dws = Array.from(dw.dataSync());
    const expectW = [9, 12, 9, 12, 16, 12, 9, 12, 9];
    if (dws.some((v, i) => Math.abs(v - expectW[i]) > 1e-3)) {
      throw new Error(`conv2d filter gradient smoke test gave [${dws}], expected [${expectW}]`);
    }
    const dxs = dx.sum().dataSync()[0];
    if (Math.abs(dxs - 100) > 1e-3) throw new Error(`conv2d input gradient smoke test gave ${dxs}, expected 100`);
    const dwk = tf.ones([3, 3, 1, 1]) as tf.Tensor4D;
    const g = (a: tf.Tensor, b: tf.Tensor) => tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same').sum();
    const [, ddw] = tf.grads(g)([x, dwk]);
    const ddws = Array.from(ddw.dataSync());
    if (ddws.some((v, i) => Math.abs(v - expectW[i]) > 1e-3)) {
      throw new Error(`depthwiseConv2d filter gradient smoke test gave [${ddws}]`);
    }
  });
}
