import { describe, expect, it } from 'vitest';
import { createImage, type ImageU8 } from '@caddm/image';
import { MfsShapeError } from './errors.js';
import { poissonSwapRemovesManipulation, swapRemovedManipulation } from './genuine.js';
import { poissonBlend } from './poisson.js';
import { createRng } from '@caddm/image';

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

describe('poissonSwapRemovesManipulation (the verdict before solving)', () => {
  const N = 40;
  /** A disk mask (255 inside) of radius r around the centre. */
  const disk = (r: number): ImageU8 => {
    const m = createImage(N, N, 1);
    for (let y = 0; y < N; y++) for (let x = 0; x < N; x++) if ((x - 19.5) ** 2 + (y - 19.5) ** 2 <= r * r) m.data[y * N + x] = 255;
    return m;
  };
  /** source, and a fake that deviates by `delta` where `where(x, y)`, with codec noise of ±2 elsewhere. */
  const pair = (seed: number, where: (x: number, y: number) => boolean, delta = 40): { source: ImageU8; fake: ImageU8 } => {
    const rng = createRng(seed);
    const source = createImage(N, N, 3);
    const fake = createImage(N, N, 3);
    for (let y = 0; y < N; y++) {
      for (let x = 0; x < N; x++) {
        for (let c = 0; c < 3; c++) {
          const i = (y * N + x) * 3 + c;
          source.data[i] = 60 + Math.floor(rng.next() * 120);
          fake.data[i] = source.data[i] + (where(x, y) ? delta : Math.floor(rng.next() * 5) - 2);
        }
      }
    }
    return { source, fake };
  };
  const solved = (fake: ImageU8, source: ImageU8, mask: ImageU8): boolean =>
    swapRemovedManipulation(fake, source, poissonBlend(fake, source, mask, { tolerance: 3e-3 }).image as ImageU8);
  const r2 = (x: number, y: number) => (x - 19.5) ** 2 + (y - 19.5) ** 2;

  it('decides "genuine" without solving when the manipulation lies well inside the mask, as the solve would', () => {
    for (let seed = 0; seed < 4; seed++) {
      const { source, fake } = pair(seed, (x, y) => r2(x, y) <= 10 * 10);
      const mask = disk(14);
      expect(poissonSwapRemovesManipulation(fake, source, mask)).toBe(true);
      expect(solved(fake, source, mask)).toBe(true);
    }
  });

  it('decides "kept" when the pixels outside the mask alone keep over 40% of the manipulation', () => {
    const { source, fake } = pair(5, (x, y) => r2(x, y) <= 16 * 16);
    const mask = disk(8);
    expect(poissonSwapRemovesManipulation(fake, source, mask)).toBe(false);
    expect(solved(fake, source, mask)).toBe(false);
  });

  it('leaves it to the solve when the manipulation reaches the mask boundary, and never contradicts the solve', () => {
    const { source, fake } = pair(6, (x, y) => r2(x, y) <= 15 * 15);
    expect(poissonSwapRemovesManipulation(fake, source, disk(13))).toBeUndefined();
    // Random masks and manipulations: every verdict given agrees with the solved image.
    const rng = createRng(11);
    let decided = 0;
    for (let k = 0; k < 24; k++) {
      const q = 4 + Math.floor(rng.next() * 14);
      const r = 4 + Math.floor(rng.next() * 14);
      const delta = [6, 12, 40][k % 3];
      const p = pair(100 + k, (x, y) => r2(x, y) <= q * q, delta);
      const v = poissonSwapRemovesManipulation(p.fake, p.source, disk(r));
      if (v !== undefined) {
        decided++;
        expect(v).toBe(solved(p.fake, p.source, disk(r)));
      }
    }
    expect(decided).toBeGreaterThan(12);
  });

  it('refuses a mask of another size', () => {
    const { source, fake } = pair(1, () => false);
    expect(() => poissonSwapRemovesManipulation(fake, source, createImage(8, 8, 1))).toThrow(MfsShapeError);
  });
});
