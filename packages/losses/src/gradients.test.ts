import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@caddm/tf';
import { caddmLoss, multiBoxLoss } from './index.js';

beforeAll(async () => {
  await initBackend({ prefer: 'cpu', quiet: true });
});

/** Small batch whose per-anchor cross-entropies are well separated (so mining is stable under +-eps). */
function smallCase(seed: number, B = 3, A = 7) {
  let s = seed;
  const r = (): number => ((s = (s * 48271) % 2147483647) / 2147483647);
  const g = (): number => (r() - 0.5) * 5;
  const confT = Array.from({ length: B }, (_, b) => Array.from({ length: A }, (_, a) => (b < B - 1 && a % 3 === 0 ? 1 : 0)));
  return {
    locP: Array.from({ length: B * A * 4 }, g),
    confP: Array.from({ length: B * A * 2 }, (_, i) => (i % 2 ? 0 : 0.8 * (i >> 1) - 6 + r() * 0.2)),
    locT: Array.from({ length: B * A * 4 }, g),
    confT,
    logits: Array.from({ length: B * 2 }, g),
    labels: Array.from({ length: B }, (_, b) => (b < B - 1 ? 1 : 0)),
    B,
    A,
  };
}

function softmax2(z0: number, z1: number): [number, number] {
  const m = Math.max(z0, z1);
  const e0 = Math.exp(z0 - m);
  const e1 = Math.exp(z1 - m);
  return [e0 / (e0 + e1), e1 / (e0 + e1)];
}

