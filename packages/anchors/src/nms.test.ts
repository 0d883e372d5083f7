import { describe, expect, it } from 'vitest';
import { loadGoldenKind, rng } from './__fixtures__/golden.js';
import { AnchorShapeError, decodeBoxes, InvalidBoxError, iou, nms, priorBoxes } from './index.js';

interface NmsFixture {
  loc: number[][];
  boxes: number[][];
  scores: number[];
  nms_overlap: number;
  top_k: number;
  keep: number[];
}

const fixtures = loadGoldenKind<NmsFixture>('decode_nms');

describe.skipIf(fixtures.length === 0)('nms golden', () => {
  it.each(fixtures.map((f) => [f.file, f.data] as const))('%s: kept indices in order', (_f, g) => {
    const keep = nms(g.boxes.flat(), g.scores, { iouThreshold: g.nms_overlap, topK: g.top_k });
    expect(Array.from(keep)).toEqual(g.keep);
    // Same answer from our own decoding of the offsets.
    const boxes = decodeBoxes(g.loc.flat(), priorBoxes());
    expect(Array.from(nms(boxes, g.scores, { iouThreshold: g.nms_overlap, topK: g.top_k }))).toEqual(g.keep);
  });
});

const boxAt = (b: ArrayLike<number>, i: number) => ({ x0: b[4 * i], y0: b[4 * i + 1], x1: b[4 * i + 2], y1: b[4 * i + 3] });

describe('nms', () => {
  it('keeps no pair above the threshold and suppresses every dropped box by a kept one (random sets)', () => {
    const r = rng(11);
    for (let trial = 0; trial < 30; trial++) {
      const n = 5 + Math.floor(r() * 80);
      const boxes = new Float32Array(4 * n);
      const scores = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        const w = 0.05 + 0.4 * r();
        const h = 0.05 + 0.4 * r();
        const x0 = r() * (1 - w);
        const y0 = r() * (1 - h);
        boxes.set([x0, y0, x0 + w, y0 + h], 4 * i);
        scores[i] = r();
      }
      const thr = 0.2 + 0.6 * r();
      const keep = Array.from(nms(boxes, scores, { iouThreshold: thr, topK: n }));
      for (let a = 0; a < keep.length; a++) {
        if (a > 0) expect(scores[keep[a]]).toBeLessThanOrEqual(scores[keep[a - 1]]);
        for (let b = a + 1; b < keep.length; b++) {
          expect(iou(boxAt(boxes, keep[a]), boxAt(boxes, keep[b]))).toBeLessThanOrEqual(thr + 1e-6);
        }
      }
      const kept = new Set(keep);
      for (let i = 0; i < n; i++) {
        if (kept.has(i)) continue;
        const suppressor = keep.some((k) => scores[k] >= scores[i] && iou(boxAt(boxes, k), boxAt(boxes, i)) > thr - 1e-6);
        expect(suppressor).toBe(true);
      }
    }
  });

  it('topK limits the candidates to the best scores', () => {
    const boxes = [0, 0, 0.1, 0.1, 0.5, 0.5, 0.6, 0.6, 0.8, 0.8, 0.9, 0.9];
    expect(Array.from(nms(boxes, [0.1, 0.9, 0.5], { topK: 2 }))).toEqual([1, 2]);
    expect(Array.from(nms(boxes, [0.1, 0.9, 0.5], { topK: 0 }))).toEqual([]);
  });

  it('IoU exactly at the threshold is kept, just above is suppressed', () => {
    // Two boxes with IoU exactly 1/2: [0,0,1,1] and [0,0,1,0.5].
    const boxes = [0, 0, 1, 1, 0, 0, 1, 0.5];
    expect(Array.from(nms(boxes, [0.9, 0.8], { iouThreshold: 0.5 }))).toEqual([0, 1]);
    expect(Array.from(nms(boxes, [0.9, 0.8], { iouThreshold: 0.49 }))).toEqual([0]);
  });

  it('handles empty input and rejects bad input', () => {
    expect(Array.from(nms([], []))).toEqual([]);
    expect(() => nms([0, 0, 1], [1])).toThrow(AnchorShapeError);
    expect(() => nms([0, 0, 1, 1], [Number.NaN])).toThrow(InvalidBoxError);
    expect(() => nms([0, 0, Number.NaN, 1], [1])).toThrow(/boxes\[0\].*non-finite/);
    expect(() => nms([0.5, 0, 0.1, 1], [1])).toThrow(/inverted/);
    expect(() => nms([0, 0, 1, 1], [1], { iouThreshold: 2 })).toThrow(/iouThreshold/);
  });
});
