/**
 * Benchmarks of `@caddm/adm`: the whole CADDM model (ResNet-34 + ADM + short
 * connection), batch 8: eval forward, and a training step with Adam on a
 * loss of the reference's form (cross-entropy on logits + 0.1 x (Smooth-L1
 * on box offsets + cross-entropy on anchor classes), with dense dummy
 * targets). The optimiser is the trainer's (`FusedAdamOptimizer`: one fused
 * update kernel per variable on wasm and torch), against `torch.optim.Adam`.
 * Their PyTorch baselines (same names) come from this project's
 * bench/baselines/caddm.py, the same network and loss in PyTorch, since
 * ../shared/bench/baseline.py times the backbone alone. Uses the backend
 * `initBackend()` picks (`CADDM_BACKEND`).
 */
import { initBackend, tf } from '@caddm/tf';
import { FusedAdamOptimizer } from '@caddm/wasm-train';
import { createCaddm, describeCaddm, saveModel, loadModel, type CaddmModel, type CaddmOptions, type CaddmPreset } from '../src/index.js';

import { median, type Figure } from '../../../bench/src/index.js';

async function timeMs(fn: () => void | Promise<void>, runs: number, warmup = 1): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    await fn();
    t.push(performance.now() - s);
  }
  return median(t);
}

/** The benchmark's batch labels: the pattern of bench/baselines/caddm.py, repeated. */
const LABELS = [0, 1, 0, 1, 1, 0, 0, 1];

/**
 * The benchmark's training step and forward pass for `m` at batch `b`: the loss of the
 * reference's form on seeded data (also used by tools/gpu/check.ts, so that GPU and CPU
 * figures time the same step). `dispose` frees the batch.
 */
export function benchStep(m: CaddmModel, opt: tf.Optimizer, b: number): { train: () => void; predict: () => void; dispose: () => void } {
  const size = m.inputShape[0];
  const x = tf.randomNormal([b, size, size, 3]) as tf.Tensor4D;
  const labels = tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from({ length: b }, (_, i) => LABELS[i % LABELS.length]), 'int32'), 2));
  const anchors = tf.tidy(() => tf.oneHot(tf.zeros([b, m.numAnchors], 'int32') as tf.Tensor2D, 2));
  const train = () => {
    const loss = opt.minimize(() => {
      const o = m.apply(x, { training: true });
      const det = tf.losses.huberLoss(tf.zerosLike(o.loc), o.loc).add(tf.losses.softmaxCrossEntropy(anchors, o.conf));
      return tf.losses.softmaxCrossEntropy(labels, o.logits).add(det.mul(0.1)) as tf.Scalar;
    }, true);
    loss?.dataSync();
    loss?.dispose();
  };
  const predict = () => {
    const p = m.predict(x);
    p.dataSync();
    p.dispose();
  };
  return { train, predict, dispose: () => tf.dispose([x, labels, anchors]) };
}

async function caddm(options: CaddmOptions | CaddmPreset, runs: number): Promise<{ train: number; fwd: number }> {
  const m = createCaddm(options);
  const opt = new FusedAdamOptimizer({ learningRate: 1e-3 });
  const { train, predict: fwd, dispose } = benchStep(m, opt, 8);
  const out = { train: await timeMs(train, runs), fwd: await timeMs(fwd, runs) };
  dispose();
  opt.dispose();
  m.dispose();
  return out;
}

/** Runs the figures. */
export async function bench(): Promise<Figure[]> {
  const info = await initBackend({ quiet: true });
  const note = `tfjs ${info.tfName}`;
  const full = await caddm('paper-resnet34', 3);
  const small = await caddm('small-resnet34-112', 5);
  const describe = await timeMs(() => void describeCaddm('paper-efficientnet-b4'), 5);
  const m = createCaddm('paper-resnet34');
  const dir = `${process.env.TMPDIR ?? '/tmp'}/caddm-bench-save`;
  const save = await timeMs(async () => void (await saveModel(m, dir)), 3);
  const load = await timeMs(async () => (await loadModel(dir)).dispose(), 3);
  m.dispose();
  return [
    { name: 'caddm_resnet34_train_224_b8', baseline: 'caddm_resnet34_train_224_b8', ms: full.train, runs: 3, note },
    { name: 'caddm_resnet34_predict_224_b8', baseline: 'caddm_resnet34_predict_224_b8', ms: full.fwd, runs: 3, note },
    { name: 'caddm_small_resnet34_112_train_b8', baseline: 'caddm_small_resnet34_112_train_b8', ms: small.train, runs: 5, note: `${note}, width 1/4, output stride 16` },
    { name: 'caddm_small_resnet34_112_predict_b8', baseline: 'caddm_small_resnet34_112_predict_b8', ms: small.fwd, runs: 5, note: `${note}, width 1/4, output stride 16` },
    { name: 'caddm_describe_efficientnet_b4', ms: describe, runs: 5, note: '288M parameters counted without allocation' },
    { name: 'caddm_resnet34_save_174MB', ms: save, runs: 3, note: 'model.json + 4 MiB shards, Node fs' },
    { name: 'caddm_resnet34_load_174MB', ms: load, runs: 3, note: 'model.json + 4 MiB shards, Node fs' },
  ];
}