describe('multiBoxLoss gradients', () => {
  it('equal the analytic gradients (Smooth-L1 slope and softmax - onehot on selected anchors) / N', () => {
    const before = tf.memory().numTensors;
    const c = smallCase(17);
    const { B, A } = c;
    const locP = tf.tensor3d(c.locP, [B, A, 4]);
    const confP = tf.tensor3d(c.confP, [B, A, 2]);
    const locT = tf.tensor3d(c.locT, [B, A, 4]);
    const confT = tf.tensor2d(c.confT, [B, A], 'int32');
    const gl = tf.grad((lp: tf.Tensor) => multiBoxLoss({ locP: lp, confP, locT, confT }).loc)(locP);
    const gc = tf.grad((cp: tf.Tensor) => multiBoxLoss({ locP, confP: cp, locT, confT }).conf)(confP);
    const N = Math.max(1, c.confT.flat().filter((v) => v > 0).length);
    const gL = gl.dataSync();
    const gC = gc.dataSync();
    for (let b = 0; b < B; b++) {
      // Mined negatives: top 2 * positives by cross-entropy among negatives.
      const ce = Array.from({ length: A }, (_, a) => {
        const [p0, p1] = softmax2(c.confP[2 * (b * A + a)], c.confP[2 * (b * A + a) + 1]);
        return -Math.log(c.confT[b][a] ? p1 : p0);
      });
      const np = c.confT[b].filter((v) => v > 0).length;
      const negs = ce
        .map((v, a) => [v, a] as const)
        .filter(([, a]) => c.confT[b][a] === 0)
        .sort((p, q) => q[0] - p[0])
        .slice(0, Math.min(2 * np, A - 1))
        .map(([, a]) => a);
      for (let a = 0; a < A; a++) {
        const i = b * A + a;
        const positive = c.confT[b][a] > 0;
        for (let k = 0; k < 4; k++) {
          const d = c.locP[4 * i + k] - c.locT[4 * i + k];
          const want = positive ? Math.max(-1, Math.min(1, d)) / N : 0;
          expect(gL[4 * i + k]).toBeCloseTo(want, 5);
        }
        const selected = positive || negs.includes(a);
        const p = softmax2(c.confP[2 * i], c.confP[2 * i + 1]);
        const t = c.confT[b][a];
        for (let k = 0; k < 2; k++) {
          const want = selected ? (p[k] - (k === t ? 1 : 0)) / N : 0;
          expect(gC[2 * i + k]).toBeCloseTo(want, 5);
        }
      }
    }
    // Some negatives were mined and some were not: the mask matters.
    expect(Array.from(gC).filter((v) => v === 0).length).toBeGreaterThan(0);
    tf.dispose([gl, gc, locP, confP, locT, confT]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('caddmLoss gradients', () => {
  it('match central finite differences (eps 1e-2, relative 1e-2) for locP, confP and logits', () => {
    const before = tf.memory().numTensors;
    const c = smallCase(5, 2, 6);
    const { B, A } = c;
    const locT = tf.tensor3d(c.locT, [B, A, 4]);
    const confT = tf.tensor2d(c.confT, [B, A], 'int32');
    const labels = tf.tensor1d(c.labels, 'int32');
    const shapes = { locP: [B, A, 4], confP: [B, A, 2], logits: [B, 2] } as const;
    const total = (v: { locP: number[]; confP: number[]; logits: number[] }): number =>
      tf.tidy(() => {
        const parts = caddmLoss(
          {
            locP: tf.tensor(v.locP, [...shapes.locP]),
            confP: tf.tensor(v.confP, [...shapes.confP]),
            logits: tf.tensor(v.logits, [...shapes.logits]),
            locT,
            confT,
            labels,
          },
          { validate: false, beta: 0.5, alpha: 2 },
        );
        return parts.total.dataSync()[0];
      });
    const base = { locP: c.locP, confP: c.confP, logits: c.logits };
    const xs = [tf.tensor(c.locP, [...shapes.locP]), tf.tensor(c.confP, [...shapes.confP]), tf.tensor(c.logits, [...shapes.logits])];
    const [gLoc, gConf, gLog] = tf.grads((lp: tf.Tensor, cp: tf.Tensor, lg: tf.Tensor) =>
      caddmLoss({ locP: lp, confP: cp, logits: lg, locT, confT, labels }, { beta: 0.5, alpha: 2 }).total,
    )(xs);
    tf.dispose(xs);
    const analytic = { locP: gLoc.dataSync(), confP: gConf.dataSync(), logits: gLog.dataSync() };
    const eps = 1e-2;
    let checked = 0;
    for (const key of ['locP', 'confP', 'logits'] as const) {
      for (let i = 0; i < base[key].length; i++) {
        const plus = base[key].slice();
        const minus = base[key].slice();
        plus[i] += eps;
        minus[i] -= eps;
        const fd = (total({ ...base, [key]: plus }) - total({ ...base, [key]: minus })) / (2 * eps);
        const an = analytic[key][i];
        expect(Math.abs(fd - an)).toBeLessThanOrEqual(1e-2 * Math.max(1e-1, Math.abs(an), Math.abs(fd)));
        checked++;
      }
    }
    expect(checked).toBe(B * A * 6 + B * 2);
    tf.dispose([gLoc, gConf, gLog, locT, confT, labels]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('trains: a few SGD steps on variables lower the loss, without leaking', () => {
    const c = smallCase(23);
    const { B, A } = c;
    const locT = tf.tensor3d(c.locT, [B, A, 4]);
    const confT = tf.tensor2d(c.confT, [B, A], 'int32');
    const labels = tf.tensor1d(c.labels, 'int32');
    const locP = tf.variable(tf.tensor3d(c.locP, [B, A, 4]));
    const confP = tf.variable(tf.tensor3d(c.confP, [B, A, 2]));
    const logits = tf.variable(tf.tensor2d(c.logits, [B, 2]));
    const opt = tf.train.sgd(3);
    const before = tf.memory().numTensors;
    const losses: number[] = [];
    for (let step = 0; step < 30; step++) {
      const l = opt.minimize(() => caddmLoss({ locP, confP, logits, locT, confT, labels }).total, true) as tf.Scalar;
      losses.push(l.dataSync()[0]);
      l.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(losses[29]).toBeLessThan(0.5 * losses[0]);
    opt.dispose();
    tf.dispose([locT, confT, labels, locP, confP, logits]);
  });
});
