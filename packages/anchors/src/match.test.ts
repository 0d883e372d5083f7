import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadGoldenKind } from './__fixtures__/golden.js';
import {
  boxesFromArrays,
  InvalidBoxError,
  iou,
  matchAnchors,
  overlapMatrix,
  priorBoxes,
  prepareMatcher,
  type Box,
} from './index.js';

interface MatchCase {
  truths: number[][];
  loc_t: number[][];
  conf_t: number[];
  iou?: number[][];
}
interface MatchFixture {
  threshold: number;
  variances: [number, number];
  cases: MatchCase[];
}

const priors = priorBoxes();
const fixtures = loadGoldenKind<MatchFixture>('match');
const cases = fixtures.flatMap((f) =>
  f.data.cases.map((c, i) => [`${f.file}#${i}`, c, f.data.threshold, f.data.variances] as const),
);

describe.skipIf(cases.length === 0)('matchAnchors golden', () => {
  it.each(cases)('%s: conf exact, loc to 1e-4', (_name, c, threshold, variances) => {
    const truths = boxesFromArrays(c.truths);
    const { loc, conf } = matchAnchors(truths, priors, { threshold, variances });
    expect(Array.from(conf)).toEqual(c.conf_t);
    c.loc_t.forEach((row, i) => {
      for (let k = 0; k < 4; k++) expect(Math.abs(loc[4 * i + k] - row[k])).toBeLessThanOrEqual(1e-4);
    });
  });

  it.each(cases.filter((c) => c[1].iou))('%s: float32 IoU matrix equals the reference', (_name, c) => {
    const ov = overlapMatrix(boxesFromArrays(c.truths), priors);
    const A = priors.count;
    c.iou!.forEach((row, t) => {
      row.forEach((v, i) => {
        const ours = ov[t * A + i];
        // Fixture IoUs are stored rounded to 6 decimals.
        expect(Math.abs(ours - v)).toBeLessThanOrEqual(1e-6);
      });
    });
  });

  it('the fixtures hold IoUs that round to the threshold (their float32 values are 0.50000006; exact float32 ties are in torch-iou-ties.json below)', () => {
    const near = cases.filter(([, c, thr]) => c.iou?.some((row) => row.some((v) => v === thr)));
    expect(near.length).toBeGreaterThan(0);
  });
});

describe('float32 IoU against PyTorch', () => {
  // Generated in-repo by __fixtures__/torch-iou-ties.py (the reference's jaccard on float32 tensors).
  const ties = JSON.parse(readFileSync(new URL('./__fixtures__/torch-iou-ties.json', import.meta.url), 'utf8')) as {
    cases: Array<{ truth: number[]; near: Array<[number, number]> }>;
  };

  it('is bit-identical to torch for MFS windows with IoU near 0.5, and ties decide labels the same way', () => {
    let exactTies = 0;
    for (const c of ties.cases) {
      const [truth] = boxesFromArrays([c.truth]);
      const ov = overlapMatrix([truth], priors);
      const { conf } = matchAnchors([truth], priors);
      const best = ov.indexOf(Math.max(...ov));
      for (const [i, v] of c.near) {
        expect(ov[i]).toBe(v);
        if (i !== best) expect(conf[i]).toBe(v >= 0.5 ? 1 : 0);
        if (v === 0.5) exactTies++;
      }
    }
    expect(exactTies).toBeGreaterThan(5);
  });
});

