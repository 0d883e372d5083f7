import { describe, expect, it } from 'vitest';
import { rng } from './__fixtures__/golden.js';
import { AnchorShapeError, buildTargets, InvalidBoxError, matchAnchors, priorBoxes, TargetBuilder, type Box } from './index.js';

const priors = priorBoxes();

function randomBatch(seed: number, n: number): Box[][] {
  const r = rng(seed);
  return Array.from({ length: n }, () => {
    if (r() < 0.3) return [];
    const boxes: Box[] = [{ x0: 0, y0: 0, x1: 1, y1: 1 }];
    if (r() < 0.5) {
      const w = 0.15 + 0.5 * r();
      const h = 0.15 + 0.5 * r();
      const x0 = r() * (1 - w);
      const y0 = r() * (1 - h);
      boxes.push({ x0, y0, x1: x0 + w, y1: y0 + h });
    }
    return boxes;
  });
}

describe('buildTargets', () => {
  it('equals matchAnchors image by image, with positive counts', () => {
    const batch = randomBatch(1, 32);
    const t = buildTargets(batch, priors);
    const A = priors.count;
    expect(t.batch).toBe(32);
    expect(t.anchors).toBe(A);
    expect(t.loc.length).toBe(32 * A * 4);
    expect(t.conf.length).toBe(32 * A);
    batch.forEach((truths, b) => {
      const one = matchAnchors(truths, priors);
      expect(t.loc.subarray(b * A * 4, (b + 1) * A * 4)).toEqual(one.loc);
      expect(t.conf.subarray(b * A, (b + 1) * A)).toEqual(one.conf);
      expect(t.positives[b]).toBe(one.conf.reduce((a, v) => a + v, 0));
      if (truths.length === 0) expect(t.positives[b]).toBe(0);
      else expect(t.positives[b]).toBeGreaterThanOrEqual(2); // the whole-image box hits both 1x1 anchors
    });
  });

  it('reuses output buffers (Int32Array labels allowed) and overwrites stale data', () => {
    const builder = new TargetBuilder(priors);
    const A = builder.anchors;
    const out = { loc: new Float32Array(8 * A * 4).fill(7), conf: new Int32Array(8 * A).fill(9) };
    const batch = randomBatch(2, 6);
    const t = builder.build(batch, { out });
    expect(t.loc.buffer).toBe(out.loc.buffer);
    expect(t.conf.buffer).toBe(out.conf.buffer);
    expect(t.conf.length).toBe(6 * A);
    const fresh = buildTargets(batch, priors);
    expect(Array.from(t.conf)).toEqual(Array.from(fresh.conf));
    expect(t.loc).toEqual(fresh.loc);
    expect(() => builder.build(randomBatch(3, 9), { out })).toThrow(AnchorShapeError);
  });

  it('names the image and box of a bad truth', () => {
    const batch: Box[][] = [[], [{ x0: 0, y0: 0, x1: 1, y1: 1 }, { x0: 0.5, y0: 0.5, x1: 0.5, y1: 0.7 }]];
    expect(() => buildTargets(batch, priors)).toThrow(InvalidBoxError);
    expect(() => buildTargets(batch, priors)).toThrow(/batch\[1\]\.truths\[1\]: .*zero area/);
    expect(() => buildTargets([null as unknown as Box[]], priors)).toThrow(/batch\[0\] must be an array/);
  });

  it('an empty batch gives empty targets', () => {
    const t = buildTargets([], priors);
    expect(t.loc.length).toBe(0);
    expect(t.conf.length).toBe(0);
  });
});
