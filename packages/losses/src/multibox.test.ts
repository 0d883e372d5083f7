import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@caddm/tf';
import { loadGoldenKind } from './__fixtures__/golden.js';
import { LossShapeError, LossValueError, multiBoxLoss, type MultiBoxInputs } from './index.js';

interface MultiBoxCase {
  neg_pos: number;
  loc_p: number[][][];
  conf_p: number[][][];
  loc_t: number[][][];
  conf_t: number[][];
  loss_l: number;
  loss_c: number;
}
type MultiBoxFixture = MultiBoxCase | { cases: MultiBoxCase[] };

beforeAll(async () => {
  await initBackend({ prefer: 'cpu', quiet: true });
});

const cases = loadGoldenKind<MultiBoxFixture>('multibox_loss').flatMap(({ file, data }) =>
  'cases' in data ? data.cases.map((c, i) => [`${file}#${i}`, c] as const) : [[file, data] as const],
);

function tensors(c: Pick<MultiBoxCase, 'loc_p' | 'conf_p' | 'loc_t' | 'conf_t'>): MultiBoxInputs {
  return {
    locP: tf.tensor3d(c.loc_p),
    confP: tf.tensor3d(c.conf_p),
    locT: tf.tensor3d(c.loc_t),
    confT: tf.tensor2d(c.conf_t, undefined, 'int32'),
  };
}
const dispose = (x: MultiBoxInputs): void => tf.dispose([x.locP, x.confP, x.locT, x.confT]);

