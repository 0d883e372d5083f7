/**
 * Where the wasm backend's ceiling lies on this machine (issue #3's targets):
 *
 * - `wasm_simd128_peak_1gflop`: milliseconds per GFLOP at the peak f32 rate of
 *   WebAssembly SIMD128 (mul and add chains, no memory traffic; see
 *   `lib/simd-peak.ts`), one thread's figure halved for two threads.
 * - `xnnpack_conv3x3_1gflop`: what tfjs-wasm's XNNPACK convolution reaches on a
 *   ResNet-34 layer2 convolution (3x3, 128 -> 128, batch 8 at 28x28), 2 threads.
 *
 * Both beside PyTorch's rate on the same convolution (bench/baselines/roofline.py),
 * in GFLOP of direct convolution. A ratio above 1 for the peak means that no direct
 * wasm convolution, however good, can match PyTorch's here: PyTorch runs AVX2 fused
 * multiply-adds and, once training has started, a reduced-arithmetic (Winograd)
 * algorithm for 3x3 convolutions; wasm has 128-bit multiplies and adds.
 */
import * as tf from '@tensorflow/tfjs';
import { setupWasmBackend } from '../src/index.js';
import { simdPeakMsPerGflop } from './lib/simd-peak.js';

import { median, type Figure } from '../../../bench/src/index.js';

/** Runs the figures. */
export async function bench(): Promise<Figure[]> {
  const peak = simdPeakMsPerGflop() / 2;
  const threads = setupWasmBackend({ threads: 2 }).threads;
  await tf.setBackend('wasm');
  const x = tf.randomNormal([8, 28, 28, 128]) as tf.Tensor4D;
  const w = tf.randomNormal([3, 3, 128, 128]) as tf.Tensor4D;
  const gflop = (2 * 8 * 28 * 28 * 128 * 128 * 9) / 1e9;
  for (let i = 0; i < 2; i++) tf.conv2d(x, w, 1, 'same').dispose();
  const ms: number[] = [];
  for (let i = 0; i < 9; i++) {
    const t = performance.now();
    tf.conv2d(x, w, 1, 'same').dispose();
    ms.push(performance.now() - t);
  }
  tf.dispose([x, w]);
  return [
    {
      name: 'wasm_simd128_peak_1gflop',
      ms: peak,
      runs: 5,
      baseline: 'torch_conv3x3_1gflop',
      note: `peak f32x4 mul+add rate, ${(1000 / peak).toFixed(0)} GFLOP/s for 2 threads (one thread's, doubled): no direct wasm convolution can be faster`,
    },
    {
      name: 'xnnpack_conv3x3_1gflop',
      ms: median(ms) / gflop,
      runs: 9,
      baseline: 'torch_conv3x3_1gflop',
      note: `tfjs-wasm conv2d 3x3 128->128, 8x28x28, ${threads} thread(s): ${(gflop / median(ms) * 1000).toFixed(0)} GFLOP/s`,
    },
  ];
}
