import { describe, expect, it } from 'vitest';
import { videoAuc, videoId } from './video.js';
import { rocAuc } from './roc.js';
import { MetricsInputError } from './errors.js';
import { loadGolden, type AucGolden } from './__fixtures__/golden.js';

const golden = loadGolden<AucGolden>('auc.json');

describe.skipIf(!golden)('golden auc.json video_auc', () => {
  const g = golden as AucGolden;
  it('matches the reference get_video_auc to 1e-9', () => {
    const r = videoAuc(g.video_labels, g.scores, g.videos);
    expect(Math.abs(r.auc - g.video_auc)).toBeLessThan(1e-9);
    expect(r.videos.reduce((a, v) => a + v.frames, 0)).toBe(g.scores.length);
    expect(new Set(g.videos).size).toBe(r.videos.length);
  });
  it('rejects the per-frame labels, which differ within a video', () => {
    expect(() => videoAuc(g.labels, g.scores, g.videos)).toThrow(/mixed|labelled/);
  });
});

describe('videoAuc', () => {
  it('averages frames per video, in order of first appearance', () => {
    const ids = ['a', 'b', 'a', 'c', 'b', 'c'];
    const labels = [0, 1, 0, 1, 1, 1];
    const scores = [0.2, 0.9, 0.4, 0.1, 0.5, 0.3];
    const r = videoAuc(labels, scores, ids);
    expect(r.videos.map((v) => v.id)).toEqual(['a', 'b', 'c']);
    expect(r.videos[0].score).toBeCloseTo(0.3, 15);
    expect(r.videos[1].score).toBeCloseTo(0.7, 15);
    expect(r.videos[2].score).toBeCloseTo(0.2, 15);
    expect(r.videos.map((v) => v.frames)).toEqual([2, 2, 2]);
    expect(r.auc).toBe(rocAuc([0, 1, 1], [0.3, 0.7, 0.2]));
  });
  it('keeps same-named videos of different methods apart via videoId', () => {
    const ids = [videoId('Deepfakes', '000_003'), videoId('Face2Face', '000_003'), videoId('original', '000')];
    expect(ids[0]).toBe('Deepfakes/000_003');
    const r = videoAuc([1, 1, 0], [0.9, 0.2, 0.5], ids);
    expect(r.videos.length).toBe(3);
    expect(r.auc).toBe(0.5);
  });
  it('rejects ids whose frames have mixed labels, naming the video', () => {
    let caught: unknown;
    try {
      videoAuc([0, 1, 1], [0.1, 0.2, 0.3], ['000', '000', '001']);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(MetricsInputError);
    expect((caught as MetricsInputError).problem).toBe('mixed-video-labels');
    expect((caught as Error).message).toMatch(/'000'.*videoId/);
  });
  it('rejects bad ids and lengths', () => {
    expect(() => videoAuc([0, 1], [0.1, 0.2], ['a'])).toThrow(/videoIds has 1/);
    expect(() => videoAuc([0, 1], [0.1, 0.2], ['a', ''])).toThrow(/videoIds\[1\]/);
    expect(() => videoAuc([1, 1], [0.1, 0.2], ['a', 'b'])).toThrow(MetricsInputError);
    expect(() => videoId('Deep/fakes', '000')).toThrow(MetricsInputError);
    expect(() => videoId('Deepfakes', '')).toThrow(MetricsInputError);
  });
});
