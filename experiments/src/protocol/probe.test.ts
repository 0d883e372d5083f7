import { describe, expect, it } from 'vitest';
import type { FrameSet } from './features.js';
import { accuracyInterval, pixelFeatures, probeSplitByVideo } from './probe.js';

describe('probeSplitByVideo', () => {
  it("puts each person's videos on alternate sides, never one video on both, and leaves out one-video persons", () => {
    const ids = ['A', 'A', 'A', 'A', 'B', 'B', 'B', 'B', 'C', 'C'];
    const vids = ['a2', 'a2', 'a1', 'a1', 'b1', 'b2', 'b1', 'b2', 'c1', 'c1'];
    const s = probeSplitByVideo(ids, vids);
    expect(s.by).toBe('video');
    expect(s.train.map((i) => vids[i])).toEqual(['a1', 'a1', 'b1', 'b1']);
    expect(s.test.map((i) => vids[i])).toEqual(['a2', 'a2', 'b2', 'b2']);
    const trainVideos = new Set(s.train.map((i) => vids[i]));
    expect(s.test.some((i) => trainVideos.has(vids[i]))).toBe(false);
  });

  it('falls back to alternating frames, and says so, when no two persons have two videos', () => {
    const s = probeSplitByVideo(['A', 'A', 'B', 'B', 'B'], ['a', 'a', 'b', 'b', 'b']);
    expect(s.by).toBe('frames');
    expect(s.train).toEqual([0, 2, 4]);
    expect(s.test).toEqual([1, 3]);
  });
});

describe('pixelFeatures', () => {
  it('average-pools each channel to side x side', () => {
    // One 4x4 image with 2 channels: channel 0 = x, channel 1 = 10 * y.
    const images = new Float32Array(4 * 4 * 2);
    for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) [images[(y * 4 + x) * 2], images[(y * 4 + x) * 2 + 1]] = [x, 10 * y];
    const set = { images, shape: [4, 4, 2], count: 1 } as unknown as FrameSet;
    const { features, dim } = pixelFeatures(set, 2);
    expect(dim).toBe(8);
    // Blocks (y, x): (0,0) x 0.5, y 5; (0,1) x 2.5, y 5; (1,0) x 0.5, y 25; (1,1) x 2.5, y 25.
    expect(Array.from(features)).toEqual([0.5, 5, 2.5, 5, 0.5, 25, 2.5, 25]);
  });
});

describe('accuracyInterval', () => {
  it('gives the accuracy and an interval that resamples persons, wider when persons differ than when frames do', () => {
    const n = 200;
    const clusters = Array.from({ length: n }, (_, i) => `p${Math.floor(i / 10)}`);
    // Whole persons right or wrong vs. right and wrong frames mixed within every person.
    const byPerson = Uint8Array.from(clusters, (c) => (Number(c.slice(1)) % 2 === 0 ? 1 : 0));
    const mixed = Uint8Array.from({ length: n }, (_, i) => i % 2);
    const a = accuracyInterval(byPerson, clusters);
    const b = accuracyInterval(mixed, clusters);
    expect(a.accPct).toBe(50);
    expect(b.accPct).toBe(50);
    expect(a.ciPct[0]).toBeLessThan(50);
    expect(a.ciPct[1]).toBeGreaterThan(50);
    expect(a.ciPct[1] - a.ciPct[0]).toBeGreaterThan(5 * (b.ciPct[1] - b.ciPct[0]));
    // Paired difference: a probe compared with itself is exactly 0.
    expect(accuracyInterval(byPerson, clusters, byPerson)).toEqual({ accPct: 0, ciPct: [0, 0] });
    expect(() => accuracyInterval(byPerson, clusters.slice(1))).toThrow(/200 outcomes, 199 persons/);
  });
});
