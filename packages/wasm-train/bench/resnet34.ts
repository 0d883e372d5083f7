/**
 * ResNet-34 training and inference on the wasm backend with this package's
 * kernels, beside PyTorch (../shared/bench/baseline.py): batch 8, Adam,
 * 2-class cross-entropy.
 *
 * Figures: `resnet34_train_224_b8`, `resnet34_fwd_224_b8` (widths 64..512 at
 * 224 px) and `resnet34w16_train_112_b8` (widths 16..128 at 112 px), medians
 * of 5 runs after 1 warm-up, like the baseline. `resnet34w16_train_112_b8_fused_adam`
 * repeats the small one with this package's FusedAdamOptimizer.
 */
import * as tf from '@tensorflow/tfjs';
import { FusedAdamOptimizer, setupWasmBackend, wasmThreadsInUse } from '../src/index.js';
import { resnet34 } from './lib/resnet34.js';

import { median, type Figure } from '../../../bench/src/index.js';

function timeMs(fn: () => void, runs: number, warmup: number): number {
  for (let i = 0; i < warmup; i++) fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    fn();
    t.push(performance.now() - s);
  }
  return median(t);
}

/** One model's train-step and forward timings. */
function measure(
  widths: [number, number, number, number],
  size: number,
  runs: number,
  forward: boolean,
  fused = false,
): { train: number; fwd?: number } {
  const model = resnet34(widths, size);
  const opt = fused ? new FusedAdamOptimizer({ learningRate: 1e-3 }) : tf.train.adam(1e-3);
  const x = tf.randomNormal([8, size, size, 3]);
  const labels = tf.oneHot(tf.tensor1d([0, 1, 0, 1, 1, 0, 0, 1], 'int32'), 2);
  const train = () => {
    const loss = opt.minimize(
      () => tf.losses.softmaxCrossEntropy(labels, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
      true,
    );
    loss?.dataSync();
    loss?.dispose();
  };
  const fwd = () => {
    const y = tf.tidy(() => model.apply(x, { training: false }) as tf.Tensor);
    y.dataSync();
    y.dispose();
  };
  const out = { train: timeMs(train, runs, 1), fwd: forward ? timeMs(fwd, runs, 1) : undefined };
  tf.dispose([x, labels]);
  opt.dispose();
  model.dispose();
  return out;
}

/** Runs the ResNet-34 figures on the wasm backend. */
export async function bench(): Promise<Figure[]> {
  setupWasmBackend();
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend failed to initialise');
  const note = `tfjs wasm, ${wasmThreadsInUse()} thread(s), @caddm/wasm-train kernels`;
  const runs = 5;
  const big = measure([64, 128, 256, 512], 224, runs, true);
  const small = measure([16, 32, 64, 128], 112, runs, false);
  const smallFused = measure([16, 32, 64, 128], 112, runs, false, true);
  return [
    { name: 'resnet34_train_224_b8', ms: big.train, runs, baseline: 'resnet34_train_224_b8', note },
    { name: 'resnet34_fwd_224_b8', ms: big.fwd as number, runs, baseline: 'resnet34_fwd_224_b8', note },
    { name: 'resnet34w16_train_112_b8', ms: small.train, runs, baseline: 'resnet34w16_train_112_b8', note },
    {
      name: 'resnet34w16_train_112_b8_fused_adam',
      ms: smallFused.train,
      runs,
      baseline: 'resnet34w16_train_112_b8',
      note: `${note}, FusedAdamOptimizer instead of tf.train.adam`,
    },
  ];
}
