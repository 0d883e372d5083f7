import { createRng } from '@caddm/image';
import { describe, expect, it } from 'vitest';
import { FaceArgumentError } from './errors.js';
import { REFERENCE_JITTER, sampleAlignJitter } from './jitter.js';

describe('sampleAlignJitter', () => {
  it('is reproducible from the seed', () => {
    const a = Array.from({ length: 5 }, () => null).map(((r) => () => sampleAlignJitter(r))(createRng(3)));
    const b = Array.from({ length: 5 }, () => null).map(((r) => () => sampleAlignJitter(r))(createRng(3)));
    expect(a).toEqual(b);
    expect(sampleAlignJitter(createRng(4))).not.toEqual(a[0]);
  });

  it('follows the reference distributions', () => {
    const rng = createRng(11);
    const n = 20000;
    let sum = 0;
    let sq = 0;
    let stretched = 0;
    let bigRot = 0;
    let maxT = 0;
    let maxR = 0;
    for (let i = 0; i < n; i++) {
      const j = sampleAlignJitter(rng);
      sum += j.scale;
      sq += j.scale * j.scale;
      maxT = Math.max(maxT, Math.abs(j.translation[0]), Math.abs(j.translation[1]));
      maxR = Math.max(maxR, Math.abs(j.rotation));
      if (Math.abs(j.rotation) > 30 * 0.5 ** 3) bigRot++;
      for (const s of [j.sa, j.sb]) {
        if (s !== 1) {
          stretched++;
          expect(s).toBeGreaterThanOrEqual(0.97);
          expect(s).toBeLessThan(1.03);
        }
      }
    }
    const mean = sum / n;
    const std = Math.sqrt(sq / n - mean * mean);
    expect(mean).toBeCloseTo(0.9, 2);
    expect(std).toBeCloseTo(0.1, 2);
    expect(maxT).toBeLessThanOrEqual(25);
    expect(maxT).toBeGreaterThan(24.9);
    expect(maxR).toBeLessThanOrEqual(30);
    expect(maxR).toBeGreaterThan(29);
    // |rotation| > 30 * 0.5^3 exactly when |u| > 0.5: half the draws.
    expect(bigRot / n).toBeCloseTo(0.5, 1);
    expect(stretched / (2 * n)).toBeCloseTo(0.2, 2);
  });

  it('honours overrides and rejects invalid configs', () => {
    const j = sampleAlignJitter(createRng(1), { scaleStd: 0, translation: 0, maxRotation: 0, stretchProbability: 0 });
    expect(j).toEqual({ scale: REFERENCE_JITTER.scaleMean, translation: [0, 0], rotation: 0, sa: 1, sb: 1 });
    expect(() => sampleAlignJitter(createRng(1), { stretchProbability: 2 })).toThrow(FaceArgumentError);
  });
});
