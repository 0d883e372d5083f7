import { createImage } from '@caddm/image';
import { describe, expect, it } from 'vitest';
import { alphaBlend } from './alpha.js';
import { MfsArgumentError, MfsShapeError } from './errors.js';

describe('alphaBlend', () => {
  it('weights foreground by the mask and truncates uint8 like the reference', () => {
    const bg = createImage(1, 3, 3);
    const fg = createImage(1, 3, 3);
    bg.data.fill(10);
    fg.data.fill(201);
    const m = createImage(1, 3, 1);
    m.data.set([0, 128, 255]);
    const out = alphaBlend(bg, fg, m);
    // 128/255 * 201 + (1 - 128/255) * 10 = 105.87... -> 105 (truncated), 106 rounded.
    expect(Array.from(out.data)).toEqual([10, 10, 10, 105, 105, 105, 201, 201, 201]);
    expect(alphaBlend(bg, fg, m, { rounding: 'round' }).data[3]).toBe(106);
  });

  it('accepts float masks on a 0..1 scale, per-channel masks, float images and an explicit scale', () => {
    const bg = createImage(2, 2, 3, 'float32');
    const fg = createImage(2, 2, 3, 'float32');
    fg.data.fill(100);
    const m = createImage(2, 2, 3, 'float32');
    m.data.set([0.5, 0.25, 1]);
    const out = alphaBlend(bg, fg, m);
    expect(Array.from(out.data.subarray(0, 3))).toEqual([50, 25, 100]);
    const mu8 = createImage(2, 2, 1, 'float32');
    mu8.data.fill(51);
    expect(alphaBlend(bg, fg, mu8, { maskScale: 255 }).data[0]).toBeCloseTo(20, 5);
  });

  it('rejects mismatched shapes and bad scales', () => {
    const a = createImage(4, 4, 3);
    expect(() => alphaBlend(a, createImage(4, 5, 3), createImage(4, 4, 1))).toThrow(MfsShapeError);
    expect(() => alphaBlend(a, a, createImage(4, 4, 2))).toThrow(MfsShapeError);
    expect(() => alphaBlend(a, a, createImage(4, 4, 1), { maskScale: 0 })).toThrow(MfsArgumentError);
  });
});

describe('alphaBlend fast path', () => {
  it('equals the generic path (RGB uint8, one-channel uint8 mask)', () => {
    const bg = createImage(17, 19, 3);
    const fg = createImage(17, 19, 3);
    const m = createImage(17, 19, 1);
    const m3 = createImage(17, 19, 3);
    for (let i = 0; i < bg.data.length; i++) {
      bg.data[i] = (i * 37) % 256;
      fg.data[i] = (i * 91 + 7) % 256;
    }
    for (let i = 0; i < m.data.length; i++) {
      m.data[i] = (i * 53) % 256;
      m3.data.fill(m.data[i], 3 * i, 3 * i + 3);
    }
    // A three-channel mask takes the generic loop.
    expect(Array.from(alphaBlend(bg, fg, m).data)).toEqual(Array.from(alphaBlend(bg, fg, m3).data));
  });
});
