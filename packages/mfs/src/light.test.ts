import { fileURLToPath } from 'node:url';
import { installedWith } from '@caddm/testkit';
import { describe, expect, it } from 'vitest';

const heavy = (names: Iterable<string>) => [...names].filter((n) => /tensorflow|@caddm\/tf$|face-api|@caddm\/face-detect/.test(n));

describe('light packages', () => {
  it('MFS, SSIM, the image primitives, anchors, the face geometry and metrics install without TensorFlow.js or face-api', () => {
    for (const pkg of ['mfs', 'ssim', 'image', 'anchors', 'face', 'metrics', 'sbi']) {
      const dir = fileURLToPath(new URL(`../../${pkg}`, import.meta.url));
      expect(heavy(installedWith(dir)), pkg).toEqual([]);
    }
    // The check can fail: the detector and the trainer do bring them.
    expect(heavy(installedWith(fileURLToPath(new URL('../../face-detect', import.meta.url))))).toContain('@vladmandic/face-api');
  });
});
