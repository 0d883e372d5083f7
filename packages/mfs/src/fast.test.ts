import { templateLandmarks } from '@caddm/face';
import { alignMatrix } from '@caddm/face';
import { createImage, gaussianBlur, warpPerspective, type ImageU8 } from '@caddm/image';
import { describe, expect, it } from 'vitest';
import { blurMaskU8, warpPairU8 } from './fast.js';
import { hullMask } from './mask.js';
import { syntheticFrame } from './__fixtures__/faces.js';

const same = (a: ImageU8, b: ImageU8): boolean => Buffer.from(a.data).equals(Buffer.from(b.data));

describe('fast kernels equal the generic @caddm/image ones', () => {
  it('warpPairU8 == warpPerspective for both images, including edges and a stretch', () => {
    const a = syntheticFrame(1).image;
    const b = syntheticFrame(2).image;
    const lm = syntheticFrame(1).landmarks;
    for (const opts of [{}, { rotation: 25, scale: 1.1, translation: [20, -24] as [number, number], sa: 1.03, sb: 0.97 }]) {
      const M = alignMatrix(lm, opts);
      const [wa, wb] = warpPairU8(a, b, M, 224);
      expect(same(wa, warpPerspective(a, M, 224, 224) as ImageU8)).toBe(true);
      expect(same(wb as ImageU8, warpPerspective(b, M, 224, 224) as ImageU8)).toBe(true);
    }
  });

  it('blurMaskU8 == gaussianBlur(5, 3) on hull masks, touching the border or not', () => {
    for (const [cx, cy, s] of [[112, 112, 100], [30, 200, 150], [112, 112, 400]]) {
      const m = hullMask(224, 224, templateLandmarks(cx, cy, s));
      expect(same(blurMaskU8(m), gaussianBlur(m, 5, 3) as ImageU8)).toBe(true);
    }
    expect(same(blurMaskU8(createImage(10, 12, 1)), createImage(10, 12, 1))).toBe(true);
  });
});
