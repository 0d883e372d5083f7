/**
 * Benchmarks of `@caddm/metrics`: AUC on a million frames, video AUC,
 * exact t-SNE, the Shapley interaction of one image with a small CNN on the
 * tfjs CPU backend, and PNG rendering of a chart. No baseline figure in
 * `../shared/bench/baseline.py` covers these.
 */
import { initBackend, tf } from '@caddm/tf';
import { rocAuc, rocChart, seededRng, svgToPng, tsne, videoAuc } from '../src/index.js';
import { shapleyInteraction, type ScoreModel } from '../src/tensors.js';

async function median(fn: () => unknown, runs: number, warmup = 1): Promise<{ ms: number; runs: number }> {
  for (let i = 0; i < warmup; i++) await fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    await fn();
    t.push(performance.now() - s);
  }
  t.sort((a, b) => a - b);
  const m = t.length >> 1;
  return { ms: t.length % 2 ? t[m] : (t[m - 1] + t[m]) / 2, runs };
}

/** Runs the metrics benchmarks. */
export async function bench(): Promise<Array<{ name: string; ms: number; runs: number; note?: string }>> {
  const out: Array<{ name: string; ms: number; runs: number; note?: string }> = [];
  const r = seededRng(1);

  const n = 1_000_000;
  const labels = new Uint8Array(n);
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = r.next() < 0.5 ? 1 : 0;
    scores[i] = Math.round((r.normal() + labels[i]) * 1000) / 1000; // many ties
  }
  out.push({ name: 'metrics_roc_auc_1m', ...(await median(() => rocAuc(labels, scores), 5)), note: '1e6 frames, ~7k distinct scores' });

  const frames = 32 * 3125;
  const ids = Array.from({ length: frames }, (_, i) => `Deepfakes/${Math.floor(i / 32)}`);
  const vLabels = Array.from({ length: frames }, (_, i) => Math.floor(i / 32) % 2);
  const vScores = Array.from({ length: frames }, (_, i) => r.normal() + vLabels[i]);
  out.push({ name: 'metrics_video_auc_100k', ...(await median(() => videoAuc(vLabels, vScores, ids), 5)), note: '3125 videos x 32 frames' });

  const pts = Array.from({ length: 1000 }, (_, i) => Array.from({ length: 64 }, () => r.normal() + (i % 10)));
  out.push({
    name: 'metrics_tsne_1000pts_1000it',
    ...(await median(() => tsne(pts, { perplexity: 30, seed: 1 }), 3, 0)),
    note: 'exact t-SNE, 1000 x 64 -> 2-D, 1000 iterations',
  });

  const info = await initBackend({ prefer: 'cpu', quiet: true });
  const w1 = tf.randomNormal([3, 3, 3, 8], 0, 0.3, 'float32', 1) as tf.Tensor4D;
  const w2 = tf.randomNormal([8, 1], 0, 0.3, 'float32', 2) as tf.Tensor2D;
  const model: ScoreModel = (x) =>
    tf.tidy(() => tf.conv2d(x, w1, 2, 'same').relu().mean([1, 2]).matMul(w2).reshape([-1]));
  const img = tf.randomUniform([1, 64, 64, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
  out.push({
    name: 'metrics_interaction_64px_16x16',
    ...(await median(() => shapleyInteraction(model, img, { batchSize: 64 }), 3)),
    note: `one 64x64 image, 258 passes of a 1-conv CNN, backend ${info.tfName}`,
  });
  tf.dispose([w1, w2, img]);

  const svg = rocChart([{ name: 'm', labels: vLabels.slice(0, 4000), scores: vScores.slice(0, 4000) }]);
  out.push({ name: 'metrics_roc_png', ...(await median(() => svgToPng(svg), 5)), note: 'ROC chart, 4000 points, 2x PNG' });
  return out;
}
