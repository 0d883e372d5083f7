import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@caddm/tf';
import { priorBoxes, TargetBuilder } from '@caddm/anchors';
import { caddmLoss, classificationLoss, LossShapeError, LossValueError, multiBoxLoss, targetTensors } from './index.js';

beforeAll(async () => {
  await initBackend({ prefer: 'cpu', quiet: true });
});

describe('classificationLoss', () => {
  it('is the mean softmax cross-entropy', () => {
    const before = tf.memory().numTensors;
    const logits = tf.tensor2d([
      [0, 0],
      [2, -1],
      [0.5, 3],
    ]);
    const labels = tf.tensor1d([0, 1, 1], 'int32');
    const l = classificationLoss(logits, labels);
    const ce = (z: number[], y: number): number => Math.log(z.reduce((s, v) => s + Math.exp(v), 0)) - z[y];
    const want = (ce([0, 0], 0) + ce([2, -1], 1) + ce([0.5, 3], 1)) / 3;
    expect(l.dataSync()[0]).toBeCloseTo(want, 5);
    // float32 labels are accepted and cast.
    const lf = tf.tensor1d([0, 1, 1]);
    const l2 = classificationLoss(logits, lf);
    expect(l2.dataSync()[0]).toBeCloseTo(want, 5);
    tf.dispose([l, l2, lf, logits, labels]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects bad shapes and values', () => {
    const before = tf.memory().numTensors;
    const logits = tf.tensor2d([
      [0, 0],
      [1, 2],
    ]);
    const l3 = tf.tensor1d([0, 1, 1], 'int32');
    const l2 = tf.tensor1d([0, 2], 'int32');
    const lh = tf.tensor1d([0, 0.5]);
    const nan = tf.tensor2d([
      [0, Number.NaN],
      [1, 2],
    ]);
    const ok = tf.tensor1d([0, 1], 'int32');
    const rank1 = tf.tensor1d([1, 2]);
    expect(() => classificationLoss(logits, l3)).toThrow(/3 entries for 2 logit rows/);
    expect(() => classificationLoss(rank1, ok)).toThrow(LossShapeError);
    expect(() => classificationLoss(rank1, ok)).toThrow(/logits must have rank 2/);
    expect(() => classificationLoss(logits, l2)).toThrow(LossValueError);
    expect(() => classificationLoss(logits, lh)).toThrow(/labels: holds labels outside/);
    expect(() => classificationLoss(nan, ok)).toThrow(/logits: holds NaN/);
    tf.dispose([logits, l3, l2, lh, nan, ok, rank1]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('caddmLoss', () => {
  it('returns beta * (alpha * loc + conf) + cls and all its parts, on targets built by @caddm/anchors', () => {
    const before = tf.memory().numTensors;
    const priors = priorBoxes();
    const t = new TargetBuilder(priors).build([
      [{ x0: 0, y0: 0, x1: 1, y1: 1 }],
      [],
      [
        { x0: 0, y0: 0, x1: 1, y1: 1 },
        { x0: 0.2, y0: 0.3, x1: 0.55, y1: 0.65 },
      ],
    ]);
    const { locT, confT } = targetTensors(t);
    expect(locT.shape).toEqual([3, 168, 4]);
    expect(confT.shape).toEqual([3, 168]);
    expect(confT.dtype).toBe('int32');
    const locP = tf.randomNormal([3, 168, 4], 0, 1, 'float32', 1);
    const confP = tf.randomNormal([3, 168, 2], 0, 1, 'float32', 2);
    const logits = tf.randomNormal([3, 2], 0, 1, 'float32', 3);
    const labels = tf.tensor1d([1, 0, 1], 'int32');
    const parts = caddmLoss({ locP, confP, locT, confT, logits, labels }, { alpha: 2, beta: 0.25 });
    const mb = multiBoxLoss({ locP, confP, locT, confT });
    const cls = classificationLoss(logits, labels);
    const [total, loc, conf, det, c] = [parts.total, parts.loc, parts.conf, parts.det, parts.cls].map((x) => x.dataSync()[0]);
    expect(loc).toBeCloseTo(mb.loc.dataSync()[0], 6);
    expect(conf).toBeCloseTo(mb.conf.dataSync()[0], 6);
    expect(c).toBeCloseTo(cls.dataSync()[0], 6);
    expect(det).toBeCloseTo(2 * loc + conf, 5);
    expect(total).toBeCloseTo(0.25 * (2 * loc + conf) + c, 5);
    // Defaults alpha 1, beta 0.1.
    const d = caddmLoss({ locP, confP, locT, confT, logits, labels });
    expect(d.total.dataSync()[0]).toBeCloseTo(0.1 * (loc + conf) + c, 5);
    tf.dispose([...Object.values(parts), ...Object.values(d), mb.loc, mb.conf, cls, locT, confT, locP, confP, logits, labels]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects bad weights and a logits batch that disagrees, without leaking', () => {
    const before = tf.memory().numTensors;
    const x = {
      locP: tf.zeros([2, 4, 4]),
      confP: tf.zeros([2, 4, 2]),
      locT: tf.zeros([2, 4, 4]),
      confT: tf.zeros([2, 4], 'int32'),
      logits: tf.zeros([3, 2]),
      labels: tf.zeros([3], 'int32'),
    };
    expect(() => caddmLoss(x)).toThrow(/logits has 3 rows but locP has batch 2/);
    const y = { ...x, logits: tf.zeros([2, 2]), labels: tf.zeros([2], 'int32') };
    expect(() => caddmLoss(y, { beta: -1 })).toThrow(/beta/);
    expect(() => caddmLoss(y, { alpha: Number.NaN })).toThrow(/alpha/);
    // A multibox failure after the classification part must not leak the latter.
    const z = { ...y, confT: tf.fill([2, 4], 5, 'int32') };
    expect(() => caddmLoss(z)).toThrow(LossValueError);
    tf.dispose([...Object.values(x), y.logits, y.labels, z.confT]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
