import { describe, expect, it } from 'vitest';
import { FaceArgumentError, LandmarkError } from './errors.js';
import { foreheadArc, withForehead } from './forehead.js';
import { mapPoints, rotationAbout } from './geometry.js';
import { templateLandmarks } from './template.js';

describe('foreheadArc', () => {
  const lm = templateLandmarks(120, 130, 100, 8);

  it('gives the requested number of finite points, all above the brows in the face frame', () => {
    const arc = foreheadArc(lm, { points: 13 });
    expect(arc.length).toBe(26);
    // Up is away from the chin, perpendicular to the 0-16 jaw line.
    const ux = lm[32] - lm[0];
    const uy = lm[33] - lm[1];
    let vx = uy;
    let vy = -ux;
    const cx = (lm[0] + lm[32]) / 2;
    const cy = (lm[1] + lm[33]) / 2;
    if ((lm[16] - cx) * vx + (lm[17] - cy) * vy > 0) [vx, vy] = [-vx, -vy];
    const h = (x: number, y: number): number => (x - cx) * vx + (y - cy) * vy;
    let brow = -Infinity;
    for (let i = 17; i <= 26; i++) brow = Math.max(brow, h(lm[2 * i], lm[2 * i + 1]));
    // The middle third of the arc is above every brow point.
    for (let k = 4; k <= 8; k++) {
      expect(Number.isFinite(arc[2 * k])).toBe(true);
      expect(h(arc[2 * k], arc[2 * k + 1])).toBeGreaterThan(brow);
    }
    // Ordered from the point-0 side to the point-16 side.
    const side = (x: number, y: number): number => (x - cx) * ux + (y - cy) * uy;
    for (let k = 1; k < 13; k++) expect(side(arc[2 * k], arc[2 * k + 1])).toBeGreaterThan(side(arc[2 * k - 2], arc[2 * k - 1]));
  });

  it('is equivariant under similarities (follows the head pose)', () => {
    const arc = foreheadArc(lm);
    const T = rotationAbout(120, 110, 37);
    T[0] *= 1.7;
    T[1] *= 1.7;
    T[3] *= 1.7;
    T[4] *= 1.7;
    T[2] += 11;
    const moved = foreheadArc(mapPoints(T, lm));
    const expected = mapPoints(T, arc);
    for (let i = 0; i < arc.length; i++) expect(moved[i]).toBeCloseTo(expected[i], 2);
  });

  it('grows with heightRatio and appends after the 68 points in withForehead', () => {
    const low = foreheadArc(lm, { heightRatio: 0.2, points: 1 });
    const high = foreheadArc(lm, { heightRatio: 1.2, points: 1 });
    const chinY = lm[17];
    expect(Math.abs(high[1] - chinY)).toBeGreaterThan(Math.abs(low[1] - chinY));
    const all = withForehead(lm, { points: 5 });
    expect(all.length).toBe(136 + 10);
    expect(Array.from(all.subarray(0, 136))).toEqual(Array.from(lm));
  });

  it('rejects degenerate faces and bad options', () => {
    expect(() => foreheadArc(new Float32Array(136))).toThrow(LandmarkError);
    expect(() => foreheadArc(lm, { points: 0 })).toThrow(FaceArgumentError);
    expect(() => foreheadArc(lm, { heightRatio: -1 })).toThrow(FaceArgumentError);
  });
});
