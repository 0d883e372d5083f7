import { encodeBoxes, priorBoxes } from '@caddm/anchors';
import { describe, expect, it } from 'vitest';
import { artifactBoxes } from './artifact.js';

const priors = priorBoxes();
const A = priors.count;

/** loc encoding `box` at every anchor, conf logits favouring "artifact" at the given anchors. */
function heads(box: { x0: number; y0: number; x1: number; y1: number }, hot: Record<number, number>) {
  const loc = encodeBoxes(new Float32Array(Array.from({ length: A }, () => [box.x0, box.y0, box.x1, box.y1]).flat()), priors);
  const conf = new Float32Array(2 * A);
  for (let i = 0; i < A; i++) conf[2 * i] = 3; // P(artifact) ~ 0.05 everywhere
  for (const [i, logit] of Object.entries(hot)) conf[2 * Number(i) + 1] = 3 + logit;
  return { loc, conf };
}

describe('artifactBoxes', () => {
  it('returns no box for a real face (every anchor below the threshold)', () => {
    const { loc, conf } = heads({ x0: 0.2, y0: 0.2, x1: 0.6, y1: 0.6 }, {});
    expect(artifactBoxes(loc, conf, priors, 224)).toEqual([]);
  });
  it('decodes the top anchor to its box in canvas pixels, with its score', () => {
    const { loc, conf } = heads({ x0: 0.25, y0: 0.5, x1: 0.75, y1: 0.75 }, { 10: 2, 50: 4 });
    const [top, ...rest] = artifactBoxes(loc, conf, priors, 224);
    expect(rest).toEqual([]);
    expect(top.x0).toBeCloseTo(56, 3);
    expect(top.y0).toBeCloseTo(112, 3);
    expect(top.x1).toBeCloseTo(168, 3);
    expect(top.y1).toBeCloseTo(168, 3);
    expect(top.score).toBeCloseTo(1 / (1 + Math.exp(-4)), 6);
  });
  it('suppresses overlapping boxes and keeps topK in score order', () => {
    const { loc, conf } = heads({ x0: 0.25, y0: 0.5, x1: 0.75, y1: 0.75 }, { 10: 2, 50: 4, 90: 3 });
    // Same decoded box at every anchor: NMS keeps one.
    expect(artifactBoxes(loc, conf, priors, 224, { topK: 5 }).length).toBe(1);
    expect(artifactBoxes(loc, conf, priors, 224, { topK: 5, iouThreshold: 1 }).map((b) => b.score.toFixed(4))).toEqual(
      [4, 3, 2].map((l) => (1 / (1 + Math.exp(-l))).toFixed(4)),
    );
  });
  it('rejects mismatched heads', () => {
    expect(() => artifactBoxes(new Float32Array(A * 4), new Float32Array(A), priors, 224)).toThrow(/need 2 each/);
  });
});
