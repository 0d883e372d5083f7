import { describe, expect, it } from 'vitest';
import { loadGoldenKind } from './__fixtures__/golden.js';
import {
  AnchorConfigError,
  anchorCount,
  DEFAULT_ANCHOR_CONFIG,
  priorBoxes,
  priorsToPointForm,
  scaleAnchorConfig,
  validateAnchorConfig,
  type AnchorConfig,
} from './index.js';

interface PriorsFixture {
  config: {
    min_dim: number;
    feature_maps: number[];
    steps: number[];
    min_sizes: number[];
    max_sizes: number[];
    clip: boolean;
  };
  priors_cxcywh: number[][];
}

const fixtures = loadGoldenKind<PriorsFixture>('priors');

describe.skipIf(fixtures.length === 0)('priorBoxes golden', () => {
  it.each(fixtures.map((f) => [f.file, f.data] as const))('%s matches the reference to 1e-6', (_file, g) => {
    const config: AnchorConfig = {
      imageSize: g.config.min_dim,
      featureMaps: g.config.feature_maps,
      steps: g.config.steps,
      minSizes: g.config.min_sizes,
      maxSizes: g.config.max_sizes,
      clip: g.config.clip,
    };
    const p = priorBoxes(config);
    expect(p.count).toBe(g.priors_cxcywh.length);
    g.priors_cxcywh.forEach((row, i) => {
      for (let c = 0; c < 4; c++) expect(Math.abs(p.data[4 * i + c] - row[c])).toBeLessThanOrEqual(1e-6);
    });
  });
});

describe('priorBoxes', () => {
  it('default config gives 168 anchors, two per cell, (min,max) then (max,min)', () => {
    const p = priorBoxes();
    expect(p.count).toBe(168);
    expect(p.data.length).toBe(168 * 4);
    expect(anchorCount()).toBe(168);
    // First cell of the 7x7 map.
    expect(Array.from(p.data.subarray(0, 8))).toEqual(
      [1 / 14, 1 / 14, 40 / 224, 80 / 224, 1 / 14, 1 / 14, 80 / 224, 40 / 224].map(Math.fround),
    );
    // Second cell is one column to the right.
    expect(p.data[8]).toBeCloseTo(3 / 14, 7);
    expect(p.data[9]).toBeCloseTo(1 / 14, 7);
    // The single 1x1 cell covers the whole image.
    expect(Array.from(p.data.subarray(166 * 4))).toEqual([0.5, 0.5, 1, 1, 0.5, 0.5, 1, 1]);
  });

  it('scaled configs for 112 and 64 px keep the layout and normalised anchors', () => {
    const base = priorBoxes();
    for (const size of [112, 64]) {
      const c = scaleAnchorConfig(DEFAULT_ANCHOR_CONFIG, size);
      expect(c.imageSize).toBe(size);
      expect(c.featureMaps).toEqual([7, 5, 3, 1]);
      expect(c.steps[0]).toBeCloseTo((32 * size) / 224, 12);
      const p = priorBoxes(c);
      expect(p.count).toBe(168);
      for (let i = 0; i < p.data.length; i++) expect(Math.abs(p.data[i] - base.data[i])).toBeLessThan(1e-6);
    }
  });

  it('custom configs work and clip clamps centre-form values to [0, 1]', () => {
    const c: AnchorConfig = { imageSize: 100, featureMaps: [2], steps: [50], minSizes: [60], maxSizes: [150], clip: true };
    const p = priorBoxes(c);
    expect(p.count).toBe(8);
    expect(Array.from(p.data.subarray(0, 8))).toEqual([0.25, 0.25, 0.6, 1, 0.25, 0.25, 1, 0.6].map(Math.fround));
    const unclipped = priorBoxes({ ...c, clip: false });
    expect(unclipped.data[3]).toBeCloseTo(1.5, 6);
  });

  it('point form is centre +- half size', () => {
    const p = priorBoxes();
    const pt = priorsToPointForm(p);
    for (let i = 0; i < p.count; i++) {
      expect(pt[4 * i + 2] - pt[4 * i]).toBeCloseTo(p.data[4 * i + 2], 6);
      expect((pt[4 * i + 1] + pt[4 * i + 3]) / 2).toBeCloseTo(p.data[4 * i + 1], 6);
    }
  });

  it('rejects invalid configs with clear errors', () => {
    const ok = DEFAULT_ANCHOR_CONFIG;
    expect(() => validateAnchorConfig({ ...ok, steps: [32, 45, 75] })).toThrow(/steps has 3 entries but featureMaps has 4/);
    expect(() => validateAnchorConfig({ ...ok, featureMaps: [7, 5.5, 3, 1] })).toThrow(/featureMaps\[1\] must be a positive integer/);
    expect(() => validateAnchorConfig({ ...ok, minSizes: [40, -1, 120, 224] })).toThrow(/minSizes\[1\] must be a positive/);
    expect(() => validateAnchorConfig({ ...ok, maxSizes: [80, Number.NaN, 160, 224] })).toThrow(AnchorConfigError);
    expect(() => validateAnchorConfig({ ...ok, imageSize: 0 })).toThrow(/imageSize/);
    expect(() => validateAnchorConfig({ ...ok, featureMaps: [], steps: [], minSizes: [], maxSizes: [] })).toThrow(/at least one/);
    expect(() => priorBoxes({ ...ok, steps: [0, 45, 75, 224] })).toThrow(AnchorConfigError);
    expect(() => scaleAnchorConfig(ok, -5)).toThrow(/inputSize/);
  });
});

describe('golden loader', () => {
  it('fails loudly for a missing fixture under CI=true and skips otherwise', async () => {
    const { loadGolden } = await import('./__fixtures__/golden.js');
    const saved = process.env.CI;
    try {
      process.env.CI = 'true';
      expect(() => loadGolden('does-not-exist.json')).toThrow(/missing.*CI=true/);
      delete process.env.CI;
      expect(loadGolden('does-not-exist.json')).toBeUndefined();
    } finally {
      if (saved === undefined) delete process.env.CI;
      else process.env.CI = saved;
    }
  });
});
