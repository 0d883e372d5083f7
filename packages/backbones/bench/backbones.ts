/**
 * Benchmarks of `@caddm/backbones` beside PyTorch (../shared/bench/baseline.py):
 * a torchvision-layout ResNet-34 with a 2-class linear head, batch 8, Adam,
 * cross-entropy; forward in eval mode. Uses whatever backend `initBackend()`
 * picks (wasm here; `CADDM_BACKEND` overrides). Medians after one warm-up.
 *
 * Figure names carry a `backbone_` prefix: @caddm/wasm-train's bench times the
 * same network built directly with tf.layers (its kernels' own figures).
 *
 * Also: building models (random init vs zeros) and describing the largest
 * configuration without allocation.
 */
import { initBackend, tf } from '@caddm/tf';
import { createBackbone, describeBackbone, type BackboneOptions } from '../src/index.js';

import { median, type Figure } from '../../../bench/src/index.js';

function timeMs(fn: () => void, runs: number, warmup = 1): number {
  for (let i = 0; i < warmup; i++) fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    fn();
    t.push(performance.now() - s);
  }
  return median(t);
}

function classifier(opts: BackboneOptions, size: number, runs: number, forward: boolean): { train: number; fwd?: number } {
  const b = createBackbone({ ...opts, inputSize: size, numClasses: 2 });
  const opt = tf.train.adam(1e-3);
  const x = tf.randomNormal([8, size, size, 3]) as tf.Tensor4D;
  const labels = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 0, 1, 1, 0, 0, 1], 'int32'), 2));
  const train = () => {
    const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(labels, b.apply(x, { training: true }).logits!) as tf.Scalar, true);
    loss?.dataSync();
    loss?.dispose();
  };
  const fwd = () => {
    const y = tf.tidy(() => b.apply(x).logits!);
    y.dataSync();
    y.dispose();
  };
  const out = { train: timeMs(train, runs), ...(forward ? { fwd: timeMs(fwd, runs) } : {}) };
  tf.dispose([x, labels]);
  opt.dispose();
  b.dispose();
  return out;
}

/** Runs the figures. */
export async function bench(): Promise<Figure[]> {
  const info = await initBackend({ quiet: true });
  const note = `tfjs ${info.tfName}, @caddm/backbones createBackbone`;
  const big = classifier({ name: 'resnet34' }, 224, 3, true);
  const small = classifier({ name: 'resnet34', widthMultiplier: 0.25 }, 112, 5, false);
  const build = timeMs(() => createBackbone({ name: 'resnet34' }).dispose(), 3);
  const buildZeros = timeMs(() => createBackbone({ name: 'resnet34' }, { init: 'zeros' }).dispose(), 3);
  const describe = timeMs(() => describeBackbone({ name: 'efficientnet-b7' }), 9);
  return [
    { name: 'backbone_resnet34_train_224_b8', ms: big.train, runs: 3, baseline: 'resnet34_train_224_b8', note },
    { name: 'backbone_resnet34_fwd_224_b8', ms: big.fwd as number, runs: 3, baseline: 'resnet34_fwd_224_b8', note },
    { name: 'backbone_resnet34w16_train_112_b8', ms: small.train, runs: 5, baseline: 'resnet34w16_train_112_b8', note },
    { name: 'backbone_resnet34_build_random_init', ms: build, runs: 3, note },
    { name: 'backbone_resnet34_build_zeros_init', ms: buildZeros, runs: 3, note },
    { name: 'backbone_describe_efficientnet_b7', ms: describe, runs: 9, note: 'shape-only, no allocation' },
  ];
}