describe('matchAnchors', () => {
  it('resolves IoU ties at the threshold in float32 like the reference (float64 would not)', () => {
    // Truth and prior from match.json case 1: float64 IoU is 0.49999999702, float32 is 0.50000006.
    const truth = { x0: 0.17857142857142858, y0: 0.26785714285714285, x1: 0.5357142857142857, y1: 0.625 };
    const ov = overlapMatrix([truth], priors);
    expect(ov[33]).toBeGreaterThanOrEqual(0.5);
    const pt = { x0: 0, y0: 0, x1: 0, y1: 0 };
    const [cx, cy, w, h] = priors.data.subarray(4 * 33, 4 * 33 + 4);
    Object.assign(pt, { x0: cx - w / 2, y0: cy - h / 2, x1: cx + w / 2, y1: cy + h / 2 });
    const f = Math.fround;
    expect(iou({ x0: f(truth.x0), y0: f(truth.y0), x1: f(truth.x1), y1: f(truth.y1) }, pt)).toBeLessThan(0.5);
    expect(matchAnchors([truth], priors).conf[33]).toBe(1);
  });

  it('an empty truth list gives all-negative labels and zero offsets', () => {
    const { loc, conf } = matchAnchors([], priors);
    expect(conf.every((v) => v === 0)).toBe(true);
    expect(loc.every((v) => v === 0)).toBe(true);
    expect(loc.length).toBe(168 * 4);
  });

  it('every truth forces its best prior positive even below the threshold', () => {
    // A tiny box in the top-left cell: IoU with every prior is far below 0.5.
    const t: Box = { x0: 0.05, y0: 0.05, x1: 0.09, y1: 0.09 };
    const ov = overlapMatrix([t], priors);
    const best = ov.indexOf(Math.max(...ov));
    expect(ov[best]).toBeLessThan(0.5);
    const { conf } = matchAnchors([t], priors);
    expect(Array.from(conf).reduce((a, b) => a + b, 0)).toBe(1);
    expect(conf[best]).toBe(1);
  });

  it("a truth's forced prior encodes that truth even when another truth overlaps the prior more (the reassignment)", () => {
    // B's best prior P; A is exactly P's box, so by IoU alone P's best truth would be A.
    const B: Box = { x0: 0.3, y0: 0.32, x1: 0.62, y1: 0.66 };
    const ovB = overlapMatrix([B], priors);
    const P = ovB.indexOf(Math.max(...ovB));
    const [cx, cy, w, h] = priors.data.subarray(4 * P, 4 * P + 4);
    const A: Box = { x0: cx - w / 2, y0: cy - h / 2, x1: cx + w / 2, y1: cy + h / 2 };
    expect(overlapMatrix([A], priors)[P]).toBeGreaterThan(ovB[P]);
    // Both truths force P; the later one (B) is the one P encodes, as in the reference.
    const both = matchAnchors([A, B], priors);
    const onlyB = matchAnchors([B], priors);
    expect(Array.from(both.loc.subarray(4 * P, 4 * P + 4))).toEqual(Array.from(onlyB.loc.subarray(4 * P, 4 * P + 4)));
    expect(Array.from(both.loc.subarray(4 * P, 4 * P + 4))).not.toEqual(Array.from(matchAnchors([A], priors).loc.subarray(4 * P, 4 * P + 4)));
    expect(both.conf[P]).toBe(1);
  });

  it('a higher threshold never adds positives beyond forced ones', () => {
    const t: Box[] = [{ x0: 0.1, y0: 0.2, x1: 0.6, y1: 0.7 }];
    const lo = matchAnchors(t, priors, { threshold: 0.3 }).conf;
    const hi = matchAnchors(t, priors, { threshold: 0.9 }).conf;
    for (let i = 0; i < lo.length; i++) expect(hi[i]).toBeLessThanOrEqual(lo[i]);
    expect(hi.reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('a prepared matcher gives the same answer and can be reused', () => {
    const m = prepareMatcher(priors);
    const t = [{ x0: 0, y0: 0, x1: 1, y1: 1 }, { x0: 0.2, y0: 0.3, x1: 0.5, y1: 0.6 }];
    const a = matchAnchors(t, priors);
    const b = matchAnchors(t, m);
    matchAnchors([{ x0: 0.4, y0: 0.4, x1: 0.6, y1: 0.9 }, ...t, ...t], m);
    const c = matchAnchors(t, m);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
  });

  it('rejects bad truths with InvalidBoxError naming the box and problem', () => {
    const ok = { x0: 0, y0: 0, x1: 1, y1: 1 };
    const cases: Array<[Box, RegExp, InvalidBoxError['problem']]> = [
      [{ x0: 0.2, y0: 0.2, x1: 0.2, y1: 0.5 }, /truths\[1\].*zero area/, 'zero-area'],
      [{ x0: 0.5, y0: 0.2, x1: 0.1, y1: 0.5 }, /truths\[1\].*inverted/, 'inverted'],
      [{ x0: Number.NaN, y0: 0.2, x1: 0.4, y1: 0.5 }, /truths\[1\].*non-finite/, 'non-finite'],
      [{ x0: -0.2, y0: 0.2, x1: 0.4, y1: 0.5 }, /truths\[1\].*outside \[0, 1\]/, 'out-of-range'],
      [{ x0: 0.2, y0: 0.2, x1: 0.4, y1: 1.3 }, /truths\[1\].*outside/, 'out-of-range'],
    ];
    for (const [bad, re, problem] of cases) {
      let err: unknown;
      try {
        matchAnchors([ok, bad], priors);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(InvalidBoxError);
      expect((err as InvalidBoxError).message).toMatch(re);
      expect((err as InvalidBoxError).problem).toBe(problem);
    }
  });

  it("outOfRange: 'clamp' clips truths to [0, 1] and still rejects boxes empty inside it", () => {
    const clamped = matchAnchors([{ x0: -0.5, y0: -0.2, x1: 1.5, y1: 1.01 }], priors, { outOfRange: 'clamp' });
    const whole = matchAnchors([{ x0: 0, y0: 0, x1: 1, y1: 1 }], priors);
    expect(clamped).toEqual(whole);
    expect(() => matchAnchors([{ x0: 1.2, y0: 0, x1: 1.5, y1: 1 }], priors, { outOfRange: 'clamp' })).toThrow(/zero area inside/);
  });

  it('rejects bad options', () => {
    expect(() => matchAnchors([], priors, { threshold: 1.5 })).toThrow(/threshold/);
    expect(() => matchAnchors([], priors, { variances: [0.1, 0] })).toThrow(/variances/);
    expect(() => matchAnchors([], new Float32Array(7))).toThrow(/4 values per anchor/);
  });
});
