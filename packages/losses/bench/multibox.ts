/**
 * Benchmark of `@caddm/losses`: the MultiBox loss (with hard-negative mining)
 * forward and forward + backward for a training batch of 128 images x 168
 * anchors, with targets from `@caddm/anchors`. No baseline figure exists in
 * `../shared/bench/baseline.py` for it.
 */
import { initBackend, tf } from '@caddm/tf';
import { priorBoxes, TargetBuilder, type Box } from '@caddm/anchors';
import { multiBoxLoss, targetTensors } from '../src/index.js';

async function median(fn: () => void, runs: number, warmup = 3): Promise<{ ms: number; runs: number }> {
  for (let i = 0; i < warmup; i++) fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    fn();
    t.push(performance.now() - s);
  }
  t.sort((a, b) => a - b);
  const m = t.length >> 1;
  return { ms: t.length % 2 ? t[m] : (t[m - 1] + t[m]) / 2, runs };
}

/** Runs the losses benchmarks. */
export async function bench(): Promise<Array<{ name: string; ms: number; runs: number; note?: string }>> {
  await initBackend({ quiet: true });
  const B = 128;
  const priors = priorBoxes();
  const truths: Box[][] = Array.from({ length: B }, (_, i) =>
    i % 4 === 3 ? [] : i % 2 ? [{ x0: 0, y0: 0, x1: 1, y1: 1 }] : [{ x0: 0, y0: 0, x1: 1, y1: 1 }, { x0: 0.2, y0: 0.3, x1: 0.55, y1: 0.66 }],
  );
  const { locT, confT } = targetTensors(new TargetBuilder(priors).build(truths));
  const locP = tf.randomNormal([B, priors.count, 4], 0, 1, 'float32', 1);
  const confP = tf.randomNormal([B, priors.count, 2], 0, 1, 'float32', 2);
  const fwd = await median(() => {
    const { loc, conf } = multiBoxLoss({ locP, confP, locT, confT }, { validate: false });
    loc.add(conf).dataSync();
    tf.dispose([loc, conf]);
  }, 15);
  const train = await median(() => {
    const [gl, gc] = tf.grads((lp: tf.Tensor, cp: tf.Tensor) => {
      const { loc, conf } = multiBoxLoss({ locP: lp, confP: cp, locT, confT }, { validate: false });
      return loc.add(conf);
    })([locP, confP]);
    gl.dataSync();
    gc.dataSync();
    tf.dispose([gl, gc]);
  }, 15);
  const checked = await median(() => {
    const { loc, conf } = multiBoxLoss({ locP, confP, locT, confT });
    loc.add(conf).dataSync();
    tf.dispose([loc, conf]);
  }, 15);
  tf.dispose([locT, confT, locP, confP]);
  const backend = tf.getBackend();
  return [
    { name: 'multibox_fwd_b128', ...fwd, note: `${backend}; 168 anchors, negPos 2, validate off` },
    { name: 'multibox_fwd_bwd_b128', ...train, note: `${backend}; gradients w.r.t. locP and confP` },
    { name: 'multibox_fwd_validate_b128', ...checked, note: `${backend}; with the default data checks (one extra sync)` },
  ];
}
