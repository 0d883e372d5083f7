import { describe, expect, it } from 'vitest';
import { alignMatrix } from './align.js';
import { mapPoints } from './geometry.js';
import { fivePoints, LANDMARK_PARTS } from './landmarks.js';
import { meanFace5 } from './mean-face.js';
import { TEMPLATE_FACE_68, templateLandmarks } from './template.js';

describe('synthetic face template', () => {
  it('has the 68-point layout: left parts left of right parts, eyes above nose above mouth above chin', () => {
    const t = TEMPLATE_FACE_68;
    const x = (i: number): number => t[2 * i];
    const y = (i: number): number => t[2 * i + 1];
    expect(t.length).toBe(136);
    expect(x(36)).toBeLessThan(x(45));
    expect(x(48)).toBeLessThan(x(54));
    expect(x(LANDMARK_PARTS.leftBrow[0])).toBeLessThan(x(LANDMARK_PARTS.rightBrow[1]));
    expect(y(37)).toBeLessThan(y(30));
    expect(y(30)).toBeLessThan(y(51));
    expect(y(57)).toBeLessThan(y(8));
    expect(y(19)).toBeLessThan(y(37));
  });

  it('aligns close to the reference mean face', () => {
    const lm = templateLandmarks(130, 120, 110, 15);
    const M = alignMatrix(lm);
    const got = fivePoints(mapPoints(M, lm), { truncateEyes: false });
    const mf = meanFace5(80, 224, 0.9);
    for (let i = 0; i < 10; i++) expect(Math.abs(got[i] - mf[i])).toBeLessThan(6);
  });
});
