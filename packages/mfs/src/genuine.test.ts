import { describe, expect, it } from 'vitest';
import { createImage, type ImageU8 } from '@caddm/image';
import { MfsShapeError } from './errors.js';
import { swapRemovedManipulation } from './genuine.js';

function img(fill: (i: number) => number): ImageU8 {
  const im = createImage(16, 16, 3);
  for (let i = 0; i < im.data.length; i++) im.data[i] = fill(i);
  return im;
}

describe('swapRemovedManipulation', () => {
  const source = img((i) => (i * 37) % 200);
  // The fake deviates by 40 levels on the first half of the values.
  const fake = img((i) => ((i * 37) % 200) + (i < 384 ? 40 : 0));
  it('is true when the swap gives back the source up to codec noise', () => {
    const noisy = img((i) => ((i * 37) % 200) + (i % 5) - 2);
    expect(swapRemovedManipulation(fake, source, noisy)).toBe(true);
  });
  it('is false when most of the manipulation survives the swap, true at the 40% edge', () => {
    expect(swapRemovedManipulation(fake, source, fake)).toBe(false);
    const part = (k: number) => img((i) => ((i * 37) % 200) + (i < k ? 40 : 0));
    expect(swapRemovedManipulation(fake, source, part(Math.floor(0.4 * 384)))).toBe(true);
    expect(swapRemovedManipulation(fake, source, part(Math.floor(0.4 * 384) + 1))).toBe(false);
  });
  it('refuses images of different sizes', () => {
    expect(() => swapRemovedManipulation(fake, source, createImage(8, 8, 3))).toThrow(MfsShapeError);
  });
});
