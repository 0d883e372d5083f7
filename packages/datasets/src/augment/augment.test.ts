import { createRng, filter2D, wrapImage, type ImageU8 } from '@caddm/image';
import { describe, expect, it } from 'vitest';
import { NO_AUGMENT, REFERENCE_AS_RELEASED_AUGMENT, REFERENCE_AUGMENT, augment, resolveAugment } from './augment.js';
import { adjustGamma, colourTone, gaussianNoise, hflip, hsvScale, minMaxNormalize, motionBlur, motionKernel, resizeDownUp } from './ops.js';

function testImage(h = 24, w = 40): ImageU8 {
  const d = new Uint8Array(h * w * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let k = 0; k < 3; k++) d[(y * w + x) * 3 + k] = (x * 5 + y * 3 + k * 40 + 30) % 200 + 20;
  return wrapImage(d, h, w, 3);
}

describe('augmentation ops', () => {
  it('flips images and boxes about the WIDTH (reference bug 1 used the height)', () => {
    const img = testImage(24, 40);
    const { image, boxes } = hflip(img, [[5, 2, 12, 20]]);
    expect(boxes).toEqual([[28, 2, 35, 20]]);
    for (const [y, x] of [[0, 0], [5, 7], [23, 39]]) {
      for (let k = 0; k < 3; k++) expect(image.data[(y * 40 + x) * 3 + k]).toBe(img.data[(y * 40 + 39 - x) * 3 + k]);
    }
    const back = hflip(image, boxes);
    expect(Array.from(back.image.data)).toEqual(Array.from(img.data));
    expect(back.boxes).toEqual([[5, 2, 12, 20]]);
  });

  it('computes the reference motion kernel (cv2.line on an a x a grid)', () => {
    const k = motionKernel(0, 3)!;
    expect(k.size).toBe(6);
    const ones = [...k.kernel.keys()].filter((i) => k.kernel[i] > 0);
    expect(ones).toEqual([3 * 6 + 3, 3 * 6 + 4, 3 * 6 + 5]);
    expect(k.kernel[3 * 6 + 3]).toBeCloseTo(1 / 3, 12);
    const d = motionKernel(90, 2)!;
    expect(d.size).toBe(4);
    expect([...d.kernel.keys()].filter((i) => d.kernel[i] > 0)).toEqual([2 * 4 + 2, 3 * 4 + 2]);
    expect(motionKernel(0, 0)).toBeUndefined();
    // The sparse motion blur equals filter2D with the dense kernel.
    const img = testImage();
    for (const [ang, len] of [[0, 3], [37, 7], [200, 10], [300, 1]]) {
      const mk = motionKernel(ang, len)!;
      const dense = filter2D(img, mk.kernel, mk.size, mk.size);
      const sparse = motionBlur(img, ang, len);
      dense.data.forEach((v, i) => expect(Math.abs(v - sparse.data[i])).toBeLessThanOrEqual(1));
    }
  });

  it('matches the reference formulas on edge cases', () => {
    const img = testImage();
    // gamma 1 is exp(log(x + 1e-15)), truncated: x or x - 1, as in the reference.
    adjustGamma(img, 1).data.forEach((v, i) => expect(img.data[i] - v).toBeGreaterThanOrEqual(0));
    adjustGamma(img, 1).data.forEach((v, i) => expect(img.data[i] - v).toBeLessThanOrEqual(1));
    const g = adjustGamma(img, 0.5);
    // gamma 0.5: x^2 / 255, truncated.
    expect(g.data[0]).toBe(Math.trunc((img.data[0] ** 2) / 255));
    const mm = minMaxNormalize(img);
    const lo = Math.min(...img.data);
    const hi = Math.max(...img.data);
    expect(mm.data[5]).toBe(Math.trunc(((img.data[5] - lo) * 255) / (hi - lo + 1)));
    expect(Math.max(...mm.data)).toBe(Math.trunc(((hi - lo) * 255) / (hi - lo + 1)));
    expect(Array.from(colourTone(img, [255, 0, 0], 0).data)).toEqual(Array.from(img.data));
    expect(colourTone(img, [200, 100, 60], 1).data.slice(0, 3)).toEqual(Uint8Array.of(200, 100, 60));
    expect(Array.from(gaussianNoise(img, createRng(1), 0).data)).toEqual(Array.from(img.data));
    const hsv = hsvScale(img, 1, 1);
    for (let i = 0; i < img.data.length; i++) expect(Math.abs(hsv.data[i] - img.data[i])).toBeLessThanOrEqual(3);
    const dark = hsvScale(img, 1, 0.5);
    expect(dark.data.reduce((a, b) => a + b, 0)).toBeLessThan(img.data.reduce((a, b) => a + b, 0) * 0.6);
    expect(resizeDownUp(img, createRng(2), 2).shape).toEqual([24, 40, 3]);
  });
});

describe('augment pipeline', () => {
  it('is the identity with every switch off, and flips boxes with the image when only the flip is on', async () => {
    const img = testImage();
    const r = await augment(img, [[1, 2, 3, 4]], createRng(3), NO_AUGMENT);
    expect(r.applied).toEqual([]);
    expect(Array.from(r.image.data)).toEqual(Array.from(img.data));
    const f = await augment(img, [[1, 2, 3, 4]], createRng(3), { ...NO_AUGMENT, flip: 1 });
    expect(f.applied).toEqual(['flip']);
    expect(f.boxes).toEqual([[37, 2, 39, 4]]);
    expect(REFERENCE_AS_RELEASED_AUGMENT.flip).toBe(0);
  });

  it('applies each augmentation with the reference probability, in the reference order, deterministically', async () => {
    const img = testImage(12, 12);
    const counts: Record<string, number> = {};
    const N = 160;
    const rng = createRng(9);
    for (let i = 0; i < N; i++) {
      const r = await augment(img, [], rng, { jpeg: 0.3 });
      for (const a of r.applied) counts[a] = (counts[a] ?? 0) + 1;
    }
    for (const [k, p] of Object.entries(REFERENCE_AUGMENT)) expect(Math.abs((counts[k] ?? 0) / N - p)).toBeLessThan(0.12);
    const all = await augment(img, [], createRng(1), Object.fromEntries(Object.keys(REFERENCE_AUGMENT).map((k) => [k, 1])));
    expect(all.applied).toEqual(['flip', 'jpeg', 'minMax', 'lowFreqNoise', 'hsv', 'gamma', 'motionBlur', 'gaussianBlur', 'gaussianNoise', 'colourTone', 'resizeDownUp']);
    const a = await augment(img, [], createRng(5));
    const b = await augment(img, [], createRng(5));
    expect(Array.from(a.image.data)).toEqual(Array.from(b.image.data));
    // Switching one augmentation off does not change the others' random parameters.
    const g1 = await augment(img, [], createRng(6), { ...NO_AUGMENT, gamma: 1 });
    const g2 = await augment(img, [], createRng(6), { ...NO_AUGMENT, gamma: 1, jpeg: 0 });
    expect(Array.from(g1.image.data)).toEqual(Array.from(g2.image.data));
  });

  it('rejects unknown switches and bad probabilities', () => {
    expect(() => resolveAugment({ blur: 1 } as never)).toThrow(/unknown augmentation "blur"/);
    expect(() => resolveAugment({ jpeg: 2 })).toThrow(/probability/);
  });
});