describe.skipIf(cases.length === 0)('multiBoxLoss golden', () => {
  it.each(cases)('%s: loss_l and loss_c to 1e-4, no leaks', (_name, c) => {
    const before = tf.memory().numTensors;
    const x = tensors(c);
    const { loc, conf } = multiBoxLoss(x, { negPos: c.neg_pos });
    expect(Math.abs(loc.dataSync()[0] - c.loss_l)).toBeLessThanOrEqual(1e-4);
    expect(Math.abs(conf.dataSync()[0] - c.loss_c)).toBeLessThanOrEqual(1e-4);
    tf.dispose([loc, conf]);
    dispose(x);
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each(cases)('%s: a genuine image (no positives) adds nothing by default', (_name, c) => {
    const before = tf.memory().numTensors;
    const genuine = c.conf_t.map((row) => row.every((v) => v === 0));
    const keep = genuine.map((g) => !g);
    if (keep.every(Boolean)) return; // nothing to drop in this fixture
    const pick = <T>(a: T[]): T[] => a.filter((_, b) => keep[b]);
    const full = tensors(c);
    const dropped = tensors({ loc_p: pick(c.loc_p), conf_p: pick(c.conf_p), loc_t: pick(c.loc_t), conf_t: pick(c.conf_t) });
    const a = multiBoxLoss(full, { negPos: c.neg_pos });
    const b = multiBoxLoss(dropped, { negPos: c.neg_pos });
    expect(a.loc.dataSync()[0]).toBeCloseTo(b.loc.dataSync()[0], 5);
    expect(a.conf.dataSync()[0]).toBeCloseTo(b.conf.dataSync()[0], 5);
    const g = multiBoxLoss(full, { negPos: c.neg_pos, genuineNegatives: true });
    expect(g.conf.dataSync()[0]).toBeGreaterThan(a.conf.dataSync()[0]);
    expect(g.loc.dataSync()[0]).toBe(a.loc.dataSync()[0]);
    tf.dispose([a.loc, a.conf, b.loc, b.conf, g.loc, g.conf]);
    dispose(full);
    dispose(dropped);
    expect(tf.memory().numTensors).toBe(before);
  });
});

/** Plain-JS reference of the loss (float64) for small hand-made batches. */
function referenceLoss(
  c: Pick<MultiBoxCase, 'loc_p' | 'conf_p' | 'loc_t' | 'conf_t'>,
  negPos: number,
  genuineK = 0,
): { loc: number; conf: number } {
  let loc = 0;
  let conf = 0;
  let total = 0;
  c.conf_t.forEach((row, b) => {
    const A = row.length;
    const ce = row.map((t, a) => {
      const z = c.conf_p[b][a];
      const m = Math.max(...z);
      const lse = m + Math.log(z.reduce((s, v) => s + Math.exp(v - m), 0));
      return lse - z[t];
    });
    const np = row.filter((t) => t > 0).length;
    total += np;
    row.forEach((t, a) => {
      if (t > 0) {
        conf += ce[a];
        for (let k = 0; k < 4; k++) {
          const d = Math.abs(c.loc_p[b][a][k] - c.loc_t[b][a][k]);
          loc += d < 1 ? 0.5 * d * d : d - 0.5;
        }
      }
    });
    const nn = np === 0 ? genuineK : Math.min(negPos * np, A - 1);
    const negs = row.map((t, a) => [t > 0 ? -Infinity : ce[a], a] as const).sort((p, q) => q[0] - p[0]);
    for (let i = 0; i < nn; i++) if (negs[i][0] !== -Infinity) conf += negs[i][0];
  });
  const n = Math.max(total, 1);
  return { loc: loc / n, conf: conf / n };
}

function randomCase(seed: number, B: number, A: number, posProb: number) {
  let s = seed;
  const r = (): number => ((s = (s * 16807) % 2147483647) / 2147483647);
  const g = (): number => (r() - 0.5) * 6;
  return {
    loc_p: Array.from({ length: B }, () => Array.from({ length: A }, () => [g(), g(), g(), g()])),
    conf_p: Array.from({ length: B }, () => Array.from({ length: A }, () => [g(), g()])),
    loc_t: Array.from({ length: B }, () => Array.from({ length: A }, () => [g(), g(), g(), g()])),
    conf_t: Array.from({ length: B }, (_, b) => Array.from({ length: A }, (): number => (b === B - 1 ? 0 : r() < posProb ? 1 : 0))),
  };
}

describe('multiBoxLoss', () => {
  it('equals a plain-JS reference on random batches (incl. negPos caps and genuine images)', () => {
    const before = tf.memory().numTensors;
    for (const [seed, B, A, p, negPos, gk] of [
      [1, 3, 20, 0.2, 2, 0],
      [2, 4, 12, 0.6, 2, 0], // negatives capped by what exists and by A - 1
      [3, 2, 30, 0.1, 3, 5],
      [4, 5, 8, 0.9, 1, 2],
    ] as const) {
      const c = randomCase(seed, B, A, p);
      const x = tensors(c);
      const ours = multiBoxLoss(x, { negPos, genuineNegatives: gk || false });
      const ref = referenceLoss(c, negPos, gk);
      expect(ours.loc.dataSync()[0]).toBeCloseTo(ref.loc, 4);
      expect(ours.conf.dataSync()[0]).toBeCloseTo(ref.conf, 4);
      tf.dispose([ours.loc, ours.conf]);
      dispose(x);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('with no positives in the batch divides by 1 and (by default) gives zero', () => {
    const before = tf.memory().numTensors;
    const c = randomCase(9, 2, 10, 0);
    c.conf_t = c.conf_t.map((r) => r.map(() => 0));
    const x = tensors(c);
    const a = multiBoxLoss(x);
    expect(a.loc.dataSync()[0]).toBe(0);
    expect(a.conf.dataSync()[0]).toBe(0);
    const g = multiBoxLoss(x, { genuineNegatives: 3 });
    expect(g.conf.dataSync()[0]).toBeCloseTo(referenceLoss(c, 2, 3).conf, 4);
    expect(g.conf.dataSync()[0]).toBeGreaterThan(0);
    tf.dispose([a.loc, a.conf, g.loc, g.conf]);
    dispose(x);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('ignores NaN/Inf offsets of negative anchors in value and gradient', () => {
    const before = tf.memory().numTensors;
    const c = randomCase(5, 2, 6, 0.5);
    c.loc_t[0].forEach((v, a) => {
      if (c.conf_t[0][a] === 0) v[0] = Number.NaN;
    });
    c.conf_t[0][0] = 0;
    c.loc_t[0][0] = [Infinity, 0, 0, 0];
    const x = tensors(c);
    const f = (lp: tf.Tensor): tf.Scalar => multiBoxLoss({ ...x, locP: lp }, { validate: false }).loc;
    const { value, grad } = tf.valueAndGrad(f)(x.locP);
    expect(Number.isFinite(value.dataSync()[0])).toBe(true);
    expect(Array.from(grad.dataSync()).every(Number.isFinite)).toBe(true);
    tf.dispose([value, grad]);
    dispose(x);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects mismatched shapes and dtypes with LossShapeError, without leaking', () => {
    const before = tf.memory().numTensors;
    const x = tensors(randomCase(2, 2, 5, 0.5));
    const bad: Array<[Partial<MultiBoxInputs>, RegExp]> = [
      [{ locP: tf.zeros([2, 5, 3]) }, /locP must have shape \[B, A, 4\]/],
      [{ confP: tf.zeros([2, 4, 2]) }, /confP must have shape/],
      [{ confP: tf.zeros([2, 5, 1]) }, /at least 2 classes/],
      [{ locT: tf.zeros([2, 5]) }, /locT must have rank 3/],
      [{ confT: tf.zeros([2, 6], 'int32') }, /confT must have shape/],
      [{ confT: tf.tensor2d([['a', 'b', 'c', 'd', 'e'], ['a', 'b', 'c', 'd', 'e']]) }, /integer class labels/],
    ];
    for (const [patch, re] of bad) {
      expect(() => multiBoxLoss({ ...x, ...patch })).toThrow(LossShapeError);
      expect(() => multiBoxLoss({ ...x, ...patch })).toThrow(re);
      tf.dispose(Object.values(patch) as tf.Tensor[]);
    }
    expect(() => multiBoxLoss({ ...x, locP: [[1]] as unknown as tf.Tensor })).toThrow(/locP must be a tensor/);
    expect(() => multiBoxLoss(x, { negPos: -1 })).toThrow(/negPos/);
    expect(() => multiBoxLoss(x, { genuineNegatives: 1.5 })).toThrow(/genuineNegatives/);
    dispose(x);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('NaN predictions, NaN targets and bad labels throw LossValueError (validate on), without leaking', () => {
    const before = tf.memory().numTensors;
    const c = randomCase(3, 2, 5, 0.5);
    const cases: Array<[(c: ReturnType<typeof randomCase>) => void, string]> = [
      [(d) => (d.loc_p[1][2][3] = Number.NaN), 'locP'],
      [(d) => (d.conf_p[0][4][1] = Infinity), 'confP'],
      [(d) => (d.loc_t[0][0][0] = Number.NaN), 'locT'],
      [(d) => (d.conf_t[1][1] = 2), 'confT'],
      [(d) => (d.conf_t[1][1] = -1), 'confT'],
    ];
    for (const [spoil, input] of cases) {
      const d = structuredClone(c);
      spoil(d);
      const x = tensors(d);
      let err: unknown;
      try {
        multiBoxLoss(x);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(LossValueError);
      expect((err as LossValueError).input).toBe(input);
      dispose(x);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
