import { describe, expect, it } from 'vitest';
import { rng } from './__fixtures__/golden.js';
import { checkBox, InvalidBoxError, iou, overlapMatrix, priorBoxes, type Box } from './index.js';

function randomBox(r: () => number): Box {
  const x0 = r();
  const y0 = r();
  return { x0, y0, x1: x0 + r() * (1 - x0) + 1e-3, y1: y0 + r() * (1 - y0) + 1e-3 };
}

describe('iou', () => {
  it('gives NaN, not a plausible 0, when any coordinate is NaN', () => {
    const ok = { x0: 0, y0: 0, x1: 1, y1: 1 };
    for (const k of ['x0', 'y0', 'x1', 'y1'] as const) {
      const bad = { ...ok, [k]: Number.NaN };
      expect(iou(bad, ok), k).toBeNaN();
      expect(iou(ok, bad), k).toBeNaN();
    }
    expect(iou(ok, { x0: 5, y0: 5, x1: 6, y1: 6 })).toBe(0);
  });

  it('is symmetric and within [0, 1]; 1 for identical boxes; 0 for disjoint ones', () => {
    const r = rng(5);
    for (let i = 0; i < 500; i++) {
      const a = randomBox(r);
      const b = randomBox(r);
      const v = iou(a, b);
      expect(v).toBe(iou(b, a));
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
      expect(iou(a, a)).toBeCloseTo(1, 12);
    }
    expect(iou({ x0: 0, y0: 0, x1: 0.2, y1: 0.2 }, { x0: 0.5, y0: 0.5, x1: 0.7, y1: 0.9 })).toBe(0);
    expect(iou({ x0: 0, y0: 0, x1: 1, y1: 1 }, { x0: 0, y0: 0, x1: 0.5, y1: 1 })).toBe(0.5);
  });

  it('float32 overlap matrix is within [0, 1] and agrees with float64 IoU to float32 precision', () => {
    const r = rng(9);
    const priors = priorBoxes();
    const truths = Array.from({ length: 20 }, () => randomBox(r)).map((b) => ({
      x0: b.x0,
      y0: b.y0,
      x1: Math.min(1, b.x1),
      y1: Math.min(1, b.y1),
    }));
    const ov = overlapMatrix(truths, priors);
    truths.forEach((t, ti) => {
      for (let i = 0; i < priors.count; i++) {
        const [cx, cy, w, h] = priors.data.subarray(4 * i, 4 * i + 4);
        const v = ov[ti * priors.count + i];
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
        expect(v).toBeCloseTo(iou(t, { x0: cx - w / 2, y0: cy - h / 2, x1: cx + w / 2, y1: cy + h / 2 }), 5);
      }
    });
  });
});

describe('checkBox', () => {
  it('accepts valid boxes, rounding to float32', () => {
    expect(checkBox({ x0: 0.1, y0: 0.2, x1: 0.3, y1: 0.4 }, 'b')).toEqual({
      x0: Math.fround(0.1),
      y0: Math.fround(0.2),
      x1: Math.fround(0.3),
      y1: Math.fround(0.4),
    });
  });

  it('clamps float noise just outside [0, 1] under either policy', () => {
    expect(checkBox({ x0: -1e-9, y0: 0, x1: 1 + 1e-9, y1: 1 }, 'b')).toEqual({ x0: 0, y0: 0, x1: 1, y1: 1 });
  });

  it('names the box and problem', () => {
    const bad = (b: unknown): InvalidBoxError => {
      try {
        checkBox(b as Box, 'truths[4]');
      } catch (e) {
        return e as InvalidBoxError;
      }
      throw new Error('no error');
    };
    expect(bad({ x0: 0, y0: 0, x1: Infinity, y1: 1 }).problem).toBe('non-finite');
    expect(bad(null).message).toMatch(/truths\[4\]: expected a box/);
    expect(bad({ x0: 0.3, y0: 0, x1: 0.3, y1: 1 }).message).toBe('truths[4]: box [0.3, 0, 0.3, 1] has zero area');
    expect(bad({ x0: 0, y0: 0.9, x1: 1, y1: 0.1 }).problem).toBe('inverted');
    expect(bad({ x0: 0, y0: 0, x1: 2, y1: 1 }).where).toBe('truths[4]');
  });
});
